import { z } from 'zod';
import { ALL_QUEUES, QueueName } from '../queues/queues';

/**
 * The one environment schema. Every process (api, worker, cli) validates it at start-up and
 * refuses to start with a list naming each bad variable. Defaults work on one machine.
 */
const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol.replace(':', ''));
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(1, 65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: url(['http', 'https']).optional(),
  /** Unset: an embedded PostgreSQL is started with its data under var/. */
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  EMBEDDED_PG_PORT: int(1024, 65535).default(54329),
  DATA_DIR: z.string().default('var'),
  REDIS_URL: url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  /** Unset: the local socket /var/run/docker.sock. */
  DOCKER_HOST: z
    .string()
    .refine((v) => /^(unix|tcp|http|https|npipe):\/\//.test(v), 'must be unix:///path or tcp://host:port')
    .optional(),
  /** Unset: mail is written as .eml files under var/mail/. */
  SMTP_URL: url(['smtp', 'smtps']).optional(),
  MAIL_FROM: z.string().regex(/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/, 'must be an address like hiring@example.com or "Name <hiring@example.com>"').default('Hiring Team <hiring@localhost>'),
  /** Signs session cookies and CSRF tokens. Must be set in production. */
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').default('dev-session-secret-change-me'),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRADING_CONCURRENCY: int(1, 64).default(2),
  /**
   * The queues this worker process consumes, comma-separated (mail, grading, sweep, webhooks).
   * Unset: all of them. `npm start` runs a grading worker (grading: needs Docker) and a general
   * worker (everything else). Every process can still enqueue onto every queue.
   */
  WORKER_QUEUES: z
    .string()
    .default(ALL_QUEUES.join(','))
    .transform((v, ctx) => {
      const names = [...new Set(v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
      const unknown = names.filter((n) => !(ALL_QUEUES as string[]).includes(n));
      if (unknown.length || !names.length) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${unknown.length ? `unknown queue(s) ${unknown.join(', ')}; ` : ''}must list one or more of ${ALL_QUEUES.join(', ')}, comma-separated` });
        return z.NEVER;
      }
      return names as QueueName[];
    }),
  SWEEP_EVERY_SECONDS: int(10, 86400).default(300),
  /** Rows per page (and per transaction) of the SLA and stale-alert sweeps. */
  SWEEP_PAGE_SIZE: int(1, 100000).default(1000),
  SEED_DEMO: bool.default('true'),
  /** Tests use a per-suite prefix so suites sharing one Redis never see each other's jobs. */
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only').default('hiring'),
  /**
   * How long an API process may reuse what a token resolved to (user, roles, revocation) before
   * reading it again; 0 turns the cache off. Logout in the same process takes effect at once;
   * a revocation or deactivation done elsewhere (another replica, SQL) within this many seconds.
   */
  AUTH_CACHE_SECONDS: int(0, 60).default(5),
  /** API processes (Node cluster workers sharing PORT). Unset: one per CPU core; 1: a single process, no cluster. */
  API_WORKERS: int(1, 64).optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
  }
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  // Empty strings mean "unset" so that `FOO= npm start` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  const env = result.data;
  if (env.NODE_ENV === 'production' && env.SESSION_SECRET === 'dev-session-secret-change-me') {
    throw new EnvError([{ variable: 'SESSION_SECRET', message: 'must be set to a secret value in production' }]);
  }
  if ((env.ADMIN_EMAIL && !env.ADMIN_PASSWORD) || (!env.ADMIN_EMAIL && env.ADMIN_PASSWORD)) {
    throw new EnvError([{ variable: env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL', message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' }]);
  }
  return env;
}

let cached: Env | undefined;
/** Validate once per process; exits non-zero naming each bad variable. */
export function loadEnv(): Env {
  if (cached) return cached;
  try {
    cached = parseEnv(process.env);
    return cached;
  } catch (e) {
    if (e instanceof EnvError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
}

export function publicUrl(env: Env): string {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
}
