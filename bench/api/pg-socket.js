#!/usr/bin/env node
/**
 * The pg client's CPU per query over TCP loopback and over the server's unix socket, measured in
 * one run on one embedded PostgreSQL: prints figures, asserts nothing.
 *
 *   npm run build && node bench/api/pg-socket.js [--queries 20000] [--pg-port 54349] [--concurrency 8]
 *
 * Each phase runs the same prepared statement (a primary-key read of a small table) with
 * `concurrency` queries in flight on a pool of as many connections, and prints this process's CPU
 * (process.cpuUsage) and PostgreSQL's (/proc) per query. The phases alternate twice (TCP, socket,
 * TCP, socket) so a change in the machine's load shows.
 */
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { Pool, Client } = require('pg');
const { values: args } = parseArgs({
  options: { queries: { type: 'string' }, 'pg-port': { type: 'string' }, concurrency: { type: 'string' } },
});
const QUERIES = Number(args.queries ?? 20000);
const CONCURRENCY = Number(args.concurrency ?? 8);
const PG_PORT = Number(args['pg-port'] ?? 54349);
const root = path.resolve(__dirname, '..', '..');
const dist = (p) => path.join(root, 'dist', p);

function pgCpuSeconds(port) {
  // The postmaster's pid is the first line of postmaster.pid in the data folder; its children are the backends.
  const pidFile = path.join(root, 'var', `bench-pgsock-${port}`, 'postmaster.pid');
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  let total = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(d) === pid || Number(f[1]) === pid) total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      /* gone */
    }
  }
  return total;
}

async function phase(label, url) {
  const pool = new Pool({ connectionString: url, max: CONCURRENCY });
  const q = { name: 'bench-read', text: 'SELECT id, name, n FROM bench_rows WHERE id = $1', values: [1] };
  // Warm every connection (connect, prepare).
  await Promise.all(Array.from({ length: CONCURRENCY }, () => pool.query({ ...q, values: [1] })));
  const cpu0 = process.cpuUsage();
  const pg0 = pgCpuSeconds(PG_PORT);
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < QUERIES) {
        next++;
        await pool.query({ ...q, values: [1 + (next % 1000)] });
      }
    }),
  );
  const ms = Date.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const pg = pgCpuSeconds(PG_PORT) - pg0;
  console.log(
    `${label}: ${QUERIES} queries in ${ms} ms (${((QUERIES * 1000) / ms).toFixed(0)}/s); CPU per query: client ${((cpu.user + cpu.system) / 1000 / QUERIES).toFixed(3)} ms, PostgreSQL ${((pg * 1000) / QUERIES).toFixed(3)} ms (load ${require('node:os').loadavg()[0].toFixed(1)})`,
  );
  await pool.end();
}

async function main() {
  const { ensureDatabase, viaUnixSocket } = require(dist('src/common/database/embedded-postgres'));
  const db = await ensureDatabase(
    { DATA_DIR: path.join(root, 'var'), EMBEDDED_PG_PORT: PG_PORT },
    { dataSubdir: `bench-pgsock-${PG_PORT}` },
  );
  const c = new Client({ connectionString: db.url });
  await c.connect();
  await c.query('DROP TABLE IF EXISTS bench_rows');
  await c.query('CREATE TABLE bench_rows (id int PRIMARY KEY, name text, n int)');
  await c.query(`INSERT INTO bench_rows SELECT g, 'row ' || g, g * 7 FROM generate_series(1, 1000) g`);
  await c.end();
  const socketUrl = await viaUnixSocket(db.url);
  if (socketUrl === db.url) throw new Error('the server has no unix socket to compare with');
  for (let i = 0; i < 2; i++) {
    await phase('TCP 127.0.0.1', db.url);
    await phase('unix socket  ', socketUrl);
  }
  await db.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
