import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from '../support/redis-server';
import path from 'node:path';
import { Client } from 'pg';
import { ensureDatabase } from '../../src/common/database/embedded-postgres';
import { runMigrations } from '../../src/common/database/migrate';
import { TEMPLATE_DB } from './constants';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Integration tests run against a real PostgreSQL: a fresh embedded server (its own data folder
 * and port, so a running `npm start` is untouched), migrated once into a template database that
 * each suite clones (CREATE DATABASE … TEMPLATE) for isolation. Redis and Docker are the ones
 * scripts/setup.sh made sure of; suites use their own queue prefix.
 */
export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  // Each run gets its own data folder and port, so parallel runs (and a running `npm start`)
  // never share a server; folders of earlier runs are removed.
  const base = path.join(root, 'var', 'test-pg');
  mkdirSync(base, { recursive: true });
  for (const old of readdirSync(base)) {
    const pid = Number(old.split('-')[0]);
    if (!pid || !isAlive(pid)) rmSync(path.join(base, old), { recursive: true, force: true });
  }
  const port = process.env.TEST_PG_PORT ? Number(process.env.TEST_PG_PORT) : await freePort();
  const handle = process.env.TEST_DATABASE_URL
    ? { url: process.env.TEST_DATABASE_URL, stop: async () => undefined, startedHere: false }
    : await ensureDatabase(
        { DATA_DIR: path.join(root, 'var'), EMBEDDED_PG_PORT: port, DATABASE_URL: undefined },
        { dataSubdir: `test-pg/${process.pid}-${port}`, database: TEMPLATE_DB },
      );
  const server = new Client({ connectionString: handle.url.replace(/\/[^/]+$/, '/postgres') });
  await server.connect();
  await server.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}_build WITH (FORCE)`);
  await server.query(`CREATE DATABASE ${TEMPLATE_DB}_build`);
  await runMigrations(handle.url.replace(/\/[^/]+$/, `/${TEMPLATE_DB}_build`));
  await server.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await server.query(`ALTER DATABASE ${TEMPLATE_DB}_build RENAME TO ${TEMPLATE_DB}`);
  await server.end();
  process.env.TEST_PG_SERVER_URL = handle.url.replace(/\/[^/]+$/, '/postgres');
  (globalThis as any).__TEST_PG__ = handle;
}
