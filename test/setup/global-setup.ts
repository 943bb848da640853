import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { ensureDatabase } from '../../src/common/database/embedded-postgres';
import { runMigrations } from '../../src/common/database/migrate';
import { TEST_PG_PORT, TEMPLATE_DB } from './constants';

/**
 * Integration tests run against a real PostgreSQL: a fresh embedded server (its own data folder
 * and port, so a running `npm start` is untouched), migrated once into a template database that
 * each suite clones (CREATE DATABASE … TEMPLATE) for isolation. Redis and Docker are the ones
 * scripts/setup.sh made sure of; suites use their own queue prefix.
 */
export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const dataDir = path.join(root, 'var', 'test-pg');
  if (!process.env.TEST_DATABASE_URL) {
    // Stop a leftover server from an interrupted run, then start clean.
    rmSync(dataDir, { recursive: true, force: true });
  }
  const handle = process.env.TEST_DATABASE_URL
    ? { url: process.env.TEST_DATABASE_URL, stop: async () => undefined, startedHere: false }
    : await ensureDatabase({ DATA_DIR: path.join(root, 'var'), EMBEDDED_PG_PORT: TEST_PG_PORT, DATABASE_URL: undefined }, { dataSubdir: 'test-pg', database: TEMPLATE_DB });
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
