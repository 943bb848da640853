#!/usr/bin/env node
/**
 * Sandbox benchmark: prints figures, asserts nothing.
 *
 *   npm run build && flock /tmp/bench.lock node bench/sandbox/run.js \
 *     [--runs 20] [--submissions 100] [--concurrency $GRADING_CONCURRENCY|2]
 *     [--runtimes node,python,java,go,ruby,rust,cpp,php]
 *     [--only overhead|throughput] [--json out.json]
 *
 * 1. Per-run overhead (target: at most 0.5 s added at p50): the same suite of each runtime (SUITES)
 *    run directly on the host (same runner, same configuration, host-runner.ts) and in the
 *    sandbox, N runs each, alternating: p50, p95, ratio and the time the sandbox adds at p50, then
 *    where a sandbox run's time goes (p50 of each phase). A runtime whose toolchain the host lacks
 *    (hostCanRun; `NEED_HOST_RUNNERS=1 bash scripts/setup.sh` installs them, Go included) is
 *    measured in the sandbox only and its host columns print "-".
 * 2. Throughput (target: within 75% of the limit): S submissions per runtime written to a fresh
 *    embedded PostgreSQL (port 54347) and enqueued at once on the real BullMQ `grading` queue,
 *    graded by the real worker (bench/sandbox/worker.js: WorkerModule at GRADING_CONCURRENCY, in
 *    its own process): gradings per minute and the worker's peak memory (VmHWM), beside the
 *    limit: the host running the same suites directly at the same concurrency; and their ratio.
 *
 * Needs dist/ (npm run build), the images (npm run cli -- sandbox:build), Docker and Redis.
 */
'use strict';
require('reflect-metadata');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const { parseArgs } = require('node:util');

const root = path.resolve(__dirname, '..', '..');
const dist = (p) => path.join(root, 'dist', p);
if (!fs.existsSync(dist('src/worker.module.js'))) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(1);
}

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string' },
    submissions: { type: 'string' },
    concurrency: { type: 'string' },
    runtimes: { type: 'string' },
    only: { type: 'string' },
    json: { type: 'string' },
  },
});
const RUNS = Number(args.runs ?? 20);
const SUBMISSIONS = Number(args.submissions ?? 100);
const CONCURRENCY = Number(args.concurrency ?? process.env.GRADING_CONCURRENCY ?? 2);
const RUNTIMES = (args.runtimes ?? 'node,python,java,go,ruby,rust,cpp,php').split(',');
const PG_PORT = 54347;

const Docker = require('dockerode');
const { readDirectory } = require(dist('src/sandbox/archive'));
const { SandboxRunner } = require(dist('src/sandbox/sandbox-runner'));
const { hostCanRun, runOnHost } = require(dist('src/sandbox/host-runner'));
const { expectedImageTag } = require(dist('src/sandbox/image-builder'));
const { packFiles } = require(dist('src/sandbox/tar'));
const { topLevelNames } = require(dist('src/assessments/domain/policy'));

const SUITES = {
  node: path.join(root, 'test/sandbox/corpus/node/stats-commonjs'),
  python: path.join(root, 'test/sandbox/corpus/python/fizzbuzz'),
  // the same small exercise in each language (its hidden tests written the ecosystem's way)
  java: path.join(root, 'test/sandbox/corpus-langs/java/leap-year'),
  go: path.join(root, 'test/sandbox/corpus-langs/go/leap'),
  ruby: path.join(root, 'test/sandbox/corpus-langs/ruby/leap'),
  rust: path.join(root, 'test/sandbox/corpus-langs/rust/leap'),
  cpp: path.join(root, 'test/sandbox/corpus-langs/cpp/leap-gtest'),
  php: path.join(root, 'test/sandbox/corpus-langs/php/leap'),
};

const pct = (xs, p) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const fx = (x, d = 1) => (Number.isNaN(x) ? '-' : x.toFixed(d));
const ms = (x) => (Number.isNaN(x) ? '-' : `${Math.round(x)} ms`);

async function load(runtime) {
  const dir = SUITES[runtime];
  return {
    submission: (await readDirectory(path.join(dir, 'solution'))).files,
    tests: (await readDirectory(path.join(dir, 'tests'))).files,
  };
}

async function mapLimit(n, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// 1. Per-run overhead
// ---------------------------------------------------------------------------------------------

async function overhead(docker, runtime) {
  const removalMs = new Map();
  const onRemoved = (runId, t) => removalMs.set(runId, t);
  // As the worker runs them (a container started ahead of each run), and cold (create + start in the run).
  const runners = {
    warm: new SandboxRunner(docker, { owner: `bench-${process.pid}`, onRemoved }),
    cold: new SandboxRunner(docker, { owner: `bench-${process.pid}`, onRemoved }),
  };
  runners.warm.keepWarm(1);
  const { submission, tests } = await load(runtime);
  const onHost = hostCanRun(runtime);
  // One warm-up each (page cache, image layers).
  if (onHost) await runOnHost(runtime, submission, tests);
  for (const r of Object.values(runners)) await r.run({ runtime, submission, tests }).then((x) => r.removal(x.runId));
  const host = [];
  const times = { warm: [], cold: [] };
  const phases = { warm: [], cold: [] };
  for (let i = 0; i < RUNS; i++) {
    let t = Date.now();
    if (onHost) {
      const h = await runOnHost(runtime, submission, tests);
      host.push(Date.now() - t);
      if (!h.tests || h.tests.some((x) => x.status !== 'passed'))
        throw new Error(`${runtime} bench suite did not pass on the host: ${h.log.slice(-2000)}`);
    }
    for (const kind of i % 2 ? ['cold', 'warm'] : ['warm', 'cold']) {
      t = Date.now();
      const r = await runners[kind].run({ runtime, submission, tests });
      times[kind].push(Date.now() - t);
      // The removal follows the result; wait for it outside the timing so runs stay independent.
      await runners[kind].removal(r.runId);
      phases[kind].push({ ...r.phases, removeAfter: removalMs.get(r.runId) ?? null });
      if (r.status !== 'passed')
        throw new Error(`${runtime} bench suite did not pass in the sandbox: ${r.status} ${r.reason} ${r.log.slice(-2000)}`);
      if (kind === 'warm' && !r.warmContainer) throw new Error('the warm runner did not use a warm container');
    }
  }
  await runners.warm.close();
  await runners.cold.close();
  const keys = ['prepare', 'create', 'start', 'exec', 'unpack', 'tests', 'report', 'removeAfter'];
  const rows = [];
  for (const kind of ['warm', 'cold']) {
    const row = {
      runtime,
      kind,
      runs: RUNS,
      hostP50: pct(host, 50),
      hostP95: pct(host, 95),
      sandboxP50: pct(times[kind], 50),
      sandboxP95: pct(times[kind], 95),
    };
    row.ratioP50 = row.sandboxP50 / row.hostP50;
    row.addedP50 = row.sandboxP50 - row.hostP50;
    row.phasesP50 = Object.fromEntries(
      keys.map((k) => [
        k,
        pct(
          phases[kind].map((p) => p[k]),
          50,
        ),
      ]),
    );
    row.phasesP50.execOther = pct(
      phases[kind].map((p) => p.exec - (p.unpack ?? 0) - (p.tests ?? 0)),
      50,
    );
    rows.push(row);
  }
  return rows;
}

function printOverhead(rows) {
  console.log(
    'Per-run overhead (wall clock of one grading, same suite; target: ratio p50 <= 1.0 (issue 25; an earlier issue set was added p50 <= 500 ms)).',
  );
  console.log('sandbox "warm" = as the worker runs it (a container started ahead of the run); "cold" = create + start inside the run.');
  console.log('runtime  sandbox  host p50  host p95  sandbox p50  sandbox p95  ratio p50  added p50');
  for (const r of rows) {
    console.log(
      `${r.runtime.padEnd(8)} ${r.kind.padEnd(7)} ${ms(r.hostP50).padStart(8)}  ${ms(r.hostP95).padStart(8)}  ${ms(r.sandboxP50).padStart(11)}  ${ms(r.sandboxP95).padStart(11)}  ${fx(r.ratioP50, 2).padStart(9)}  ${ms(r.addedP50).padStart(9)}${Number.isNaN(r.hostP50) ? '  (toolchain not on this host)' : ''}`,
    );
  }
  console.log(
    "\nWhere a sandbox run goes (p50 per phase; exec = files in to result through the entry's attach: unpack + tests + the rest):",
  );
  console.log('runtime  sandbox  prepare  create   start    exec  (unpack   tests    rest)  report | removal, after the result');
  for (const r of rows) {
    const p = r.phasesP50;
    const c = (x, w = 7) => ms(x).padStart(w);
    console.log(
      `${r.runtime.padEnd(8)} ${r.kind.padEnd(7)} ${c(p.prepare)} ${c(p.create)} ${c(p.start)} ${c(p.exec)}  (${c(p.unpack, 6)} ${c(p.tests)} ${c(p.execOther)}) ${c(p.report)} | ${c(p.removeAfter)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Throughput through the real grading queue and worker
// ---------------------------------------------------------------------------------------------

const sha = (b) => createHash('sha256').update(b).digest('hex');

async function seed(c, runtime, n) {
  const { defaultStages } = require(dist('src/pipeline/domain/stages'));
  const { submission, tests } = await load(runtime);
  const hidden = await packFiles(tests);
  const solution = await packFiles(submission);
  const tag = `${runtime}-${randomBytes(4).toString('hex')}`;
  const [hm] = (
    await c.query(`INSERT INTO users (email, name, password_hash, roles) VALUES ($1, 'Hank', 'x', '{hiring_manager}') RETURNING id`, [
      `hm-${tag}@bench.local`,
    ])
  ).rows;
  const [rec] = (
    await c.query(`INSERT INTO users (email, name, password_hash, roles) VALUES ($1, 'Rita', 'x', '{recruiter}') RETURNING id`, [
      `rec-${tag}@bench.local`,
    ])
  ).rows;
  const [opening] = (
    await c.query(
      `INSERT INTO openings (title, hiring_manager_id, recruiter_id, compensation_min, compensation_max, compensation_currency, stages)
       VALUES ($1, $2, $3, 90000, 120000, 'EUR', $4::jsonb) RETURNING id`,
      [`Bench ${tag}`, hm.id, rec.id, JSON.stringify(defaultStages())],
    )
  ).rows;
  const [assignment] = (
    await c.query(
      `INSERT INTO assignments (title, runtime, instructions, time_guidance_minutes) VALUES ($1, $2, 'Bench exercise', 60) RETURNING id`,
      [`Bench ${tag}`, runtime],
    )
  ).rows;
  const [version] = (
    await c.query(
      `INSERT INTO assignment_versions (assignment_id, version, status, instructions, time_guidance_minutes, hidden_tests, hidden_tests_sha256, hidden_test_paths,
                                        reference_solution, reference_solution_sha256, layout_top_level, published_at, created_at)
       VALUES ($1, 1, 'published', 'Bench exercise', 60, $2, $3, $4, $5, $6, $7, now(), now()) RETURNING id`,
      // The reference's top-level names, as publishing records them: a submission that is all under
      // one of them (ruby's and php's lib/, src/) keeps it instead of losing it as a project folder.
      [assignment.id, hidden, sha(hidden), tests.map((f) => f.path), solution, sha(solution), topLevelNames(submission.map((f) => f.path))],
    )
  ).rows;
  const { rows } = await c.query(
    `WITH ca AS (
       INSERT INTO candidates (name, email, timezone, source_kind)
       SELECT 'Candidate ' || g, $2 || g || '@bench.local', 'UTC', 'direct' FROM generate_series(1, $1) g RETURNING id),
     ap AS (
       INSERT INTO applications (candidate_id, opening_id, stage, stage_entered_at)
       SELECT id, $3, 'take_home', now() FROM ca RETURNING id),
     inv AS (
       INSERT INTO invitations (application_id, assignment_id, version_id, token_hash, expires_at, created_at, updated_at)
       SELECT id, $4, $5, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), now() + interval '7 days', now(), now() FROM ap RETURNING id, application_id)
     INSERT INTO submissions (invitation_id, application_id, version_id, seq, status, archive, sha256, size_bytes, format, file_count, created_at, updated_at)
     SELECT id, application_id, $5, 1, 'queued', $6, $7, $8, 'tar', $9, now(), now() FROM inv RETURNING id`,
    [n, `c-${tag}-`, opening.id, assignment.id, version.id, solution, sha(solution), solution.length, submission.length],
  );
  return rows.map((r) => r.id);
}

function readStatus(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number((new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s) || [])[1] || 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

// Per-step times and CPU of the throughput batches (bench only: see src/common/timing/step-times.ts).
function askStepTimes(worker) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (!m || !m.stepTimes) return;
      worker.off('message', on);
      resolve(m);
    };
    worker.on('message', on);
    worker.send({ stepTimes: true });
  });
}

const TICK_MS = 1000 / 100; // USER_HZ
/**
 * CPU time of the processes a grading uses, sampled from /proc every 200 ms (a short-lived
 * process, e.g. a container's shim, counts up to its last sample): the worker, dockerd,
 * containerd, the shims, the bench's PostgreSQL, redis; the containers' own CPU from the docker
 * cpuacct cgroup (every container: other helpers' too), "own" the same for the worker's own
 * containers only (runc init included; the kernel's and runc's work outside them not); and the
 * whole machine's busy time (other helpers' work included).
 */
function cpuSampler(workerPid) {
  const readStat = (pid) => {
    try {
      const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = s.lastIndexOf(')');
      const comm = s.slice(s.indexOf('(') + 1, close);
      const f = s.slice(close + 2).split(' ');
      return { comm, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
    } catch {
      return null;
    }
  };
  let pgPid = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('bench-sandbox-pg') && readStat(pid)?.comm === 'postgres')
        pgPid = Number(pid);
    } catch {
      // gone
    }
  }
  const groupOf = (pid, st) => {
    if (pid === workerPid) return 'worker';
    if (st.comm === 'dockerd') return 'dockerd';
    if (st.comm === 'containerd') return 'containerd';
    if (st.comm.startsWith('containerd-shim')) return 'shims';
    if (pgPid && (pid === pgPid || st.ppid === pgPid)) return 'postgres';
    if (st.comm === 'redis-server') return 'redis';
    return null;
  };
  const cgroup = () => {
    try {
      return Number(fs.readFileSync('/sys/fs/cgroup/cpuacct/docker/cpuacct.usage', 'utf8')) / 1e6;
    } catch {
      return NaN;
    }
  };
  const busy = () => {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (f.reduce((a, b) => a + b, 0) - f[3] - f[4]) * TICK_MS;
  };
  const seen = new Map(); // pid -> { group, first, last }
  // The worker's own containers (its runner's hiring.owner label starts with host:pid:), read from the
  // engine's files rather than asked of the engine (an API call would add to dockerd's column): the
  // "containers" column is the whole docker cgroup, other helpers' containers included.
  const CG = '/sys/fs/cgroup/cpuacct/docker';
  const ownPrefix = `${os.hostname()}:${workerPid}:`;
  const ctrs = new Map(); // id -> { first, last } for the worker's containers, null for any other
  const usage = (id) => Number(fs.readFileSync(`${CG}/${id}/cpuacct.usage`, 'utf8')) / 1e6;
  const sampleContainers = () => {
    let ids = [];
    try {
      ids = fs.readdirSync(CG).filter((d) => /^[0-9a-f]{64}$/.test(d));
    } catch {
      return;
    }
    for (const id of ids) {
      try {
        let c = ctrs.get(id);
        if (c === null) continue;
        if (c === undefined) {
          const owner = JSON.parse(fs.readFileSync(`/var/lib/docker/containers/${id}/config.v2.json`, 'utf8')).Config?.Labels?.[
            'hiring.owner'
          ];
          c = workerPid && typeof owner === 'string' && owner.startsWith(ownPrefix) ? { first: initial ? usage(id) : 0, last: 0 } : null;
          ctrs.set(id, c);
          if (!c) continue;
        }
        c.last = usage(id);
      } catch {
        // gone meanwhile
      }
    }
  };
  let initial = true;
  const sample = () => {
    sampleContainers();
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      const prev = seen.get(pid);
      if (prev === null) continue;
      const st = readStat(pid);
      if (!st) continue;
      if (!prev) {
        const group = groupOf(pid, st);
        seen.set(pid, group ? { group, first: initial ? st.ticks : 0, last: st.ticks } : null);
      } else prev.last = st.ticks;
    }
    initial = false;
  };
  const at = { containers: cgroup(), machine: busy() };
  sample();
  const timer = setInterval(sample, 200);
  return () => {
    clearInterval(timer);
    sample();
    const out = { containers: cgroup() - at.containers, machine: busy() - at.machine };
    for (const v of seen.values()) if (v) out[v.group] = (out[v.group] ?? 0) + (v.last - v.first) * TICK_MS;
    out.own = 0;
    for (const c of ctrs.values()) if (c) out.own += Math.max(0, c.last - c.first);
    return out;
  };
}

async function throughput(_docker) {
  const { ensureDatabase } = require(dist('src/common/database/embedded-postgres'));
  const { runMigrations } = require(dist('src/common/database/migrate'));
  const { QueueService } = require(dist('src/common/queues/queue.service'));
  const { JobName, QueueName, redisOptions } = require(dist('src/common/queues/queues'));
  const { Queue } = require('bullmq');
  const { Client } = require('pg');

  const db = await ensureDatabase(
    { DATA_DIR: path.join(root, 'var'), EMBEDDED_PG_PORT: PG_PORT, DATABASE_URL: process.env.BENCH_DATABASE_URL },
    { dataSubdir: 'bench-sandbox-pg', database: 'postgres' },
  );
  const server = new Client({ connectionString: db.url });
  await server.connect();
  await server.query('DROP DATABASE IF EXISTS benchsandbox WITH (FORCE)');
  await server.query('CREATE DATABASE benchsandbox');
  await server.end();
  const url = db.url.replace(/\/[^/]+$/, '/benchsandbox');
  await runMigrations(url);
  const c = new Client({ connectionString: url });
  await c.connect();

  const prefix = `benchsbx${process.pid}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const grading = new Queue(QueueName.Grading, { connection: redisOptions(redisUrl), prefix });
  // The API's own enqueue path (job id = submission id, the default attempts and backoff).
  const queues = new QueueService(grading, grading, grading, grading);

  const logFile = path.join(os.tmpdir(), `bench-sandbox-worker-${process.pid}.log`);
  const logFd = fs.openSync(logFile, 'w');
  const worker = fork(path.join(__dirname, 'worker.js'), [], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      GRADING_CONCURRENCY: String(CONCURRENCY),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      DATA_DIR: path.join(root, 'var', 'bench-sandbox'),
      SWEEP_EVERY_SECONDS: '86400',
    },
    stdio: ['ignore', logFd, logFd, 'ipc'],
  });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const ready = await Promise.race([new Promise((resolve) => worker.once('message', resolve)), exited.then((code) => ({ exited: code }))]);
  if (!ready || !ready.ready) throw new Error(`the bench worker did not start (see ${logFile})`);

  const rows = [];
  try {
    for (const runtime of RUNTIMES) {
      const ids = await seed(c, runtime, SUBMISSIONS);
      const before = readStatus(worker.pid);
      let peakRss = before.rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, readStatus(worker.pid).rss)), 100);
      await askStepTimes(worker); // forget the previous batch's
      const stopCpu = cpuSampler(worker.pid);
      const started = Date.now();
      const ok = await queues.enqueueBulk(
        QueueName.Grading,
        JobName.GradeSubmission,
        ids.map((id) => ({ jobId: id, data: { submissionId: id } })),
      );
      if (!ok) throw new Error('enqueue failed');
      let done = 0;
      for (;;) {
        const [{ n }] = (
          await c.query(`SELECT count(*)::int AS n FROM submissions WHERE id = ANY($1::uuid[]) AND status = 'graded'`, [ids])
        ).rows;
        done = n;
        if (done === ids.length) break;
        if (worker.exitCode !== null) throw new Error(`the bench worker died (see ${logFile})`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const seconds = (Date.now() - started) / 1000;
      clearInterval(sampler);
      const cpu = stopCpu();
      const { stepTimes } = await askStepTimes(worker);
      const statuses = Object.fromEntries(
        (
          await c.query(
            `SELECT result->>'status' AS s, count(*)::int AS n FROM submissions WHERE id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
            [ids],
          )
        ).rows.map((r) => [r.s, r.n]),
      );
      // A throughput of gradings that did not pass says nothing: name why the first one did not.
      const [notPassed] = (
        await c.query(
          `SELECT result->>'status' AS s, left(result::text, 1500) AS r FROM submissions
            WHERE id = ANY($1::uuid[]) AND coalesce(result->>'status', '') <> 'passed' LIMIT 1`,
          [ids],
        )
      ).rows;
      if (notPassed) process.stderr.write(`  ${runtime}: a grading ended ${notPassed.s}: ${notPassed.r}\n`);
      const after = readStatus(worker.pid);

      // The limit: the same suite run directly on the host, same count, same concurrency.
      const { submission, tests } = await load(runtime);
      const stopHostCpu = cpuSampler(0);
      const hostStarted = Date.now();
      let hostPassed = 0;
      const onHost = hostCanRun(runtime);
      if (onHost)
        await mapLimit(SUBMISSIONS, CONCURRENCY, async () => {
          const h = await runOnHost(runtime, submission, tests);
          if (h.tests && h.tests.length && h.tests.every((t) => t.status === 'passed')) hostPassed++;
        });
      const hostSeconds = onHost ? (Date.now() - hostStarted) / 1000 : NaN;
      const hostCpu = stopHostCpu();
      const row = {
        runtime,
        submissions: SUBMISSIONS,
        concurrency: CONCURRENCY,
        seconds,
        perMinute: (SUBMISSIONS / seconds) * 60,
        workerRssBeforeMb: before.rss / 1048576,
        workerPeakRssMb: Math.max(peakRss, after.rss) / 1048576,
        workerHwmMb: after.hwm / 1048576,
        statuses,
        hostSeconds,
        hostPerMinute: (SUBMISSIONS / hostSeconds) * 60,
        hostPassed,
        stepTimes,
        cpu,
        hostCpu,
      };
      row.ratio = row.perMinute / row.hostPerMinute;
      rows.push(row);
      console.log(
        `  ${runtime}: ${SUBMISSIONS} graded in ${seconds.toFixed(1)} s through the queue, ${onHost ? `${hostSeconds.toFixed(1)} s directly on the host` : 'no toolchain on this host'}`,
      );
    }
  } finally {
    worker.send({ stop: true });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    if (worker.exitCode === null) worker.kill('SIGKILL');
    await grading.obliterate({ force: true }).catch(() => undefined);
    await grading.close();
    await c.end();
    const s = new Client({ connectionString: db.url });
    await s.connect();
    await s.query('DROP DATABASE IF EXISTS benchsandbox WITH (FORCE)');
    await s.end();
    await db.stop();
  }
  return { rows, logFile };
}

function printThroughput({ rows, logFile }) {
  console.log(
    `\nThroughput: ${SUBMISSIONS} submissions per runtime enqueued at once on the grading queue, worker concurrency ${CONCURRENCY} (target: ratio >= 0.9, issue 25)`,
  );
  console.log('runtime  seconds  gradings/min  worker peak RSS (VmHWM)  | limit: host seconds  host gradings/min  | ratio  statuses');
  for (const r of rows) {
    console.log(
      `${r.runtime.padEnd(8)} ${r.seconds.toFixed(1).padStart(7)}  ${r.perMinute.toFixed(1).padStart(12)}  ${`${r.workerPeakRssMb.toFixed(0)} MB (${r.workerHwmMb.toFixed(0)} MB)`.padStart(23)}  | ${fx(r.hostSeconds).padStart(18)}  ${fx(r.hostPerMinute).padStart(17)}  | ${fx(r.ratio, 2).padStart(5)}  ${JSON.stringify(r.statuses)}${Number.isNaN(r.hostSeconds) ? ' (toolchain not on this host)' : r.hostPassed === r.submissions ? '' : ` (host passed only ${r.hostPassed})`}`,
    );
  }
  for (const r of rows) {
    console.log(
      `\n${r.runtime}: where a grading's wall time goes in the worker (ms; n = times the step ran; a slot = ${r.concurrency} x ${r.seconds.toFixed(1)} s = ${(r.concurrency * r.seconds).toFixed(1)} slot-seconds)`,
    );
    console.log('step                                            n     p50    mean   total/grading');
    const jobs = r.stepTimes['job (grade)'] ?? [];
    const jobSum = jobs.reduce((a, b) => a + b, 0);
    for (const [step, xs] of Object.entries(r.stepTimes)) {
      const sum = xs.reduce((a, b) => a + b, 0);
      console.log(
        `${step.padEnd(46)} ${String(xs.length).padStart(3)} ${fx(pct(xs, 50), 0).padStart(7)} ${fx(sum / xs.length, 0).padStart(7)} ${fx(sum / r.submissions, 0).padStart(15)}`,
      );
    }
    console.log(
      `${'slot idle between jobs (pickup, queue)'.padEnd(46)}       ${''.padStart(15)} ${fx((r.concurrency * r.seconds * 1000 - jobSum) / r.submissions, 0).padStart(15)}`,
    );
    const c = (o, k) => fx((o[k] ?? NaN) / r.submissions, 0).padStart(7);
    const groups = ['worker', 'dockerd', 'containerd', 'shims', 'containers', 'own', 'postgres', 'redis', 'machine'];
    console.log(`CPU per grading (ms)     ${groups.map((g) => g.padStart(10)).join('')}`);
    console.log(`  through the queue      ${groups.map((g) => c(r.cpu, g).padStart(10)).join('')}`);
    console.log(`  host run (the limit)   ${groups.map((g) => c(r.hostCpu, g).padStart(10)).join('')}`);
  }
  console.log(`worker RSS before the first batch: ${rows.length ? rows[0].workerRssBeforeMb.toFixed(0) : '-'} MB; worker log: ${logFile}`);
}

async function main() {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  for (const rt of RUNTIMES) {
    if (!SUITES[rt]) throw new Error(`unknown runtime ${rt}`);
    await docker
      .getImage(expectedImageTag(rt))
      .inspect()
      .catch(() => {
        throw new Error(`image ${expectedImageTag(rt)} is missing: run npm run cli -- sandbox:build`);
      });
  }
  console.log(
    `sandbox bench: ${RUNS} runs per suite for overhead; ${SUBMISSIONS} gradings per runtime at concurrency ${CONCURRENCY} for throughput`,
  );
  console.log(
    `host: ${os.cpus().length} CPUs, node ${process.version}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  const out = { at: new Date().toISOString() };
  if (args.only !== 'throughput') {
    out.overhead = [];
    for (const rt of RUNTIMES) out.overhead.push(...(await overhead(docker, rt)));
    printOverhead(out.overhead);
  }
  if (args.only !== 'overhead') {
    const tp = await throughput(docker);
    out.throughput = tp.rows;
    printThroughput(tp);
  }
  console.log(
    `\nload average at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(out, null, 2));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
