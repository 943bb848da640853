import { defineLangCorpusSuite } from './helpers/lang-corpus-suite';

defineLangCorpusSuite('php', 8);
