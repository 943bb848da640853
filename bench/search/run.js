#!/usr/bin/env node
/**
 * Candidate search benchmark: prints figures, asserts nothing.
 *
 *   npm run build && flock /tmp/bench.lock node bench/search/run.js [--candidates 100000] [--runs 200] [--reuse]
 *
 * Seeds N candidates (in SQL) into a fresh embedded PostgreSQL, each with a résumé of about 150
 * words (a shared technical vocabulary plus rare made-up words) and half of them with an
 * application, then runs the real search SQL (CandidateSearchService from dist/, the same code the
 * API and the /candidates page use) for several kinds of query, each `--runs` times, and prints
 * p50/p99/max per kind beside a same-run baseline: the plain indexed lookup by e-mail
 * (`lower(email) = lower($1)`, the only way to find a candidate before search existed).
 * `--reuse` keeps the database seeded by the previous run (same --candidates) instead of seeding again.
 * Target (issue 23): search p99 under 100 ms on this machine.
 */
'use strict';
require('reflect-metadata');
const path = require('node:path');
const { parseArgs } = require('node:util');
const args = parseArgs({ options: { candidates: { type: 'string' }, runs: { type: 'string' }, reuse: { type: 'boolean' } } }).values;
const N = Number(args.candidates ?? 100000);
const RUNS = Number(args.runs ?? 200);
const root = path.resolve(__dirname, '..', '..');
const dist = (p) => path.join(root, 'dist', p);

process.env.LOG_LEVEL = 'error';
process.env.DATA_DIR = path.join(root, 'var', 'bench');
process.env.SEED_DEMO = 'false';

const VOCAB = (
  'python java typescript kubernetes docker postgres kafka spark airflow terraform react node golang rust scala ' +
  'microservices distributed systems latency throughput observability prometheus grafana linux networking security oauth ' +
  'graphql rest api design testing mentoring leadership agile scrum analytics pipelines streaming batch ml pytorch tensorflow ' +
  'compilers embedded firmware robotics vision mobile android ios swift kotlin frontend backend fullstack devops sre cloud aws ' +
  'gcp azure caching redis elasticsearch search ranking payments fintech healthcare logistics startup enterprise migration'
).split(' ');

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const { ensureDatabase } = require(dist('src/common/database/embedded-postgres'));
  const { runMigrations } = require(dist('src/common/database/migrate'));
  const { CandidateSearchService } = require(dist('src/candidates/candidate-search.service'));
  const { Client, Pool } = require('pg');
  const db = await ensureDatabase(
    { DATA_DIR: path.join(root, 'var'), EMBEDDED_PG_PORT: 54351, DATABASE_URL: process.env.BENCH_DATABASE_URL },
    { dataSubdir: 'bench-search-pg', database: 'postgres' },
  );
  const url = db.url.replace(/\/[^/]+$/, '/bench_search');
  const reuse = args.reuse && (await countCandidates(url)) === N;
  if (!reuse) {
    const server = new Client({ connectionString: db.url });
    await server.connect();
    await server.query('DROP DATABASE IF EXISTS bench_search WITH (FORCE)');
    await server.query('CREATE DATABASE bench_search');
    await server.end();
  }
  await runMigrations(url);
  const pool = new Pool({ connectionString: url, max: 2 });
  if (!reuse) await seed(pool);
  else console.log(`reusing the ${N} seeded candidates`);
  await measure(pool, CandidateSearchService);
  await pool.end();
  await db.stop?.();
}

async function countCandidates(url) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: url });
  try {
    await c.connect();
    return Number((await c.query('SELECT count(*) FROM candidates')).rows[0].count);
  } catch {
    return -1;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function seed(pool) {
  const t0 = Date.now();
  await pool.query(`INSERT INTO users (id, email, name, password_hash, roles, timezone) VALUES
    ('00000000-0000-4000-8000-000000000001', 'hm@bench.local', 'Hank', 'x', '{hiring_manager}', 'Europe/Berlin'),
    ('00000000-0000-4000-8000-000000000002', 'rec@bench.local', 'Rita', 'x', '{recruiter}', 'Europe/Berlin')`);
  const { defaultStages } = require(dist('src/pipeline/domain/stages'));
  await pool.query(
    `INSERT INTO openings (title, hiring_manager_id, recruiter_id, compensation_min, compensation_max, compensation_currency, stages, timezone)
     SELECT 'Opening ' || g, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 90000, 120000, 'EUR', $1::jsonb, 'UTC' FROM generate_series(1, 20) g`,
    [JSON.stringify(defaultStages())],
  );
  const first = [
    'José',
    'Zoë',
    'Ada',
    'Grace',
    'Linus',
    'Ana',
    'Björn',
    'Chloé',
    'Dmitri',
    'Emeka',
    'Fatima',
    'Hiro',
    'Ines',
    'Jamal',
    'Katarzyna',
    'Léa',
  ];
  const last = ['García', 'Müller', 'Nakamura', 'Okafor', 'Silva', 'Kowalski', 'Dubois', 'Ivanov', 'Haddad', 'Lindqvist', 'Rossi', 'Chen'];
  const BATCH = 10000;
  for (let from = 1; from <= N; from += BATCH) {
    const to = Math.min(N, from + BATCH - 1);
    // ~150 words: 120 from the shared vocabulary, 30 rare made-up words (md5 fragments).
    await pool.query(
      `INSERT INTO candidates (name, email, timezone, source_kind, resume_text, notes_text)
       SELECT ($3::text[])[1 + g % array_length($3::text[], 1)] || ' ' || ($4::text[])[1 + (g / 7) % array_length($4::text[], 1)] || ' ' || g,
              'cand' || g || '@bench.local', 'UTC', 'direct',
              (SELECT string_agg(($5::text[])[1 + floor(random() * array_length($5::text[], 1))::int], ' ') FROM generate_series(1, 120 + (g % 2)))
                || ' ' || (SELECT string_agg(substr(md5(g::text || '-' || k), 1, 7), ' ') FROM generate_series(1, 30) k),
              CASE WHEN g % 10 = 0 THEN 'strong systems thinking, follow up in spring' ELSE '' END
       FROM generate_series($1::int, $2::int) g`,
      [from, to, first, last, VOCAB],
    );
    process.stdout.write(`\rseeded ${to} candidates`);
  }
  await pool.query(
    `INSERT INTO applications (candidate_id, opening_id, stage, status, stage_entered_at, stage_visit, created_at, updated_at, source_kind)
     SELECT c.id, o.id, 'recruiter_screen', CASE WHEN random() < 0.8 THEN 'active' ELSE 'rejected' END, now(), 1, now() - make_interval(days => floor(random() * 90)::int), now(), 'direct'
     FROM (SELECT id, row_number() OVER () AS n FROM candidates) c JOIN (SELECT id, row_number() OVER () AS n FROM openings) o ON o.n = 1 + c.n % 20
     WHERE c.n % 2 = 0`,
  );
  await pool.query('VACUUM ANALYZE candidates');
  await pool.query('VACUUM ANALYZE applications');
  const seedSeconds = (Date.now() - t0) / 1000;
  const [{ size }] = (await pool.query(`SELECT pg_size_pretty(pg_relation_size('candidates_search_idx')) AS size`)).rows;
  console.log(`\nseeded ${N} candidates (${N / 2} applications) in ${seedSeconds.toFixed(1)} s; GIN index ${size}`);
}

async function measure(pool, CandidateSearchService) {
  const ds = { query: (sql, params) => pool.query(sql, params).then((r) => r.rows) };
  const search = new CandidateSearchService(ds);
  const [{ opening_id: openingId }] = (await pool.query(`SELECT opening_id FROM applications LIMIT 1`)).rows;
  const rare = (
    await pool.query(`SELECT substr(md5((1 + floor(random() * $1))::int::text || '-' || 5), 1, 7) AS w FROM generate_series(1, 50)`, [N])
  ).rows.map((r) => r.w);
  const kinds = [
    ['rare résumé word (1 match)', (i) => ({ q: rare[i % rare.length] })],
    ['name, no accent typed ("jose garcia")', () => ({ q: 'jose garcia' })],
    ['e-mail prefix ("cand4242")', (i) => ({ q: `cand${4242 + i}` })],
    ['two common words, prefix ("kube postg")', () => ({ q: 'kube postg' })],
    ['common word + filters (opening, active)', () => ({ q: 'python', openingId, status: 'active' })],
    ['filters only (opening, applied < 30 days)', () => ({ openingId, maxAgeDays: 30 })],
  ];
  const time = async (fn) => {
    const s = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - s) / 1e6;
  };
  const results = [];
  // Baseline: the plain indexed lookup by e-mail, in the same run.
  const base = [];
  for (let i = 0; i < RUNS; i++)
    base.push(
      await time(() =>
        pool.query(`SELECT id, name, email FROM candidates WHERE lower(email) = lower($1)`, [`cand${1 + ((i * 7919) % N)}@bench.local`]),
      ),
    );
  results.push(['baseline: lookup by e-mail (indexed)', base, 1]);
  for (const [label, make] of kinds) {
    for (let i = 0; i < 5; i++) await search.search({ ...make(i), limit: 100 }); // warm-up
    const ms = [];
    let hits = 0;
    for (let i = 0; i < RUNS; i++) {
      const f = { ...make(i), limit: 100 };
      let n = 0;
      ms.push(await time(async () => (n = (await search.search(f)).length)));
      hits += n;
    }
    results.push([label, ms, hits / RUNS]);
  }
  console.log(`\n${RUNS} runs each, one at a time, limit 100 (candidates: ${N})`);
  console.log('query'.padEnd(44) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'max ms'.padStart(9) + '  avg hits');
  for (const [label, ms, hits] of results) {
    const s = [...ms].sort((a, b) => a - b);
    console.log(
      label.padEnd(44) +
        pct(s, 50).toFixed(2).padStart(9) +
        pct(s, 99).toFixed(2).padStart(9) +
        s[s.length - 1].toFixed(2).padStart(9) +
        `  ${hits.toFixed(1)}`,
    );
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
