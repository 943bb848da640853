// `node dist/src/common/config/check-env.js`: validate the environment and exit (set-up runs it first).
import { loadEnv } from './env.schema';

loadEnv();
