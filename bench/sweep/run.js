#!/usr/bin/env node
/**
 * Sweep benchmark: prints figures, asserts nothing.
 *
 *   npm run build && node bench/sweep/run.js [--applications 100000] [--openings 50] [--due-share 0.05]
 *
 * Seeds N active applications across M openings (in SQL) into a fresh embedded PostgreSQL, with
 * `--due-share` of them past their contact SLA or stale threshold, then runs one full sweep (every
 * registered task: SLA check-ins, stale alerts, digests, re-enqueue) as the worker does, and a
 * second one at the same instant (which must find nothing to do). Prints wall time, peak RSS of
 * this process (sampled every 20 ms and from getrusage), and per task: its ms, the peak RSS
 * sampled while it ran, and what it did; and the CPU seconds of this process and of PostgreSQL
 * during the sweep (the figure to compare on a loaded machine).
 * Target (issue 25): the first sweep over 100,000 applications with 5% due under 2 s and under
 * 300 MB on this 2-core machine; printed beside the figures with the ratio.
 */
'use strict';
require('reflect-metadata');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { treeCpuSeconds } = require('../proc-cpu');
const { args } = {
  args: parseArgs({ options: { applications: { type: 'string' }, openings: { type: 'string' }, 'due-share': { type: 'string' } } }).values,
};
const N = Number(args.applications ?? 100000);
const M = Number(args.openings ?? 50);
const DUE = Number(args['due-share'] ?? 0.05);
const root = path.resolve(__dirname, '..', '..');
const dist = (p) => path.join(root, 'dist', p);

process.env.LOG_LEVEL = 'error';
process.env.QUEUE_PREFIX = 'bench';
process.env.DATA_DIR = path.join(root, 'var', 'bench');
process.env.SEED_DEMO = 'false';

async function main() {
  const { ensureDatabase } = require(dist('src/common/database/embedded-postgres'));
  const { runMigrations } = require(dist('src/common/database/migrate'));
  const { Client } = require('pg');
  const db = await ensureDatabase(
    { DATA_DIR: path.join(root, 'var'), EMBEDDED_PG_PORT: 54349, DATABASE_URL: process.env.BENCH_DATABASE_URL },
    { dataSubdir: 'bench-pg', database: 'postgres' },
  );
  const server = new Client({ connectionString: db.url });
  await server.connect();
  await server.query('DROP DATABASE IF EXISTS bench WITH (FORCE)');
  await server.query('CREATE DATABASE bench');
  await server.end();
  const url = db.url.replace(/\/[^/]+$/, '/bench');
  await runMigrations(url);
  const c = new Client({ connectionString: url });
  await c.connect();
  const t0 = Date.now();
  const { defaultStages } = require(dist('src/pipeline/domain/stages'));
  const stages = JSON.stringify(defaultStages());
  await c.query(`INSERT INTO users (id, email, name, password_hash, roles, timezone) VALUES
    ('00000000-0000-4000-8000-000000000001', 'hm@bench.local', 'Hank', 'x', '{hiring_manager}', 'Europe/Berlin'),
    ('00000000-0000-4000-8000-000000000002', 'rec@bench.local', 'Rita', 'x', '{recruiter}', 'America/New_York')`);
  await c.query(
    `INSERT INTO openings (title, hiring_manager_id, recruiter_id, compensation_min, compensation_max, compensation_currency, stages, timezone)
     SELECT 'Opening ' || g, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 90000, 120000, 'EUR', $1::jsonb, 'Europe/Berlin'
       FROM generate_series(1, $2) g`,
    [stages, M],
  );
  const zones = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata', 'America/Sao_Paulo'];
  await c.query(
    `INSERT INTO candidates (name, email, timezone, source_kind)
     SELECT 'Candidate ' || g, 'c' || g || '@bench.local', ($2::text[])[1 + g % 6], (ARRAY['referral','internship','partner','job_board','direct'])[1 + g % 5]
       FROM generate_series(1, $1) g`,
    [N, zones],
  );
  const now = new Date();
  // Due rows sat untouched for 3 weeks; the rest heard from us within the last day.
  await c.query(
    `WITH o AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM openings),
          ca AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM candidates)
     INSERT INTO applications (candidate_id, opening_id, stage, status, stage_entered_at, stage_visit, last_contact_at, created_at, updated_at)
     SELECT ca.id, o.id,
            (ARRAY['recruiter_screen','manager_call','take_home','code_review','team_interviews','offer'])[1 + ca.n % 6],
            'active',
            CASE WHEN random() < $2 THEN $1::timestamptz - interval '21 days' ELSE $1::timestamptz - (random() * interval '2 days') END,
            1, NULL, $1::timestamptz - interval '30 days', $1::timestamptz
       FROM ca JOIN o ON o.n = 1 + ca.n % $3`,
    [now, DUE, M],
  );
  await c.query(
    `UPDATE applications SET last_contact_at = stage_entered_at + interval '1 hour' WHERE stage_entered_at > $1::timestamptz - interval '3 days'`,
    [now],
  );
  await c.query('ANALYZE');
  const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM applications WHERE status = 'active'`)).rows;
  console.log(`seeded ${n} active applications across ${M} openings in ${((Date.now() - t0) / 1000).toFixed(1)} s (due share ${DUE})`);

  const { NestFactory } = require('@nestjs/core');
  const { WorkerModule } = require(dist('src/worker.module'));
  const { SweepRegistry } = require(dist('src/common/sweep/sweep.registry'));
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(url, 'cli'), { logger: false });
  const registry = app.get(SweepRegistry);
  const mu = process.memoryUsage();
  console.log(`before sweeping: RSS ${(mu.rss / 1048576).toFixed(0)} MB, heap used ${(mu.heapUsed / 1048576).toFixed(0)} MB`);
  const MB = (b) => (b / 1048576).toFixed(0);
  const sweep = async (label) => {
    if (global.gc) global.gc();
    const before = process.memoryUsage.rss();
    let peak = before;
    // Peak RSS per task: samples every 20 ms, attributed to the task running at the time. Only the
    // RSS (process.memoryUsage() walks the heap spaces too: ~29 ms of this process's CPU per first
    // sweep, counted as the app's).
    const perTask = {};
    let current = null;
    const sample = () => {
      const rss = process.memoryUsage.rss();
      peak = Math.max(peak, rss);
      if (current) perTask[current] = Math.max(perTask[current] ?? 0, rss);
    };
    const timer = setInterval(sample, 20);
    const pgPid = postmasterPid();
    const cpu0 = process.cpuUsage();
    const pg0 = pgPid ? treeCpuSeconds(pgPid) : NaN;
    const started = process.hrtime.bigint();
    const report = await registry.runAll(now, (name) => {
      sample();
      current = name;
      sample();
    });
    sample();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    const nodeCpu = (cpu.user + cpu.system) / 1e6;
    const pgCpu = pgPid ? treeCpuSeconds(pgPid) - pg0 : NaN;
    clearInterval(timer);
    const mu = process.memoryUsage();
    console.log(
      `${label}: ${(ms / 1000).toFixed(2)} s wall, peak RSS ${MB(peak)} MB (before ${MB(before)} MB, process max ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; after: heap used ${MB(mu.heapUsed)} MB, external ${MB(mu.external)} MB, array buffers ${MB(mu.arrayBuffers)} MB)`,
    );
    // CPU seconds, the figure that holds on a loaded machine (wall time there is mostly waiting for a core).
    console.log(`  CPU: this process ${nodeCpu.toFixed(2)} s + PostgreSQL ${pgCpu.toFixed(2)} s = ${(nodeCpu + pgCpu).toFixed(2)} s`);
    console.log(`  ${'task'.padEnd(17)} ${'ms'.padStart(6)} ${'peak RSS'.padStart(9)}  figures`);
    for (const [task, figures] of Object.entries(report)) {
      const { ms: taskMs, ...rest } = figures;
      console.log(
        `  ${task.padEnd(17)} ${String(taskMs).padStart(6)} ${`${MB(perTask[task] ?? 0)} MB`.padStart(9)}  ${JSON.stringify(rest)}`,
      );
    }
    return { ms, peak, cpu: nodeCpu + pgCpu };
  };
  const first = await sweep('first sweep ');
  console.log(
    `first sweep against the target: ${(first.ms / 1000).toFixed(2)} s (target < 2 s, ratio ${(first.ms / 2000).toFixed(2)}), peak RSS ${MB(first.peak)} MB (target < 300 MB, ratio ${(first.peak / (300 * 1048576)).toFixed(2)})`,
  );
  await sweep('second sweep (same instant)');
  await app.close();
  await c.end();
  await db.stop();
  process.exit(0);
}

/** The postmaster of this bench's embedded PostgreSQL (its command line names the data folder). */
function postmasterPid() {
  const fs = require('node:fs');
  const dir = path.join(root, 'var', 'bench-pg');
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes(dir) && /postgres/.test(cmd.split('\0')[0])) return Number(d);
    } catch {
      /* gone */
    }
  }
  return null;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
