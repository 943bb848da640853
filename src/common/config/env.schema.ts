import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(':', ''));
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    );

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

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
  MAIL_FROM: z
    .string()
    .regex(/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/, 'must be an address like hiring@example.com or "Name <hiring@example.com>"')
    .default('Hiring Team <hiring@localhost>'),
  /**
   * The root secret every key is derived from (src/common/config/keys.ts: CSRF, privacy links,
   * webhook-secret and message encryption). Unset: generated on first start into
   * DATA_DIR/session-secret (mode 0600) and read from there afterwards; processes sharing the data
   * directory share it. A placeholder containing "change-me" is refused.
   */
  SESSION_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .refine(
      (v) => !/change-?me/i.test(v),
      'is a placeholder ("change-me"); set a long random value or leave it unset to generate one into DATA_DIR',
    )
    .optional(),
  /**
   * Which proxies in front of the API are trusted to say who the client is (X-Forwarded-For) and
   * whether it came over TLS (X-Forwarded-Proto, which decides the session cookie's `secure` flag).
   * `false`: none (the socket's address counts); `true`: any (only behind a proxy that strips them);
   * `loopback` (default): a proxy on the same machine; or a hop count, or comma-separated addresses/CIDRs.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('loopback')
    .transform((v, ctx): boolean | number | string[] => {
      if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
      if (/^\d{1,2}$/.test(v)) return Number(v);
      const parts = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const ok =
        parts.length > 0 && parts.every((x) => /^(loopback|linklocal|uniquelocal)$/.test(x) || /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(x));
      if (!ok) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: 'must be true, false, a hop count, or comma-separated loopback/linklocal/uniquelocal/addresses/CIDRs',
        });
        return z.NEVER;
      }
      return parts;
    }),
  /** Failed sign-ins one address may make per minute, across accounts (per account: 5). Generous: an office or a proxy shares one address. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(5, 100000).default(50),
  /** `/metrics` answers with `Authorization: Bearer <METRICS_TOKEN>`; without it only from METRICS_ALLOW. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Client addresses or CIDRs that may read `/metrics` without the token (comma-separated). Default: loopback only. */
  METRICS_ALLOW: z
    .string()
    .default('127.0.0.1/8,::1/128')
    .transform((v, ctx) => {
      const parts = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (!parts.every((x) => x === 'none' || /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(x))) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be comma-separated addresses or CIDRs (e.g. 10.0.0.0/8,::1), or none' });
        return z.NEVER;
      }
      return parts.filter((x) => x !== 'none');
    }),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRADING_CONCURRENCY: int(1, 64).default(2),
  /**
   * CPU priority of worker processes (0 = normal, 19 = lowest): background work (mail, sweeps,
   * webhooks) yields the cores to the API under a burst, and its queue lags and catches up. With
   * the embedded PostgreSQL (reached over its unix socket) the backends serving the worker's
   * connections are lowered too. A worker that consumes the grading queue keeps normal priority
   * (sandbox runs are timed on the wall clock). See docs/performance.md (session 9).
   */
  WORKER_NICE: int(0, 19).default(10),
  /**
   * The queues this worker process consumes, comma-separated (mail, grading, sweep, webhooks).
   * Unset: all of them. `npm start` runs a grading worker (grading: needs Docker) and a general
   * worker (everything else). Every process can still enqueue onto every queue.
   */
  WORKER_QUEUES: z
    .string()
    .default(ALL_QUEUES.join(','))
    .transform((v, ctx) => {
      const names = [
        ...new Set(
          v
            .split(',')
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
        ),
      ];
      const unknown = names.filter((n) => !(ALL_QUEUES as string[]).includes(n));
      if (unknown.length || !names.length) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${unknown.length ? `unknown queue(s) ${unknown.join(', ')}; ` : ''}must list one or more of ${ALL_QUEUES.join(', ')}, comma-separated`,
        });
        return z.NEVER;
      }
      return names as QueueName[];
    }),
  SWEEP_EVERY_SECONDS: int(10, 86400).default(300),
  /**
   * Rows per page (and per transaction) of the SLA and stale-alert sweeps. 500: the first sweep
   * measured faster and smaller than with 1,000 or 250 (docs/performance.md, session 10).
   */
  SWEEP_PAGE_SIZE: int(1, 100000).default(500),
  SEED_DEMO: bool.default('true'),
  /** Tests use a per-suite prefix so suites sharing one Redis never see each other's jobs. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only')
    .default('hiring'),
  /**
   * How long an API process may reuse what a token resolved to (user, roles, revocation) before
   * reading it again; 0 turns the cache off. Logout in the same process takes effect at once;
   * a revocation or deactivation done elsewhere (another replica, SQL) within this many seconds.
   */
  AUTH_CACHE_SECONDS: int(0, 60).default(5),
  /**
   * Single sign-on with OpenID Connect (docs/security.md). OIDC_ISSUER: the provider's issuer URL
   * (its /.well-known/openid-configuration is discovered); the client is registered there with the
   * redirect URI <PUBLIC_URL>/login/sso/callback. Unset: no SSO.
   */
  OIDC_ISSUER: url(['http', 'https']).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().default('openid email profile'),
  /** The ID-token (or userinfo) claim naming the person's groups or roles, e.g. groups, roles, realm_access.roles. */
  OIDC_ROLE_CLAIM: z
    .string()
    .regex(/^[\w:/.-]+$/, 'a claim name, dotted for nested claims')
    .default('groups'),
  /**
   * Claim value → role(s) here: `hiring-admins=admin,recruiting=recruiter,eng=engineer,eng=hiring_manager`.
   * A person whose claim values map to no role is refused (no account is made).
   */
  OIDC_ROLE_MAP: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const map: Record<string, string[]> = {};
      for (const pair of v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)) {
        const i = pair.lastIndexOf('=');
        const value = pair.slice(0, i).trim();
        const role = pair.slice(i + 1).trim();
        if (i <= 0 || !value || !['admin', 'recruiter', 'hiring_manager', 'engineer'].includes(role)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `"${pair}" is not <claim value>=<role> with a role of admin, recruiter, hiring_manager, engineer`,
          });
          return z.NEVER;
        }
        const roles = (map[value] ??= []);
        if (!roles.includes(role)) roles.push(role);
      }
      return map;
    }),
  /** The button's words: "Sign in with <OIDC_NAME>". */
  OIDC_NAME: z.string().max(40).default('SSO'),
  /** true: password sign-in is refused (pages and API); people sign in through OIDC_ISSUER only. API tokens keep working. */
  SSO_ONLY: bool.default('false'),
  /**
   * The team mailbox candidates' replies arrive in (docs/inbox.md):
   * `imap[s]://user:password@host:port/MAILBOX`; add `?auth=xoauth2` to use the password part as an
   * OAuth2 access token (Google Workspace, Microsoft 365). Unset: replies are not read.
   */
  IMAP_URL: url(['imap', 'imaps']).optional(),
  /** Seconds between mailbox checks when the server has no IDLE or the connection dropped (IDLE answers at once otherwise). */
  IMAP_POLL_SECONDS: int(5, 3600).default(30),
  /** A folder to move each stored mail to; unset: stored mail stays and is flagged (\Seen and $HiringImported). */
  IMAP_DONE_MAILBOX: z.string().min(1).max(200).optional(),
  /** Largest mail read whole (bytes); a larger one is stored as headers plus a note, and stays in the mailbox. */
  INBOUND_MAX_MESSAGE_BYTES: int(10_000, 100_000_000).default(10_000_000),
  /** Largest attachment kept (bytes); at most 10 per mail and INBOUND_MAX_MESSAGE_BYTES in all. */
  INBOUND_MAX_ATTACHMENT_BYTES: int(1000, 50_000_000).default(5_000_000),
  /** API processes (Node cluster workers sharing PORT). Unset: one per CPU core; 1: a single process, no cluster. */
  API_WORKERS: int(1, 64).optional(),
});

/** The validated environment; SESSION_SECRET is always there (given, or read from DATA_DIR by loadEnv). */
export type Env = Omit<z.infer<typeof envSchema>, 'SESSION_SECRET'> & { SESSION_SECRET: string };

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'));
  }
}

/**
 * Validate an environment. SESSION_SECRET, when not given, comes from `rootSecret` (loadEnv passes
 * one that reads or creates DATA_DIR/session-secret); pure callers get a throwaway random one.
 */
export function parseEnv(
  source: NodeJS.ProcessEnv,
  rootSecret: (dataDir: string) => string = () => randomBytes(32).toString('base64url'),
): Env {
  // Empty strings mean "unset" so that `FOO= npm start` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  const env = { ...result.data, SESSION_SECRET: result.data.SESSION_SECRET ?? '' } as Env;
  if (!env.SESSION_SECRET) {
    try {
      env.SESSION_SECRET = rootSecret(env.DATA_DIR);
    } catch (e) {
      throw new EnvError([
        {
          variable: 'SESSION_SECRET',
          message: `unset, and no secret could be read or generated in DATA_DIR (${(e as Error).message}); set it, or make DATA_DIR writable`,
        },
      ]);
    }
  }
  if (env.OIDC_ISSUER && (!env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET)) {
    throw new EnvError([
      {
        variable: env.OIDC_CLIENT_ID ? 'OIDC_CLIENT_SECRET' : 'OIDC_CLIENT_ID',
        message: 'OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (the client registered at the provider)',
      },
    ]);
  }
  if (env.SSO_ONLY && !env.OIDC_ISSUER) {
    throw new EnvError([{ variable: 'SSO_ONLY', message: 'needs OIDC_ISSUER (otherwise nobody could sign in)' }]);
  }
  if (env.OIDC_ISSUER && !Object.keys(env.OIDC_ROLE_MAP).length) {
    throw new EnvError([{ variable: 'OIDC_ROLE_MAP', message: 'needs at least one <claim value>=<role> when OIDC_ISSUER is set' }]);
  }
  if ((env.ADMIN_EMAIL && !env.ADMIN_PASSWORD) || (!env.ADMIN_EMAIL && env.ADMIN_PASSWORD)) {
    throw new EnvError([
      { variable: env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL', message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' },
    ]);
  }
  return env;
}

let cached: Env | undefined;
/** Validate once per process; exits non-zero naming each bad variable. */
export function loadEnv(): Env {
  if (cached) return cached;
  try {
    cached = parseEnv(process.env, rootSecretFile);
    return cached;
  } catch (e) {
    if (e instanceof EnvError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
}

/**
 * DATA_DIR/session-secret: created once (exclusive create, mode 0600) with 32 random bytes, then
 * read. Two processes starting together both end up with the one that was written first.
 */
export function rootSecretFile(dataDir: string): string {
  const file = path.resolve(dataDir, 'session-secret');
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    // A root process (the worker, for the Docker socket) gives the file to the directory's owner,
    // so an unprivileged API process sharing the directory can read it.
    if (process.getuid?.() === 0) {
      const dir = statSync(path.dirname(file));
      if (dir.uid !== 0) chownSync(file, dir.uid, dir.gid);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  for (let i = 0; i < 50; i++) {
    const v = readFileSync(file, 'utf8').trim();
    if (v.length >= 32) return v;
    // another process created it a moment ago and is still writing
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  throw new Error(`${file} holds no usable secret (fewer than 32 characters); delete it to generate a new one`);
}

export function publicUrl(env: Env): string {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
}
