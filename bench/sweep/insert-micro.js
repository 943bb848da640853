#!/usr/bin/env node
/**
 * The first sweep's two bulk inserts, one statement each, on the database a `bench/sweep/run.js`
 * run leaves behind (its messages' check-ins copied with new keys, ~4,950 rows, ~24 MB of JSON;
 * its ~19,800 timeline events), in variants of the schema applied inside a transaction that is
 * rolled back (PostgreSQL's DDL is transactional). Prints, per variant, the server backend's CPU
 * (from /proc: the figure that holds on a loaded machine), the statement's time and WAL, and the
 * time of each trigger (the foreign keys' are RI_c_<oid>). Prints figures, asserts nothing.
 *
 *   node bench/sweep/insert-micro.js '<variants JSON>' [repetitions] [database url]
 *   variants: {"name": {"setup": ["DDL", ...], "ev": true (the events insert; default messages), "sql": "other statement"}}
 *
 * The bench's data folder (var/bench-pg) with a server started on it by hand (as the postgres
 * user: pg_ctl -D var/bench-pg -o '-p 54360' start); run it under `flock /tmp/bench.lock`.
 * Session 13's variants are in docs/performance.md.
 */
'use strict';
const { Client } = require('pg');
(async () => {
  const c = new Client({ connectionString: process.argv[4] || 'postgres://postgres:postgres@127.0.0.1:54360/bench' });
  await c.connect();
  const msgJson = (
    await c.query(
      `SELECT json_agg(json_build_object('k', idempotency_key || ':x', 'a', application_id, 'c', candidate_id, 'u', recipient_user_id, 't', to_address, 'n', to_name, 'tp', template, 's', subject, 'h', html, 'x', text, 'e', secrets_enc, 'at', attachments)) AS j FROM messages WHERE template = 'checkin'`,
    )
  ).rows[0].j;
  const evJson = (
    await c.query(
      `SELECT json_agg(json_build_object('a', application_id, 't', type, 'at', at, 'k', actor_kind, 'ai', actor_id, 'd', data) ORDER BY id) AS j FROM application_events`,
    )
  ).rows[0].j;
  const M = JSON.stringify(msgJson),
    E = JSON.stringify(evJson);
  console.log('messages json', (M.length / 1e6).toFixed(1), 'MB', msgJson.length, 'rows; events', evJson.length);
  const ins = `INSERT INTO messages (idempotency_key, application_id, candidate_id, recipient_user_id, to_address, to_name, template, subject, html, text, secrets_enc, attachments, status, created_at)
       SELECT x.k, x.a, x.c, x.u, x.t, x.n, x.tp, x.s, x.h, x.x, x.e, x.at, 'queued', now()
         FROM json_to_recordset($1::json) AS x(k text, a uuid, c uuid, u uuid, t text, n text, tp text, s text, h text, x text, e text, at jsonb)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key`;
  const insEv = `INSERT INTO application_events (id, application_id, type, at, actor_kind, actor_id, data) SELECT nextval((SELECT pg_get_serial_sequence('application_events', 'id'))::regclass), e.a, e.t, e.at, e.k, e.ai, e.d
         FROM ROWS FROM (json_to_recordset($1::json) AS (a uuid, t text, at timestamptz, k text, ai uuid, d jsonb)) WITH ORDINALITY AS e(a, t, at, k, ai, d, n)
        ORDER BY e.n RETURNING id`;
  const pid = (await c.query('SELECT pg_backend_pid() AS p')).rows[0].p;
  const cpu = () => {
    const f = require('fs').readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  const all = {};
  const variants = JSON.parse(process.argv[2] || '{}');
  const reps = Number(process.argv[3] || 3);
  for (let r = 0; r < reps; r++)
    for (const [name, v] of Object.entries(variants)) {
      await c.query('BEGIN');
      for (const s of v.setup || []) await c.query(s);
      const t0 = process.hrtime.bigint();
      const c0 = cpu();
      const res = await c.query(`EXPLAIN (ANALYZE, WAL, FORMAT JSON) ${v.sql || (v.ev ? insEv : ins)}`, [v.ev ? E : M]);
      const plan = res.rows[0]['QUERY PLAN'][0];
      const trig = (plan.Triggers || [])
        .map((t) => `${t['Trigger Name'].replace(/RI_ConstraintTrigger_/, 'RI_')}=${t.Time.toFixed(0)}`)
        .join(' ');
      const cms = cpu() - c0;
      (all[name] ||= []).push(cms);
      console.log(
        `${name.padEnd(22)} cpu ${String(cms).padStart(5)} ms exec ${plan['Execution Time'].toFixed(0).padStart(5)} ms  wall ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0).padStart(5)}  walMB ${(plan.Plan['WAL Bytes'] / 1e6).toFixed(1)} fpi ${plan.Plan['WAL FPI']}  ${trig}`,
      );
      await c.query('ROLLBACK');
      // The rolled-back rows' space is reused by the next variant, as a table in use would be.
      await c.query('VACUUM messages, application_events');
    }
  for (const [n, a] of Object.entries(all)) {
    a.sort((x, y) => x - y);
    console.log(`${n.padEnd(22)} backend CPU median ${a[a.length >> 1]} ms  (${a.join(', ')})`);
  }
  await c.end();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
