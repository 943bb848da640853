#!/usr/bin/env node
/**
 * Load benchmark: prints figures; its only verdict is the zero-lost / zero-duplicated ledger.
 *
 *   npm run build:gameday && flock /tmp/bench.lock node bench/load/run.js [--seconds 300] [--users 50]
 *       [--think-ms 1000] [--submissions 30] [--settle-seconds 900]
 *
 * Starts the whole system with the game-day harness (test/gameday/harness.ts: the launcher as
 * `npm start` runs it, with its own data folder var/load, ports 3952/54352/6392/2592, its own
 * redis-server, SMTP server and a private dockerd, or DOCKER_HOST if the operator set one), then
 * runs N simulated users for S seconds. Each user loops: think (think-ms, +-50 %), then one of
 *   read        GET an application, its timeline, or a page of the list (60 %)
 *   transition  move an application between the first two stages (each move writes a message) (20 %)
 *   screening   a recruiter's scripted call on an application (12 %)
 *   submission  a candidate signs the attestation and uploads the reference solution, graded
 *               for real in the sandbox by the worker (8 %, at most --submissions in the run,
 *               spread evenly over it: grading is ~5-10 s of CPU each on this 2-core machine)
 * Prints per operation kind and overall: count, throughput, p50, p99, errors (5xx or no answer)
 * and 4xx (409s of two users moving the same application are expected); the worker's queue lag
 * (BullMQ job `processedOn - timestamp`, first attempt, per queue) and the largest waiting count
 * seen (sampled every second); then waits for the work to settle and checks from PostgreSQL and
 * the SMTP log that every accepted submission was graded exactly once and every message sent
 * exactly once. Exit 1 if anything was lost or duplicated.
 */
'use strict';
const path = require('node:path');
const { parseArgs } = require('node:util');
const { Queue } = require('bullmq');

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string' },
    users: { type: 'string' },
    'think-ms': { type: 'string' },
    submissions: { type: 'string' },
    'settle-seconds': { type: 'string' },
  },
});
const SECONDS = Number(args.seconds ?? 300);
const USERS = Number(args.users ?? 50);
const THINK = Number(args['think-ms'] ?? 1000);
const SUBMISSIONS = Number(args.submissions ?? 30);
const SETTLE = Number(args['settle-seconds'] ?? 900);
const POOL = Math.max(50, USERS * 3);

const root = path.resolve(__dirname, '..', '..');
const gd = (m) => require(path.join(root, 'dist', 'test', 'gameday', m));
const { configFromEnv, withSystem, say, sleep } = gd('harness.js');
const { Api, makeWorld, newApplication, invitedCandidate, submitTakeHome, screeningCall } = gd('workload.js');
const { settle, ledger, smtpDuplicates } = gd('checks.js');

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);

async function main() {
  const cfg = configFromEnv('LOAD', { api: 3952, pg: 54352, redis: 6392, smtp: 2592, dir: 'var/load' });
  cfg.env = {
    SWEEP_EVERY_SECONDS: '30',
    GRADING_CONCURRENCY: process.env.GRADING_CONCURRENCY ?? '2',
    QUEUE_PREFIX: 'load',
    LOG_LEVEL: 'warn',
  };
  cfg.echoLauncher = true;
  return withSystem(
    cfg,
    async (sys) => {
      const setupApi = new Api(sys.base, 60_000);
      const w = await makeWorld(sys, setupApi);
      say(`creating ${POOL} applications and ${SUBMISSIONS} invited candidates`);
      const pool = [];
      for (let i = 0; i < POOL; i++) pool.push((await newApplication(setupApi, w, `load-p${i}`)).id);
      const candidates = [];
      for (let i = 0; i < SUBMISSIONS; i++) candidates.push(await invitedCandidate(setupApi, w, `load-c${i}`));
      const since = new Date(Date.now() - 1000);

      const prefix = 'load';
      const connection = { host: '127.0.0.1', port: cfg.redisPort };
      const queues = { grading: new Queue('grading', { connection, prefix }), mail: new Queue('mail', { connection, prefix }) };
      const maxWaiting = { grading: 0, mail: 0 };
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          for (const [name, q] of Object.entries(queues)) {
            const n = await q.getWaitingCount().catch(() => 0);
            if (n > maxWaiting[name]) maxWaiting[name] = n;
          }
          await sleep(1000);
        }
      })();

      const api = new Api(sys.base, 30_000);
      const tok = w.staff.recruiter.token;
      let nextCandidate = 0;
      const subAccepted = [];
      const uploads = [];
      const end = Date.now() + SECONDS * 1000;
      const started = Date.now();
      const spacing = (SECONDS * 1000) / Math.max(1, SUBMISSIONS);
      say(`running ${USERS} users for ${SECONDS} s (think ${THINK} ms)`);
      const user = async () => {
        await sleep(Math.random() * THINK);
        while (Date.now() < end) {
          const r = Math.random();
          const id = pool[Math.floor(Math.random() * pool.length)];
          // Submissions are spread evenly over the run (one every SECONDS/SUBMISSIONS s at most).
          if (r < 0.08 && nextCandidate < candidates.length && Date.now() >= started + nextCandidate * spacing) {
            const c = candidates[nextCandidate++];
            const p = submitTakeHome(api, c, w.solution, 120_000).then(() => c.accepted && subAccepted.push(c));
            uploads.push(p);
            await p;
          } else if (r < 0.2) {
            await screeningCall(api, w, id);
          } else if (r < 0.4) {
            const cur = await api.call('read.application', 'GET', `/api/v1/applications/${id}`, { token: tok });
            if (cur.status === 200)
              await api.call('transition', 'POST', `/api/v1/applications/${id}/transitions`, {
                token: tok,
                json: { to: cur.body.stage === 'recruiter_screen' ? 'manager_call' : 'recruiter_screen' },
              });
          } else {
            const k = Math.random();
            if (k < 0.4) await api.call('read.application', 'GET', `/api/v1/applications/${id}`, { token: tok });
            else if (k < 0.8) await api.call('read.timeline', 'GET', `/api/v1/applications/${id}/events`, { token: tok });
            else await api.call('read.list', 'GET', `/api/v1/applications?openingId=${w.openingId}&limit=50`, { token: tok });
          }
          await sleep(THINK * (0.5 + Math.random()));
        }
      };
      await Promise.all(Array.from({ length: USERS }, user));
      await Promise.all(uploads);
      const elapsed = (Date.now() - started) / 1000;
      say(`load done after ${elapsed.toFixed(0)} s; waiting for grading and mail to settle (up to ${SETTLE} s)`);
      const st = await settle(
        sys,
        candidates.map((c) => c.applicationId),
        SETTLE * 1000,
      );
      sampling = false;
      await sampler;

      // Queue lag from BullMQ's own timestamps (enqueue -> first processing start).
      const lag = {};
      for (const [name, q] of Object.entries(queues)) {
        const jobs = await q.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'], 0, -1);
        const xs = jobs
          .filter((j) => j.processedOn && j.timestamp >= since.getTime())
          .map((j) => j.processedOn - j.timestamp)
          .sort((a, b) => a - b);
        lag[name] = { n: xs.length, p50: pct(xs, 50), p99: pct(xs, 99), max: xs.length ? xs[xs.length - 1] : 0 };
      }
      await Promise.all(Object.values(queues).map((q) => q.close()));

      const L = await ledger(
        sys,
        candidates.filter((c) => c.attempts > 0),
        since,
        240_000,
      );
      const dups = smtpDuplicates(sys);

      // Figures.
      const samples = api.samples.filter((s) => s.at >= started);
      const kinds = [...new Set(samples.map((s) => s.kind))].sort();
      const row = (kind, xs) => {
        const ms = xs.map((s) => s.ms).sort((a, b) => a - b);
        const errors = xs.filter((s) => s.status === 0 || s.status >= 500).length;
        const c4 = xs.filter((s) => s.status >= 400 && s.status < 500).length;
        return [
          kind,
          String(xs.length),
          (xs.length / elapsed).toFixed(1),
          pct(ms, 50).toFixed(1),
          pct(ms, 99).toFixed(1),
          String(errors),
          String(c4),
        ];
      };
      const rows = [
        ...kinds.map((k) =>
          row(
            k,
            samples.filter((s) => s.kind === k),
          ),
        ),
        row('overall', samples),
      ];
      const head = ['operation', 'count', 'per s', 'p50 ms', 'p99 ms', 'errors', '4xx'];
      const wd = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      const line = (c) => `| ${c.map((x, i) => (i ? x.padStart(wd[i]) : x.padEnd(wd[i]))).join(' | ')} |`;
      process.stdout.write(
        `\nLoad: ${USERS} users, ${elapsed.toFixed(0)} s, think ${THINK} ms, ${subAccepted.length} submissions accepted (${candidates.filter((c) => c.attempts > 0).length} attempted)\n\n`,
      );
      process.stdout.write([line(head), `|${wd.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n') + '\n\n');
      for (const [name, l] of Object.entries(lag)) {
        process.stdout.write(
          `queue lag ${name.padEnd(8)} jobs ${String(l.n).padStart(5)}  p50 ${(l.p50 / 1000).toFixed(2)} s  p99 ${(l.p99 / 1000).toFixed(2)} s  max ${(l.max / 1000).toFixed(2)} s  max waiting ${maxWaiting[name]}\n`,
        );
      }
      process.stdout.write(
        `\nsettled: ${st.settled ? `yes, ${st.seconds.toFixed(0)} s after the load stopped` : `NO (after ${st.seconds.toFixed(0)} s)`}\n`,
      );
      process.stdout.write(
        `submissions: ${L.submissionsAccepted} accepted, ${L.submissionsGraded} graded exactly once; lost ${L.lostSubmissions.length}, duplicated ${L.duplicatedSubmissions.length}, wrong results ${L.wrongResults.length}\n`,
      );
      process.stdout.write(
        `messages: ${L.messages} in the outbox; lost ${L.lostMessages.length}, duplicated ${L.duplicatedMessages.length} (whole run at SMTP: ${dups.length}); containers left ${L.containersLeft}\n`,
      );
      for (const x of [
        ...L.lostSubmissions,
        ...L.lostMessages,
        ...L.duplicatedSubmissions,
        ...L.duplicatedMessages,
        ...L.wrongResults,
      ].slice(0, 20))
        process.stdout.write(`  ${x}\n`);
      const bad =
        L.lostSubmissions.length + L.lostMessages.length + L.duplicatedSubmissions.length + L.duplicatedMessages.length + dups.length;
      return bad ? 1 : 0;
    },
    (SECONDS + SETTLE + 900) * 1000,
  );
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`load bench failed: ${e && e.stack ? e.stack : e}\n`);
    process.exit(2);
  },
);
