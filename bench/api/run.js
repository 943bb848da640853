#!/usr/bin/env node
/**
 * API benchmark: prints figures, asserts nothing.
 *
 *   npm run build && node bench/api/run.js [--seconds 30] [--connections 20] [--rate 200]
 *                                          [--only reads|transitions] [--warmup 5] [--burst] [--cpu-prof <dir>]
 *                                          [--port 3917] [--pg-port 54348] [--applications 2000]
 *                                          [--adapter express|fastify|both] [--drain-mail] [--with-worker]
 *                                          [--pg-statements]
 *
 * Starts the API (compiled, as `npm start` runs it) on a fresh embedded PostgreSQL database with
 * 2,000 applications, then drives it from this process:
 *   1. GET /api/v1/applications/:id over random ids, for N seconds, as fast as it answers
 *      (autocannon, 20 connections);
 *   2. POST /api/v1/applications/:id/transitions at a fixed rate: one request every 1000/rate ms,
 *      open loop, latency counted from each request's scheduled start (back and forth between the
 *      first two stages, each request on its own application) for N seconds. --burst also runs
 *      autocannon's overallRate, which sends each connection's quota back to back at the top of
 *      every second (a 20-wide burst per second: a harsher pattern than the target describes).
 * The API runs as `npm start` runs it: API_WORKERS cluster workers (default one per core; set
 * API_WORKERS=1 for a single process). Prints requests/s, p50, p99 and errors.
 * Reads are measured twice in the same run: against the API, then against the raw baseline
 * (bench/api/baseline-server.js: node:http + pg, the same token lookup and application SELECT, the
 * same number of processes), and the ratio API/baseline is printed. Targets (issue 25): reads at
 * least 0.7 of the baseline's req/s with p99 < 50 ms; transitions p99 < 100 ms at 200 req/s paced.
 * --adapter fastify|both: the same reads, in the same run, against the same application on
 * @nestjs/platform-fastify (bench/api/fastify-server.js, port + 2), printed beside Express's with
 * its ratio to the baseline (a measurement; the product runs on Express).
 */
'use strict';
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');
const { inTree } = require('../proc-cpu');
const autocannon = require('autocannon');
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string' },
    connections: { type: 'string' },
    rate: { type: 'string' },
    only: { type: 'string' },
    burst: { type: 'boolean' },
    warmup: { type: 'string' },
    'cpu-prof': { type: 'string' },
    port: { type: 'string' },
    applications: { type: 'string' },
    'pg-port': { type: 'string' },
    adapter: { type: 'string' },
    'drain-mail': { type: 'boolean' },
    'with-worker': { type: 'boolean' },
    'pg-statements': { type: 'boolean' },
  },
});
const SECONDS = Number(args.seconds ?? 30);
const CONNECTIONS = Number(args.connections ?? 20);
const RATE = Number(args.rate ?? 200);
const WARMUP = Number(args.warmup ?? 5);
const APPLICATIONS = Number(args.applications ?? 2000);
const root = path.resolve(__dirname, '..', '..');
// BENCH_DIST: another build to measure (e.g. a copy of the previous build, for a before/after in one sitting).
const distRoot = path.resolve(root, process.env.BENCH_DIST ?? 'dist');
const dist = (p) => path.join(distRoot, p);
// --port / --pg-port: another pair of ports (and PostgreSQL data folder), to run beside a bench on the defaults.
const PORT = Number(args.port ?? 3917);
const PG_PORT = Number(args['pg-port'] ?? 54348);
const base = `http://127.0.0.1:${PORT}`;
const ADAPTER = args.adapter ?? 'express';
if (!['express', 'fastify', 'both'].includes(ADAPTER)) throw new Error('--adapter: express, fastify or both');

async function main() {
  const { ensureDatabase } = require(dist('src/common/database/embedded-postgres'));
  const { runMigrations } = require(dist('src/common/database/migrate'));
  const { Client } = require('pg');
  const start = () =>
    ensureDatabase(
      { DATA_DIR: path.join(root, 'var'), EMBEDDED_PG_PORT: PG_PORT },
      { dataSubdir: `bench-api-pg-${PG_PORT}`, database: 'postgres' },
    );
  let db = await start();
  let admin = new Client({ connectionString: db.url });
  await admin.connect();
  // --pg-statements: pg_stat_statements loaded (the bench's own server restarted with it); a run
  // without it restarts a server a previous run left with it, so that no run pays for it unasked.
  const { rows: preload } = await admin.query('SHOW shared_preload_libraries');
  if (preload[0].shared_preload_libraries.includes('pg_stat_statements') !== !!args['pg-statements']) {
    if (args['pg-statements']) {
      await admin.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
      await admin.query(`ALTER SYSTEM SET pg_stat_statements.track = 'all'`);
    } else {
      await admin.query('ALTER SYSTEM RESET shared_preload_libraries');
      await admin.query('ALTER SYSTEM RESET pg_stat_statements.track');
    }
    await admin.end();
    await db.stop();
    db = await start();
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  }
  if (args['pg-statements']) await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await admin.query('DROP DATABASE IF EXISTS benchapi WITH (FORCE)');
  await admin.query('CREATE DATABASE benchapi');
  await admin.end();
  const tcpUrl = db.url.replace(/\/[^/]+$/, '/benchapi');
  await runMigrations(tcpUrl);
  // The API reaches PostgreSQL as `npm start` does: over the unix socket when the build under test
  // does that (viaUnixSocket, session 8), over TCP loopback otherwise (a BENCH_DIST of an older build).
  const { viaUnixSocket } = require(dist('src/common/database/embedded-postgres'));
  const url = viaUnixSocket ? await viaUnixSocket(tcpUrl) : tcpUrl;
  console.log(`PostgreSQL for the API: ${url.includes('host=') ? 'unix socket' : 'TCP loopback'}`);

  const env = {
    ...process.env,
    DATABASE_URL: url,
    PORT: String(PORT),
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: `benchapi${PORT}`,
    SEED_DEMO: 'false',
    ADMIN_EMAIL: 'admin@bench.local',
    ADMIN_PASSWORD: 'bench-password-1',
    DATA_DIR: path.join(root, 'var', 'bench-api'),
  };
  // --cpu-prof <dir>: the API writes a V8 CPU profile there when it exits (open it in Chrome DevTools).
  const profile = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['cpu-prof'])}`] : [];
  const api = spawn(process.execPath, [...profile, dist('src/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  CHILDREN.push(api);
  // Up to 2 minutes: a loaded 2-core machine can take that long to start the workers.
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).status < 600) break;
    } catch {
      if (i >= 600) throw new Error('the API did not answer /health within 2 minutes');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const json = async (method, p, token, body) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const { accessToken: adminToken } = await json('POST', '/api/v1/auth/login', null, {
    email: 'admin@bench.local',
    password: 'bench-password-1',
  });
  const mk = (email, roles) =>
    json('POST', '/api/v1/users', adminToken, { email, name: email, password: 'bench-password-1', roles, timezone: 'UTC' });
  const hm = await mk('hm@bench.local', ['hiring_manager']);
  const rec = await mk('rec@bench.local', ['recruiter']);
  const { accessToken: token } = await json('POST', '/api/v1/auth/login', null, { email: 'rec@bench.local', password: 'bench-password-1' });
  const opening = await json('POST', '/api/v1/openings', adminToken, {
    title: 'Bench',
    hiringManagerId: hm.id,
    recruiterId: rec.id,
    compensation: { min: 1, max: 2, currency: 'EUR' },
  });
  const pgPid = postmasterPid();
  const cpuMark = () => ({ api: treeCpuSeconds(api.pid), pg: pgPid ? treeCpuSeconds(pgPid) : NaN });
  const cpuLine = (before, n, what = 'request') => {
    const now = cpuMark();
    console.log(
      `  CPU per ${what}: API ${(((now.api - before.api) * 1000) / n).toFixed(2)} ms, PostgreSQL ${(((now.pg - before.pg) * 1000) / n).toFixed(2)} ms`,
    );
  };
  console.log(`API_WORKERS=${process.env.API_WORKERS ?? `unset (${require('node:os').availableParallelism()} cores)`}`);
  // The seed is measured too: candidates, then applications (one request at a time, so the
  // figure is a latency; the CPU per create is what issue 25 asks to halve).
  const candidates = [];
  let t0 = Date.now();
  for (let i = 0; i < APPLICATIONS; i++) {
    candidates.push(
      await json('POST', '/api/v1/candidates', token, {
        name: `C ${i}`,
        email: `c${i}@bench.local`,
        timezone: 'UTC',
        source: { kind: 'direct' },
      }),
    );
  }
  console.log(`POST /candidates: ${APPLICATIONS} one at a time in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const ids = [];
  t0 = Date.now();
  const beforeCreates = cpuMark();
  for (const c of candidates)
    ids.push((await json('POST', '/api/v1/applications', token, { candidateId: c.id, openingId: opening.id })).id);
  const createMs = Date.now() - t0;
  console.log(
    `POST /applications: ${APPLICATIONS} one at a time in ${(createMs / 1000).toFixed(1)} s (${(createMs / APPLICATIONS).toFixed(1)} ms each)`,
  );
  cpuLine(beforeCreates, APPLICATIONS, 'create');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  const show = (label, r) =>
    console.log(
      `${label}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors + r.non2xx} of ${r.requests.total}`,
    );

  if (args.only !== 'transitions') {
    // One read phase: autocannon over the ids, CPU per request of the server's process tree and PostgreSQL.
    const readPhase = async (label, url, pid, { warm = false } = {}) => {
      const path0 = `/api/v1/applications/${ids[0]}`;
      for (let k = 0; k < 600; k++) {
        try {
          if ((await fetch(`${url}${path0}`, { headers })).status === 200) break;
        } catch {
          /* not yet */
        }
        if (k === 599) throw new Error(`${label}: no answer within 2 minutes`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // The creates leave background work in the API (events, outbox); reads are measured once the
      // server is idle (under 5% of a core for a second, at most 60 s), after a warm-up.
      const waited = await untilIdle(pid);
      if (waited > 1) console.log(`  (${label}: waited ${waited} s for the server to go idle)`);
      if (warm)
        await autocannon({
          url,
          connections: CONNECTIONS,
          duration: Math.min(3, SECONDS),
          requests: [{ method: 'GET', headers, path: path0 }],
        });
      const before = { api: treeCpuSeconds(pid, true), pg: pgPid ? treeCpuSeconds(pgPid) : NaN };
      let k = 0;
      const r = await autocannon({
        url,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          { method: 'GET', headers, setupRequest: (req) => ({ ...req, path: `/api/v1/applications/${ids[(k++ * 7919) % ids.length]}` }) },
        ],
      });
      show(`${label} (${CONNECTIONS} connections, ${SECONDS} s)`, r);
      const now = { api: treeCpuSeconds(pid, true), pg: pgPid ? treeCpuSeconds(pgPid) : NaN };
      const n = r.requests.total;
      const per = (a, b) => (((a - b) * 1000) / n).toFixed(2);
      console.log(
        `  CPU per request: server ${per(now.api.cpu, before.api.cpu)} ms (main thread ${per(now.api.main, before.api.main)} ms, kernel ${per(now.api.sys, before.api.sys)} ms, ${((now.api.switches - before.api.switches) / n).toFixed(2)} context switches), PostgreSQL ${(((now.pg - before.pg) * 1000) / n).toFixed(2)} ms  [load: ${require('node:os')
          .loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}]`,
      );
      return r;
    };
    const startServer = (script, port, execArgv = []) =>
      spawn(process.execPath, [...execArgv, script], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
    const stopServer = async (child) => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    };

    const results = [];
    if (ADAPTER !== 'fastify') results.push(['Express', await readPhase('GET /applications/:id, Express', base, api.pid, { warm: true })]);
    if (ADAPTER !== 'express') {
      // The same application on Fastify (bench-only bootstrap), warmed up like the baseline.
      const FASTIFY_PORT = PORT + 2;
      const f = startServer(path.join(__dirname, 'fastify-server.js'), FASTIFY_PORT, profile);
      results.push([
        'Fastify',
        await readPhase('GET /applications/:id, Fastify', `http://127.0.0.1:${FASTIFY_PORT}`, f.pid, { warm: true }),
      ]);
      // The same answer? Body, status and header names compared with Express's for one id.
      const answer = async (url) => {
        const res = await fetch(`${url}/api/v1/applications/${ids[1]}`, { headers });
        return { status: res.status, body: await res.text(), names: [...res.headers.keys()] };
      };
      const [e, fa] = [await answer(base), await answer(`http://127.0.0.1:${FASTIFY_PORT}`)];
      const skip = new Set(['date', 'etag', 'x-request-id', 'keep-alive', 'connection', 'content-length']);
      const only = (a, b) => a.names.filter((n) => !skip.has(n) && !b.names.includes(n)).join(', ') || 'none';
      console.log(
        `  Fastify vs Express, one read: status ${fa.status}/${e.status}, same body: ${fa.body === e.body}, headers only on Express: ${only(e, fa)}; only on Fastify: ${only(fa, e)}`,
      );
      // Beyond the read: a page (Express's res.send/res.cookie behind @Res) and /health, on each adapter.
      for (const p of ['/login', '/health']) {
        const st = async (url) => (await fetch(`${url}${p}`, { redirect: 'manual' }).catch(() => ({ status: 'error' }))).status;
        console.log(`  ${p}: Express ${await st(base)}, Fastify ${await st(`http://127.0.0.1:${FASTIFY_PORT}`)}`);
      }
      await stopServer(f);
    }

    // The floor: the same read with no framework, same database, same cores, same run.
    const BASE_PORT = PORT + 1;
    // --cpu-prof: the baseline writes its own profile too (in <dir>/baseline), to compare the same Node calls.
    const baseProfile = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['cpu-prof'], 'baseline')}`] : [];
    const raw = startServer(path.join(__dirname, 'baseline-server.js'), BASE_PORT, baseProfile);
    const floor = await readPhase('baseline node:http + pg, same read', `http://127.0.0.1:${BASE_PORT}`, raw.pid, { warm: true });
    for (const [name, r] of results)
      console.log(
        `reads (${name}): API/baseline = ${(r.requests.average / floor.requests.average).toFixed(2)} (target >= 0.70), API p99 ${r.latency.p99} ms (target < 50 ms)`,
      );
    await stopServer(raw);
  }

  // Each application alternates recruiter_screen -> manager_call -> recruiter_screen, so every request is a valid move.
  const next = new Map();
  let j = 0;
  const nextMove = () => {
    const id = ids[j++ % ids.length];
    const to = next.get(id) === 'recruiter_screen' || !next.has(id) ? 'manager_call' : 'recruiter_screen';
    next.set(id, to);
    return { path: `/api/v1/applications/${id}/transitions`, body: JSON.stringify({ to }) };
  };
  if (args.only !== 'reads') {
    // The target is "p99 < 100 ms at 200 req/s": requests arrive one every 1000/RATE ms whatever
    // the answers do (open loop), and each latency counts from its scheduled start, so a slow
    // answer cannot hide the requests queued behind it (no coordinated omission).
    // A warm-up at the same rate first (JIT of the transition path, the keep-alive connections the
    // load needs): printed, not counted.
    // As for the reads: the creates leave background work (first-contact mail, events), so the
    // moves start once the API is idle.
    // --with-worker: `npm start`'s general worker (mail, sweep, webhooks) runs beside the API during
    // the moves, as in production: it delivers each move's message while the moves go on. It starts
    // once the creates' mail is delivered; its CPU per move is printed, and after the moves, how
    // long its backlog took to drain and whether every message was sent.
    const worker = args['with-worker'] ? await startWorker(url, env) : null;
    if (worker) await worker.settle();
    const waited = await untilIdle(api.pid);
    if (waited > 1) console.log(`  (transitions: waited ${waited} s for the API to go idle)`);
    const w = await paced({ rate: RATE, seconds: WARMUP, headers, next: nextMove });
    console.log(
      `warm-up (${RATE} req/s paced, ${WARMUP} s, not counted): p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, max ${w.max.toFixed(1)} ms, errors ${w.errors}`,
    );
    // The warm-up's messages delivered too, so the figures below start from an empty queue.
    if (worker) await worker.settle();
    if (args['pg-statements']) await pgStatements(db.url, 0);
    const before = cpuMark();
    const workerBefore = worker ? treeCpuSeconds(worker.child.pid) : 0;
    const r = await paced({ rate: RATE, seconds: SECONDS, headers, next: nextMove });
    console.log(
      `POST /applications/:id/transitions (${RATE} req/s paced, ${SECONDS} s): ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, errors ${r.errors} of ${r.total}, at most ${r.maxInFlight} in flight  [load: ${require('node:os')
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}]`,
    );
    cpuLine(before, r.total);
    if (worker) await worker.report(r.total, workerBefore, before.pg);
    if (args['pg-statements']) await pgStatements(db.url, r.total);
    if (args.burst) {
      // autocannon's overallRate gives each connection RATE/CONNECTIONS requests per second and
      // sends them back to back at the top of every second: a CONNECTIONS-wide burst each second.
      const moves = await autocannon({
        url: base,
        connections: CONNECTIONS,
        duration: SECONDS,
        overallRate: RATE,
        requests: [{ method: 'POST', headers, setupRequest: (req) => ({ ...req, ...nextMove() }) }],
      });
      show(
        `POST /applications/:id/transitions (autocannon overallRate ${RATE}: ${CONNECTIONS}-wide bursts each second, ${SECONDS} s)`,
        moves,
      );
    }
  }
  if (args['drain-mail']) await drainMail(url, env, pgPid);
  if (WORKER) {
    WORKER.kill('SIGTERM');
    await new Promise((r) => WORKER.once('exit', r));
  }
  api.kill('SIGTERM');
  await new Promise((r) => api.once('exit', r));
  await db.stop();
  process.exit(0);
}

/**
 * --pg-statements: with `moves` 0, empties pg_stat_statements; otherwise prints what PostgreSQL ran
 * since (the moves, and with --with-worker their deliveries) per move: calls, execution and
 * planning time, rows, for the statements that took most of the time.
 */
async function pgStatements(url, moves) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: url });
  await c.connect();
  if (!moves) {
    await c.query('SELECT pg_stat_statements_reset()');
    await c.end();
    return;
  }
  const { rows } = await c.query(
    `SELECT calls::int, total_exec_time AS exec, total_plan_time AS plan, rows::int, query FROM pg_stat_statements
      WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time + total_plan_time DESC`,
  );
  await c.end();
  const all = rows.reduce((a, r) => a + r.exec + r.plan, 0);
  const calls = rows.reduce((a, r) => a + r.calls, 0);
  console.log(
    `  PostgreSQL statements during the moves: ${(calls / moves).toFixed(2)} per move, ${((all * 1000) / moves).toFixed(0)} µs of execution + planning per move`,
  );
  for (const r of rows.slice(0, 20))
    console.log(
      `    ${(r.calls / moves).toFixed(2)}/move  exec ${((r.exec * 1000) / r.calls).toFixed(0)} µs  plan ${((r.plan * 1000) / r.calls).toFixed(0)} µs  rows ${(r.rows / r.calls).toFixed(1)}  ${r.query.replace(/\s+/g, ' ').slice(0, 150)}`,
    );
}

/** Updates and HOT updates of the tables a delivery writes (pg_stat_user_tables; stats reach it within ~1 s). */
async function tupleStats(db) {
  await new Promise((r) => setTimeout(r, 1500));
  await db.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await db.query(
    `SELECT relname, n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname IN ('messages', 'applications')`,
  );
  const [x] = (await db.query(`SELECT xact_commit::int AS commits FROM pg_stat_database WHERE datname = current_database()`)).rows;
  return { ...Object.fromEntries(rows.map((r) => [r.relname, r])), commits: x.commits };
}
const tupleLine = (a, b) =>
  ['messages', 'applications'].map((t) => `${t} ${b[t].upd - a[t].upd} updates (${b[t].hot - a[t].hot} HOT)`).join(', ') +
  `; ${b.commits - a.commits} commits (all connections)`;

/**
 * --drain-mail: what `npm start`'s worker does per move, measured: a worker on the mail queue only
 * (dist/src/worker.js, the .eml file transport) delivers the messages the creates and moves queued;
 * from its first delivery (start-up not counted) to the last, its CPU and PostgreSQL's per message,
 * and the drain's updates (HOT among them) of messages and applications and its commits.
 */
async function drainMail(url, env, pgPid) {
  const { Client } = require('pg');
  const db = new Client({ connectionString: url });
  await db.connect();
  const pending = async () =>
    Number((await db.query(`SELECT count(*) AS n FROM messages WHERE status IN ('queued', 'sending')`)).rows[0].n);
  const total = await pending();
  const stats0 = await tupleStats(db);
  const worker = spawn(process.execPath, [dist('src/worker.js')], {
    env: { ...env, WORKER_QUEUES: 'mail' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let start;
  let left = total;
  const t0 = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    left = await pending();
    if (!start && left < total) start = { at: Date.now(), left, worker: treeCpuSeconds(worker.pid), pg: treeCpuSeconds(pgPid) };
    if (left === 0 || Date.now() - t0 > 300_000) break;
  }
  if (start && start.left > left) {
    const n = start.left - left;
    const w = ((treeCpuSeconds(worker.pid) - start.worker) * 1000) / n;
    const pg = ((treeCpuSeconds(pgPid) - start.pg) * 1000) / n;
    const secs = (Date.now() - start.at) / 1000;
    console.log(
      `mail worker (concurrency 4, .eml files): ${n} messages in ${secs.toFixed(1)} s (${(n / secs).toFixed(0)}/s), ${left} left; CPU per message: worker ${w.toFixed(2)} ms, PostgreSQL ${pg.toFixed(2)} ms (load ${require('node:os').loadavg()[0].toFixed(1)})`,
    );
  } else console.log(`mail worker: no delivery measured (${total} pending, ${left} left)`);
  console.log(`  during the drain: ${tupleLine(stats0, await tupleStats(db))}`);
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await db.end();
}

let WORKER = null;
/**
 * --with-worker: `dist/src/worker.js` on the general queues (mail, sweep, webhooks), as `npm start`
 * runs it (the grading worker, which needs Docker and idles here, is not started). WORKER_NICE in
 * the environment reaches it as it would from `npm start`.
 */
async function startWorker(url, env) {
  const { Client } = require('pg');
  const db = new Client({ connectionString: url });
  await db.connect();
  const counts = async () =>
    (
      await db.query(
        `SELECT count(*) FILTER (WHERE status IN ('queued', 'sending'))::int AS pending, count(*) FILTER (WHERE status = 'sent')::int AS sent,
                count(*)::int AS total, max(sent_at) AS last_sent FROM messages`,
      )
    ).rows[0];
  // BENCH_WORKER_PROF=<dir>: the worker writes a V8 CPU profile there when it exits.
  const prof = process.env.BENCH_WORKER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_WORKER_PROF)}`] : [];
  const child = spawn(process.execPath, [...prof, dist('src/worker.js')], {
    env: { ...env, WORKER_QUEUES: 'mail,sweep,webhooks' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  WORKER = child;
  CHILDREN.push(child);
  const until = async (cond, ms) => {
    const t0 = Date.now();
    for (;;) {
      const c = await counts();
      if (cond(c) || Date.now() - t0 > ms) return c;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    child,
    /** The creates' first-contact mail delivered, and the worker idle. */
    async settle() {
      const c = await until((x) => x.pending === 0, 300_000);
      const waited = await untilIdle(child.pid);
      // Which PostgreSQL backends run at a lowered priority (the worker's, with WORKER_NICE).
      const fs = require('node:fs');
      const niced = [];
      for (const d of fs.readdirSync('/proc'))
        try {
          if (!/^\d+$/.test(d) || !fs.readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('postgres')) continue;
          const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
          const nice = Number(f.slice(f.lastIndexOf(')') + 2).split(' ')[16]);
          if (nice > 0) niced.push(nice);
        } catch {
          /* gone */
        }
      console.log(`  postgres processes at a lowered priority: ${niced.length} (${niced.join(', ')})`);
      console.log(
        `worker beside the API (WORKER_NICE=${env.WORKER_NICE ?? 'unset'}): ${c.sent} messages sent so far, ${c.pending} pending; idle after ${waited} s`,
      );
    },
    /** After the moves: the backlog's drain, every message sent, CPU per move (worker, and PostgreSQL with the worker's share). */
    async report(moves, cpuBefore, pgBefore) {
      const end = Date.now();
      const atEnd = await counts();
      const c = await until((x) => x.pending === 0, 300_000);
      const drain = (Date.now() - end) / 1000;
      const workerMs = ((treeCpuSeconds(child.pid) - cpuBefore) * 1000) / moves;
      const pgPid = postmasterPid();
      const pgMs = pgPid ? ((treeCpuSeconds(pgPid) - pgBefore) * 1000) / moves : NaN;
      console.log(
        `  worker: ${atEnd.pending} messages pending when the moves ended, all delivered ${drain.toFixed(1)} s later (${c.pending} left, ${c.sent} sent of ${c.total}); ` +
          `CPU per move incl. delivery: worker ${workerMs.toFixed(2)} ms, PostgreSQL (moves + deliveries) ${pgMs.toFixed(2)} ms`,
      );
      await db.end();
    },
  };
}

/** CPU seconds (user + system) used so far by a process and its descendants, live or reaped (Linux /proc). */
function treeCpuSeconds(rootPid, split = false) {
  const fs = require('node:fs');
  const tick = 100; // USER_HZ
  const stats = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      const sys = (Number(f[12]) + Number(f[14])) / tick;
      let switches = 0;
      let main = 0;
      if (split) {
        // The main (JavaScript) thread's own CPU; the rest is V8's GC helpers, libuv's pool, the profiler.
        const m = fs.readFileSync(`/proc/${d}/task/${d}/stat`, 'utf8').split(') ')[1].split(' ');
        main = (Number(m[11]) + Number(m[12])) / tick;
      }
      if (split)
        for (const m of fs.readFileSync(`/proc/${d}/status`, 'utf8').matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)/gm))
          switches += Number(m[1]);
      stats.push({ pid: Number(d), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[13])) / tick + sys, sys, switches, main });
    } catch {
      /* gone */
    }
  }
  const tree = inTree(stats, rootPid);
  const cpu = tree.reduce((a, s) => a + s.cpu, 0);
  // split: also the kernel's share (system time) and the context switches, summed over the tree.
  if (split)
    return {
      cpu,
      sys: tree.reduce((a, s) => a + s.sys, 0),
      switches: tree.reduce((a, s) => a + s.switches, 0),
      main: tree.reduce((a, s) => a + s.main, 0),
    };
  return cpu;
}

/** Seconds until the process tree used under 5% of a core over one second (at most 60). */
async function untilIdle(pid) {
  for (let s = 1; s <= 60; s++) {
    const a = treeCpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 1000));
    if (treeCpuSeconds(pid) - a < 0.05) return s;
  }
  return 60;
}

/** The postmaster of the bench's embedded PostgreSQL (its command line names the data folder). */
function postmasterPid() {
  const fs = require('node:fs');
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(`bench-api-pg-${PG_PORT}`)) return Number(d);
    } catch {
      /* gone */
    }
  }
  return null;
}

/** Open-loop load at a fixed rate over keep-alive connections; latency from each request's scheduled start. */
async function paced({ rate, seconds, headers, next }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const latencies = [];
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const t0 = performance.now() + 20;
  const trace = [];
  await new Promise((resolve) => {
    let sent = 0;
    let finished = 0;
    const settle = (scheduled, ok) => {
      const ms = performance.now() - scheduled;
      latencies.push(ms);
      if (process.env.BENCH_TRACE) (trace[Math.floor((scheduled - t0) / 1000)] ??= []).push(ms);
      if (!ok) errors++;
      inFlight--;
      if (++finished === total) resolve();
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && t0 + sent * interval <= now) {
        const scheduled = t0 + sent * interval;
        sent++;
        const { path: p, body } = next();
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const req = http.request(
          {
            host: '127.0.0.1',
            port: PORT,
            method: 'POST',
            path: p,
            agent,
            headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => settle(scheduled, res.statusCode < 300));
          },
        );
        req.on('error', () => settle(scheduled, false));
        req.end(body);
      }
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    tick();
  });
  agent.destroy();
  if (process.env.BENCH_TRACE)
    trace.forEach((l, sec) => {
      l.sort((a, b) => a - b);
      console.log(`  second ${sec}: n ${l.length} p50 ${l[l.length >> 1].toFixed(0)} max ${l[l.length - 1].toFixed(0)}`);
    });
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  return {
    total,
    errors,
    rps: total / ((performance.now() - t0) / 1000),
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[latencies.length - 1],
    maxInFlight,
  };
}

/** The API and the worker this run started: stopped if the run fails, so they do not outlive it (nor hold its output open). */
const CHILDREN = [];

main().catch((e) => {
  console.error(e);
  for (const c of CHILDREN) if (c.exitCode === null) c.kill('SIGTERM');
  process.exit(1);
});
