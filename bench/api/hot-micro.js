#!/usr/bin/env node
/**
 * What a non-HOT update costs PostgreSQL against a HOT one, for the two rows a mail delivery
 * rewrites (a measurement for docs/performance.md, session 11; prints figures, asserts nothing):
 *   - messages: the claim ('queued' -> 'sending') and the `sent` record, with messages_pending_idx
 *     (status in its predicate: never HOT) and without it (HOT when the page has room);
 *   - applications: the delivery's `last_contact_at` touch, with applications_sla_reference_idx
 *     (last_contact_at in its expression: never HOT) and without it.
 * Each variant updates N rows one statement at a time inside one server-side loop (no round
 * trips), on a copy of the real table (CREATE TABLE ... (LIKE ... INCLUDING ALL): same columns,
 * indexes and defaults), and prints the server's time per update and how many were HOT.
 *
 *   npm run build && flock /tmp/bench.lock node bench/api/hot-micro.js [--rows 20000] [--pg-port 54497]
 */
'use strict';
const path = require('node:path');
const { parseArgs } = require('node:util');
const { values: args } = parseArgs({
  options: { rows: { type: 'string' }, 'pg-port': { type: 'string' }, fillfactor: { type: 'string' } },
});
const N = Number(args.rows ?? 20000);
const PG_PORT = Number(args['pg-port'] ?? 54497);
const root = path.resolve(__dirname, '..', '..');
const dist = (p) => path.join(root, 'dist', p);

async function main() {
  const { ensureDatabase } = require(dist('src/common/database/embedded-postgres'));
  const { runMigrations } = require(dist('src/common/database/migrate'));
  const { Client } = require('pg');
  const db = await ensureDatabase(
    { DATA_DIR: path.join(root, 'var'), EMBEDDED_PG_PORT: PG_PORT },
    { dataSubdir: `bench-hot-pg-${PG_PORT}`, database: 'postgres' },
  );
  const admin = new Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS benchhot WITH (FORCE)');
  await admin.query('CREATE DATABASE benchhot');
  await admin.end();
  const url = db.url.replace(/\/postgres(\?|$)/, '/benchhot$1');
  await runMigrations(url);
  const c = new Client({ connectionString: url });
  await c.connect();
  const q = (s, p) => c.query(s, p);
  const ff = args.fillfactor ? ` WITH (fillfactor = ${Number(args.fillfactor)})` : '';

  const run = async (label, table, setup, stmts) => {
    await q(`DROP TABLE IF EXISTS ${table}`);
    await setup();
    await q(`VACUUM ANALYZE ${table}`);
    const hot0 = (await q(`SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = $1`, [table])).rows[0];
    const times = [];
    for (const s of stmts) {
      const r = await q(
        `DO $$ DECLARE r record; t0 timestamptz := clock_timestamp(); BEGIN
           FOR r IN SELECT id FROM ${table} ORDER BY id LOOP ${s} END LOOP;
           RAISE NOTICE '%', extract(epoch FROM clock_timestamp() - t0); END $$`,
      );
      void r;
      times.push(lastNotice);
    }
    await new Promise((r) => setTimeout(r, 1200));
    await q('SELECT pg_stat_clear_snapshot()');
    const hot1 = (await q(`SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = $1`, [table])).rows[0];
    const size = (
      await q(`SELECT pg_size_pretty(pg_total_relation_size($1)) AS s, (SELECT avg(pg_column_size(t.*))::int FROM ${table} t) AS row`, [
        table,
      ])
    ).rows[0];
    console.log(
      `${label}: ${times.map((t) => ((Number(t) * 1e6) / N).toFixed(1) + ' µs').join(' + ')} per row; ${hot1.n_tup_upd - hot0.n_tup_upd} updates, ${hot1.n_tup_hot_upd - hot0.n_tup_hot_upd} HOT; size after ${size.s} (rows of ${size.row} bytes)`,
    );
  };
  let lastNotice = null;
  c.on('notice', (n) => (lastNotice = n.message));

  const messages = (dropPending) => async () => {
    await q(`CREATE TABLE msg_x (LIKE messages INCLUDING ALL)${ff}`);
    if (dropPending) {
      const { rows } = await q(`SELECT indexname FROM pg_indexes WHERE tablename = 'msg_x' AND indexdef LIKE '%status%'`);
      for (const r of rows) await q(`DROP INDEX ${r.indexname}`);
    }
    // html ~1.2 kB and text ~0.8 kB of text that compresses about as well as a mail (hex digests):
    // a first-contact message's size (templates/messages/first_contact.* in templates/layouts/email.*).
    await q(
      `INSERT INTO msg_x (idempotency_key, application_id, to_address, template, subject, html, text, status, created_at)
       SELECT 'k' || g, gen_random_uuid(), 'a@example.com', 'first_contact', 'Hello',
              (SELECT string_agg(md5((g * 100 + k)::text), ' ') FROM generate_series(1, 36) k),
              (SELECT string_agg(md5((g * 100 + k)::text), ' ') FROM generate_series(37, 60) k),
              'queued', now() - make_interval(secs => ${N} - g)
         FROM generate_series(1, ${N}) g`,
    );
  };
  const claim = `UPDATE msg_x SET status = 'sending', attempts = attempts + 1, updated_at = clock_timestamp() WHERE id = r.id;`;
  const sent = `UPDATE msg_x SET status = 'sent', sent_at = clock_timestamp(), last_error = NULL, updated_at = clock_timestamp() WHERE id = r.id;`;
  await run('messages, with messages_pending_idx (today): claim + sent', 'msg_x', messages(false), [claim, sent]);
  await run('messages, without the status index: claim + sent', 'msg_x', messages(true), [claim, sent]);

  const apps = (dropSla) => async () => {
    await q(`CREATE TABLE app_x (LIKE applications INCLUDING ALL)${ff}`);
    if (dropSla) {
      const { rows } = await q(`SELECT indexname FROM pg_indexes WHERE tablename = 'app_x' AND indexdef LIKE '%last_contact_at%'`);
      for (const r of rows) await q(`DROP INDEX ${r.indexname}`);
    }
    const cols = (
      await q(`SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = 'app_x'`)
    ).rows;
    const need = cols.filter((x) => x.is_nullable === 'NO' && !x.column_default).map((x) => x.column_name);
    const value = {
      candidate_id: 'gen_random_uuid()',
      opening_id: `'00000000-0000-0000-0000-00000000000' || (g % 10)`,
      stage: `'recruiter_screen'`,
      stage_entered_at: 'now()',
    };
    const missing = need.filter((n) => !value[n]);
    if (missing.length) throw new Error(`columns without a value: ${missing.join(', ')}`);
    await q(
      `INSERT INTO app_x (${need.join(', ')}) SELECT ${need.map((n) => (n === 'opening_id' ? `(${value[n]})::uuid` : value[n])).join(', ')} FROM generate_series(1, ${N}) g`,
    );
  };
  const touch = `UPDATE app_x SET last_contact_at = GREATEST(coalesce(last_contact_at, clock_timestamp()), clock_timestamp()) WHERE id = r.id;`;
  await run('applications, with applications_sla_reference_idx (today): contact touch x2', 'app_x', apps(false), [touch, touch]);
  await run('applications, without it: contact touch x2', 'app_x', apps(true), [touch, touch]);
  await c.end();
  await db.stop();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
