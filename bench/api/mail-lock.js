#!/usr/bin/env node
/**
 * A delivery's lock transaction (MailService.lockedSend: BEGIN, the candidate's FOR SHARE, the
 * message's status, COMMIT) run N times against the database a `bench/api/run.js` run left behind
 * on the same --pg-port, with a synchronous commit and with `SET LOCAL synchronous_commit = off`,
 * alternating: wall time and PostgreSQL's CPU (its process tree, /proc) per transaction. Prints
 * figures, asserts nothing; run it under `flock /tmp/bench.lock` like the other benches.
 *
 *   node bench/api/run.js --only transitions --pg-port 54641 ... && node bench/api/mail-lock.js --pg-port 54641 [--transactions 3000]
 */
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { treeCpuSeconds } = require('../proc-cpu');
const { Client } = require('pg');

const { values: args } = parseArgs({ options: { 'pg-port': { type: 'string' }, transactions: { type: 'string' } } });
const PG_PORT = Number(args['pg-port'] ?? 54348);
const N = Number(args.transactions ?? 3000);
const root = path.resolve(__dirname, '..', '..');
const dist = path.resolve(root, process.env.BENCH_DIST ?? 'dist');

(async () => {
  const { ensureDatabase } = require(path.join(dist, 'src/common/database/embedded-postgres'));
  const db = await ensureDatabase(
    { DATA_DIR: path.join(root, 'var'), EMBEDDED_PG_PORT: PG_PORT },
    { dataSubdir: `bench-api-pg-${PG_PORT}`, database: 'postgres' },
  );
  let postmaster = null;
  for (const d of fs.readdirSync('/proc'))
    try {
      if (/^\d+$/.test(d) && fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(`bench-api-pg-${PG_PORT}`)) postmaster = Number(d);
    } catch {
      /* gone */
    }
  const c = new Client({ connectionString: db.url.replace(/\/[^/]+$/, '/benchapi') });
  await c.connect();
  const rows = (await c.query(`SELECT id, candidate_id FROM messages WHERE candidate_id IS NOT NULL LIMIT 2000`)).rows;
  if (!rows.length) throw new Error('no messages: run bench/api/run.js on this --pg-port first');
  for (let round = 1; round <= 2; round++)
    for (const mode of ['synchronous commit', 'synchronous_commit off']) {
      const cpu0 = treeCpuSeconds(postmaster);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < N; i++) {
        const r = rows[i % rows.length];
        await c.query(
          `BEGIN;${mode === 'synchronous_commit off' ? ' SET LOCAL synchronous_commit = off;' : ''} SELECT anonymized_at FROM candidates WHERE id = '${r.candidate_id}' FOR SHARE; SELECT status FROM messages WHERE id = '${r.id}'`,
        );
        await c.query('COMMIT');
      }
      const wall = Number(process.hrtime.bigint() - t0) / 1e6 / N;
      const cpu = ((treeCpuSeconds(postmaster) - cpu0) * 1000) / N;
      console.log(
        `round ${round}, ${mode}: ${wall.toFixed(3)} ms per transaction, PostgreSQL CPU ${cpu.toFixed(3)} ms  [load: ${require('node:os').loadavg()[0].toFixed(2)}]`,
      );
    }
  await c.end();
  await db.stop();
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
