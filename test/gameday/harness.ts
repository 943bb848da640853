/**
 * The game-day harness: the full system as `npm start` runs it (src/launcher.ts owning an embedded
 * PostgreSQL and supervising the API, the grading worker and the general worker), isolated from everything else on the
 * machine: its own data folder (var/gameday), its own ports, its own redis-server, its own SMTP
 * server (which can refuse mail), and its own Docker engine (a second dockerd with its own data
 * root and socket) unless the operator set DOCKER_HOST. Every part can be stopped and started
 * again, which is what the fault injections need. Used by test/gameday/run.ts and bench/load.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Docker from 'dockerode';
import { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';

export const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();
export const dist = (p: string) => path.join(ROOT, 'dist', p);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const now = () => performance.now();
export const say = (m: string) => process.stdout.write(`\x1b[1m[gameday]\x1b[0m ${new Date().toISOString().slice(11, 19)} ${m}\n`);

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Polls fn until it returns a truthy value or the deadline passes (then throws naming what). */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastErr ? ` (last error: ${(lastErr as Error).message})` : ''}`,
  );
}

/** WORKER_QUEUES of a running process, from /proc (undefined when gone or unset). */
function workerQueues(pid: number): string[] | undefined {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const v = env.find((e) => e.startsWith('WORKER_QUEUES='));
    return v ? v.slice('WORKER_QUEUES='.length).split(',') : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => (clearTimeout(t), resolve(true)));
  });
}

async function waitPidGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await sleep(100);
  }
  return !alive(pid);
}

export interface HarnessConfig {
  /** Folder for every piece of state (wiped except the Docker data root unless keepData). */
  dir: string;
  apiPort: number;
  pgPort: number;
  redisPort: number;
  smtpPort: number;
  /** Extra environment for the launcher (and so the API and the worker). */
  env?: Record<string, string>;
  /** Echo the launcher's own "[start]" lines (restarts of children, PostgreSQL) to stdout. */
  echoLauncher?: boolean;
}

export function configFromEnv(
  prefix = 'GAMEDAY',
  defaults = { api: 3951, pg: 54351, redis: 6391, smtp: 2591, dir: 'var/gameday' },
): HarnessConfig {
  const n = (k: string, d: number) => Number(process.env[`${prefix}_${k}`] ?? d);
  return {
    dir: path.resolve(ROOT, process.env[`${prefix}_DIR`] ?? defaults.dir),
    apiPort: n('API_PORT', defaults.api),
    pgPort: n('PG_PORT', defaults.pg),
    redisPort: n('REDIS_PORT', defaults.redis),
    smtpPort: n('SMTP_PORT', defaults.smtp),
  };
}

// ---------------------------------------------------------------- SMTP

export interface ReceivedMail {
  /** The outbox row id (X-Hiring-Message-Id), also inside the Message-ID. */
  id: string;
  messageId: string;
  template: string;
  at: number;
}

/** The SMTP server the system sends to: logs every accepted message; refuses mail while told to. */
export class ControlledSmtp {
  readonly received: ReceivedMail[] = [];
  readonly counts = new Map<string, number>();
  refusals = 0;
  /** Called with each message once the server has all of it, before it answers 250. */
  onComplete?: (mail: ReceivedMail) => void;
  private refuseUntil = 0;
  private refuseCode = 451;
  private server?: SMTPServer;
  constructor(readonly port: number) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Refuse every recipient with `code` (4xx temporary, 5xx permanent) for `ms`. */
  refuseFor(ms: number, code = 451): void {
    this.refuseCode = code;
    this.refuseUntil = Date.now() + ms;
  }
  get refusing(): boolean {
    return Date.now() < this.refuseUntil;
  }
  stopRefusing(): void {
    this.refuseUntil = 0;
  }

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 30 * 1024 * 1024,
      onRcptTo: (_addr, _session, cb) => {
        if (!this.refusing) return cb();
        this.refusals++;
        cb(
          Object.assign(new Error(this.refuseCode >= 500 ? 'mailbox unavailable (game day)' : 'try again later (game day)'), {
            responseCode: this.refuseCode,
          }),
        );
      },
      onData: (stream, _session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          // Headers only: the body is not needed to count deliveries.
          const raw = Buffer.concat(chunks).toString('utf8');
          const head = raw.slice(0, raw.search(/\r?\n\r?\n/) >>> 0 || raw.length).replace(/\r?\n[ \t]+/g, ' ');
          const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
          const id = header('X-Hiring-Message-Id');
          const mail = { id, messageId: header('Message-ID'), template: header('X-Hiring-Template'), at: Date.now() };
          this.received.push(mail);
          this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
          this.onComplete?.(mail);
          cb();
        });
      },
    });
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

// ---------------------------------------------------------------- Redis

/** Its own redis-server (AOF on, as scripts/setup.sh starts one), so it can be restarted. */
export class RedisProcess {
  private proc?: ChildProcess;
  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly logFile: string,
  ) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--save',
        '',
        '--logfile',
        this.logFile,
      ],
      { stdio: 'ignore' },
    );
    await until(`redis-server on ${this.port}`, () => portOpen(this.port), 10_000, 50);
  }
  /** Graceful stop (SHUTDOWN semantics: the AOF is flushed). */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    p.kill('SIGTERM');
    if (!(await waitExit(p, 10_000))) {
      p.kill('SIGKILL');
      await waitExit(p, 5000);
    }
  }
}

// ---------------------------------------------------------------- Docker

export const SANDBOX_LABEL = 'hiring.sandbox=1';

/**
 * A private Docker engine: a second dockerd with its own data root, exec root, pid file and
 * socket, no bridge and no iptables (sandboxes run with NetworkMode none). The system dockerd is
 * shared with other people and is never stopped. With DOCKER_HOST set by the operator that engine
 * is used as is and never stopped (the Docker fault is then skipped).
 */
export class PrivateDocker {
  private proc?: ChildProcess;
  readonly external: boolean;
  readonly host: string;
  readonly client: Docker;
  private readonly dataRoot: string;
  private readonly execRoot: string;
  private readonly pidFile: string;
  private readonly socket: string;

  constructor(
    private readonly dir: string,
    private readonly logFile: string,
  ) {
    this.dataRoot = path.join(dir, 'docker');
    this.execRoot = path.join(dir, 'docker-exec');
    this.pidFile = path.join(dir, 'dockerd.pid');
    this.socket = path.join(dir, 'docker.sock');
    this.external = !!process.env.DOCKER_HOST;
    this.host = process.env.DOCKER_HOST || `unix://${this.socket}`;
    this.client =
      this.external && !this.host.startsWith('unix://')
        ? new Docker({ host: new URL(this.host).hostname, port: Number(new URL(this.host).port || 2375) })
        : new Docker({ socketPath: this.host.replace(/^unix:\/\//, '') });
  }

  async ping(timeoutMs = 1500): Promise<boolean> {
    try {
      await Promise.race([this.client.ping(), sleep(timeoutMs).then(() => Promise.reject(new Error('timeout')))]);
      return true;
    } catch {
      return false;
    }
  }

  async start(): Promise<void> {
    if (this.external) return;
    // A dockerd left by an interrupted earlier run on this same pid file: ours, stop it first.
    if (existsSync(this.pidFile)) {
      const old = Number(readFileSync(this.pidFile, 'utf8').trim());
      if (alive(old) && readFileSync(`/proc/${old}/cmdline`, 'utf8').includes(this.socket)) {
        say(`stopping a private dockerd left by an earlier run (pid ${old})`);
        process.kill(old, 'SIGTERM');
        await waitPidGone(old, 30_000);
      }
    }
    mkdirSync(this.dataRoot, { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    await new Promise((r) => log.once('open', r));
    this.proc = spawn(
      'dockerd',
      [
        '--data-root',
        this.dataRoot,
        '--exec-root',
        this.execRoot,
        '--pidfile',
        this.pidFile,
        '-H',
        `unix://${this.socket}`,
        '--bridge=none',
        '--iptables=false',
        '--ip6tables=false',
        '--ip-masq=false',
      ],
      { stdio: ['ignore', log, log] },
    );
    await until(
      'the private dockerd',
      async () => (this.proc!.exitCode !== null ? Promise.reject(new Error(`dockerd exited; see ${this.logFile}`)) : this.ping()),
      60_000,
      250,
    );
  }

  /** SIGTERM and wait (dockerd stops its containers first). */
  async stop(): Promise<void> {
    if (this.external || !this.proc) return;
    const p = this.proc;
    this.proc = undefined;
    if (p.exitCode !== null || p.signalCode !== null) return;
    p.kill('SIGTERM');
    if (!(await waitExit(p, 40_000))) {
      p.kill('SIGKILL');
      await waitExit(p, 5000);
    }
  }

  /** Copies the sandbox images from the system engine (docker save | docker load) when missing. */
  async loadImages(tags: string[]): Promise<void> {
    const missing: string[] = [];
    for (const tag of tags) {
      try {
        await this.client.getImage(tag).inspect();
      } catch {
        missing.push(tag);
      }
    }
    if (!missing.length) return;
    if (this.external)
      throw new Error(
        `the Docker engine at DOCKER_HOST lacks ${missing.join(', ')}; run \`DOCKER_HOST=${this.host} npm run cli -- sandbox:build\``,
      );
    say(`loading ${missing.join(', ')} into the private engine (docker save | docker load)`);
    const sysEnv = { ...process.env };
    delete sysEnv.DOCKER_HOST;
    execFileSync('bash', ['-o', 'pipefail', '-c', `docker save ${missing.join(' ')} | DOCKER_HOST=${this.host} docker load`], {
      env: sysEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
  }

  async sandboxContainers(): Promise<Docker.ContainerInfo[]> {
    return this.client.listContainers({ all: true, filters: { label: [SANDBOX_LABEL] } });
  }
}

// ---------------------------------------------------------------- the launcher (npm start)

export const ADMIN = { email: 'admin@gameday.local', password: 'gameday-password-1' };

/** `node dist/src/launcher.js` as scripts/start.sh runs it, with the isolated parts' URLs. */
export class LauncherProcess {
  private proc?: ChildProcess;
  private log?: WriteStream;
  private known = new Set<number>();
  constructor(
    private readonly env: Record<string, string>,
    private readonly logFile: string,
    private readonly echo: boolean,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  async start(apiPort: number, timeoutMs = 120_000): Promise<void> {
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    await new Promise((r) => this.log!.once('open', r));
    this.proc = spawn(process.execPath, [dist('src/launcher.js')], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forward = (chunk: Buffer) => {
      this.log!.write(chunk);
      if (!this.echo) return;
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.includes('[start]'))
          process.stdout.write(`    launcher: ${line.replace(/\x1b\[[0-9;]*m/g, '').replace('[start] ', '')}\n`);
    };
    this.proc.stdout!.on('data', forward);
    this.proc.stderr!.on('data', forward);
    await until(
      'the API to answer /health with 200',
      async () => {
        if (this.proc!.exitCode !== null)
          throw Object.assign(new Error(`the launcher exited (${this.proc!.exitCode}); see ${this.logFile}`), { fatal: true });
        const r = await fetch(`http://127.0.0.1:${apiPort}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
        return r?.status === 200;
      },
      timeoutMs,
      500,
    );
  }

  /**
   * The pids of the launcher's children: the API, the grading worker (WORKER_QUEUES=grading) and
   * the general worker (mail, sweep, webhooks), told apart by the WORKER_QUEUES in their environment.
   */
  children(): { api?: number; grader?: number; worker?: number } {
    if (!this.proc?.pid) return {};
    let out = '';
    try {
      out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(this.proc.pid)], { encoding: 'utf8' });
    } catch {
      return {};
    }
    const res: { api?: number; grader?: number; worker?: number } = {};
    for (const line of out.trim().split('\n')) {
      const m = /^\s*(\d+)\s+(.*)$/.exec(line);
      if (!m) continue;
      const pid = Number(m[1]);
      if (m[2].includes('dist/src/main.js')) res.api = pid;
      if (m[2].includes('dist/src/worker.js')) {
        const queues = workerQueues(pid);
        if (queues?.includes('grading') && queues.length === 1) res.grader = pid;
        else if (queues && !queues.includes('grading')) res.worker = pid;
      }
      if (m[2].includes('postgres')) this.known.add(pid);
      for (const p of [res.api, res.grader, res.worker]) if (p) this.known.add(p);
    }
    return res;
  }

  /** The embedded PostgreSQL's postmaster (first line of its pid file). */
  postmasterPid(dataDir: string): number | undefined {
    try {
      const pid = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (alive(pid)) {
        this.known.add(pid);
        return pid;
      }
    } catch {
      /* not running */
    }
    return undefined;
  }

  /** Ctrl-C semantics (SIGTERM: the launcher stops its children and PostgreSQL); then anything left, by pid. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    this.children();
    if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGTERM');
      if (!(await waitExit(p, 30_000))) {
        p.kill('SIGKILL');
        await waitExit(p, 5000);
      }
    }
    for (const pid of this.known) {
      if (alive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    this.log?.end();
  }
}

// ---------------------------------------------------------------- the whole system

export class GameDaySystem {
  readonly smtp: ControlledSmtp;
  readonly redis: RedisProcess;
  readonly docker: PrivateDocker;
  launcher!: LauncherProcess;
  db!: Pool;
  readonly base: string;
  readonly dbUrl: string;
  private stopped = false;

  constructor(readonly cfg: HarnessConfig) {
    mkdirSync(path.join(cfg.dir, 'logs'), { recursive: true });
    this.smtp = new ControlledSmtp(cfg.smtpPort);
    this.redis = new RedisProcess(cfg.redisPort, path.join(cfg.dir, 'redis'), path.join(cfg.dir, 'logs', 'redis.log'));
    this.docker = new PrivateDocker(cfg.dir, path.join(cfg.dir, 'logs', 'dockerd.log'));
    this.base = `http://127.0.0.1:${cfg.apiPort}`;
    this.dbUrl = `postgres://postgres:postgres@127.0.0.1:${cfg.pgPort}/hiring`;
  }

  get pgDataDir(): string {
    return this.cfg.dir;
  }

  async start(): Promise<void> {
    const { cfg } = this;
    for (const [name, port] of [
      ['API', cfg.apiPort],
      ['PostgreSQL', cfg.pgPort],
      ['Redis', cfg.redisPort],
      ['SMTP', cfg.smtpPort],
    ] as const) {
      if (await portOpen(port))
        throw new Error(`port ${port} (${name}) is already in use; another game day or load bench running? (set the *_PORT variables)`);
    }
    // A fresh database and queue every run; the private engine's data root (images) is kept.
    for (const sub of ['pg', 'redis', 'mail']) rmSync(path.join(cfg.dir, sub), { recursive: true, force: true });
    const { expectedImageTag } = require(dist('src/sandbox/image-builder')) as typeof import('../../src/sandbox/image-builder');
    const tags = ['node', 'python'].map((r) => expectedImageTag(r));
    say(
      this.docker.external
        ? `using the Docker engine at DOCKER_HOST=${this.docker.host}`
        : `starting a private dockerd (socket ${this.docker.host})`,
    );
    await this.docker.start();
    await this.docker.loadImages(tags);
    await this.redis.start();
    await this.smtp.start();
    this.launcher = new LauncherProcess(
      {
        PORT: String(cfg.apiPort),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${cfg.apiPort}`,
        DATA_DIR: cfg.dir,
        EMBEDDED_PG_PORT: String(cfg.pgPort),
        REDIS_URL: this.redis.url,
        QUEUE_PREFIX: 'gameday',
        DOCKER_HOST: this.docker.host,
        SMTP_URL: this.smtp.url,
        SEED_DEMO: 'false',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: process.env.GAMEDAY_LOG_LEVEL ?? 'warn',
        NODE_ENV: 'development',
        ...cfg.env,
      },
      path.join(cfg.dir, 'logs', 'launcher.log'),
      cfg.echoLauncher ?? true,
    );
    // The launcher reads DATABASE_URL: never let the operator's leak in.
    delete process.env.DATABASE_URL;
    say(
      `starting the launcher (API :${cfg.apiPort}, embedded PostgreSQL :${cfg.pgPort}, Redis :${cfg.redisPort}, SMTP :${cfg.smtpPort}); log ${path.join(cfg.dir, 'logs', 'launcher.log')}`,
    );
    await this.launcher.start(cfg.apiPort);
    this.db = new Pool({ connectionString: this.dbUrl, max: 4, connectionTimeoutMillis: 3000 });
    this.db.on('error', () => undefined);
  }

  /** A query that waits out a PostgreSQL restart (the checks run after faults). */
  async q<T = Record<string, unknown>>(sql: string, params: unknown[] = [], timeoutMs = 60_000): Promise<T[]> {
    return until(`query ${sql.slice(0, 40)}`, async () => (await this.db.query(sql, params)).rows as T[], timeoutMs, 500);
  }

  /** Stops everything this harness started; safe to call twice and from a signal handler. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.db?.end().catch(() => undefined);
    await this.launcher?.stop().catch((e) => say(`launcher stop: ${e.message}`));
    await this.smtp.stop().catch(() => undefined);
    await this.redis.stop().catch(() => undefined);
    await this.docker.stop().catch((e) => say(`dockerd stop: ${e.message}`));
  }
}

/** Runs fn with the system started, stopping it on return, error, Ctrl-C or SIGTERM. */
export async function withSystem<T>(cfg: HarnessConfig, fn: (sys: GameDaySystem) => Promise<T>, overallTimeoutMs: number): Promise<T> {
  const sys = new GameDaySystem(cfg);
  let exiting = false;
  const bail = (why: string, code: number) => {
    if (exiting) return;
    exiting = true;
    say(`${why}: stopping everything the harness started`);
    void sys.stop().finally(() => process.exit(code));
  };
  const onSig = (sig: string) => () => bail(`got ${sig}`, 130);
  process.on('SIGINT', onSig('SIGINT'));
  process.on('SIGTERM', onSig('SIGTERM'));
  const timer = setTimeout(() => bail(`overall time limit (${Math.round(overallTimeoutMs / 1000)} s) reached`, 3), overallTimeoutMs);
  try {
    await sys.start();
    return await fn(sys);
  } finally {
    clearTimeout(timer);
    if (!exiting) await sys.stop();
  }
}
