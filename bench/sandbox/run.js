#!/usr/bin/env node
/**
 * Sandbox benchmark: prints figures, asserts nothing.
 *
 *   node bench/sandbox/run.js [--runs 20] [--submissions 20] [--concurrency 2] [--json out.json]
 *
 * 1. Per-run overhead: the same Jest suite and the same pytest suite run directly on the host
 *    (same runner, same configuration) and in the sandbox, N runs each: p50, p95, ratio and the
 *    time the sandbox adds at p50.
 * 2. Throughput: S gradings at concurrency C per runtime: gradings per minute, peak RSS of this
 *    (worker-like) process.
 *
 * Loads the TypeScript sources directly (transpiled in memory with the project's `typescript`),
 * so no build step is needed. Needs the images (npm run cli -- sandbox:build) and a Docker engine.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

// Minimal require hook: transpile .ts from this repository on load.
const root = path.resolve(__dirname, '..', '..');
require.extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true, emitDecoratorMetadata: false },
  });
  module._compile(outputText, filename);
};

const Docker = require('dockerode');
const { readDirectory } = require(path.join(root, 'src/sandbox/archive.ts'));
const { SandboxRunner } = require(path.join(root, 'src/sandbox/sandbox-runner.ts'));
const { runOnHost } = require(path.join(root, 'src/sandbox/host-runner.ts'));
const { expectedImageTag } = require(path.join(root, 'src/sandbox/image-builder.ts'));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const RUNS = Number(arg('runs', 20));
const SUBMISSIONS = Number(arg('submissions', 20));
const CONCURRENCY = Number(arg('concurrency', 2));
const JSON_OUT = arg('json', null);

const SUITES = {
  node: path.join(root, 'test/sandbox/corpus/node/stats-commonjs'),
  python: path.join(root, 'test/sandbox/corpus/python/fizzbuzz'),
};

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => `${Math.round(x)} ms`;

async function load(runtime) {
  const dir = SUITES[runtime];
  return {
    submission: (await readDirectory(path.join(dir, 'solution'))).files,
    tests: (await readDirectory(path.join(dir, 'tests'))).files,
  };
}

async function overhead(runner, runtime) {
  const { submission, tests } = await load(runtime);
  // One warm-up each (page cache, image layers, Jest transform of the runner itself).
  await runOnHost(runtime, submission, tests);
  await runner.run({ runtime, submission, tests });
  const host = [];
  const sandbox = [];
  for (let i = 0; i < RUNS; i++) {
    let t = Date.now();
    const h = await runOnHost(runtime, submission, tests);
    host.push(Date.now() - t);
    t = Date.now();
    const r = await runner.run({ runtime, submission, tests });
    sandbox.push(Date.now() - t);
    if (r.status !== 'passed' || !h.tests || h.tests.some((x) => x.status !== 'passed')) throw new Error(`${runtime} bench suite did not pass: ${r.status} ${r.reason}`);
  }
  const row = {
    runtime,
    runs: RUNS,
    hostP50: pct(host, 50),
    hostP95: pct(host, 95),
    sandboxP50: pct(sandbox, 50),
    sandboxP95: pct(sandbox, 95),
  };
  row.ratioP50 = row.sandboxP50 / row.hostP50;
  row.addedP50 = row.sandboxP50 - row.hostP50;
  return row;
}

async function throughput(runner, runtime) {
  const { submission, tests } = await load(runtime);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const started = Date.now();
  let next = 0;
  const statuses = {};
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < SUBMISSIONS) {
        next++;
        const r = await runner.run({ runtime, submission, tests });
        statuses[r.status] = (statuses[r.status] || 0) + 1;
      }
    }),
  );
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  return { runtime, submissions: SUBMISSIONS, concurrency: CONCURRENCY, seconds, perMinute: (SUBMISSIONS / seconds) * 60, peakRssMb: peakRss / 1024 / 1024, statuses };
}

async function main() {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  for (const rt of Object.keys(SUITES)) {
    await docker.getImage(expectedImageTag(rt)).inspect().catch(() => {
      throw new Error(`image ${expectedImageTag(rt)} is missing: run npm run cli -- sandbox:build`);
    });
  }
  const runner = new SandboxRunner(docker, { owner: `bench-${process.pid}` });
  console.log(`sandbox bench: ${RUNS} runs per suite for overhead; ${SUBMISSIONS} gradings at concurrency ${CONCURRENCY} for throughput`);
  console.log(`host: ${require('node:os').cpus().length} CPUs, node ${process.version}\n`);

  const overheadRows = [];
  for (const rt of Object.keys(SUITES)) overheadRows.push(await overhead(runner, rt));
  console.log('Per-run overhead (wall clock of one grading, same suite):');
  console.log('runtime  host p50  host p95  sandbox p50  sandbox p95  ratio p50  added p50');
  for (const r of overheadRows) {
    console.log(
      `${r.runtime.padEnd(8)} ${ms(r.hostP50).padStart(8)}  ${ms(r.hostP95).padStart(8)}  ${ms(r.sandboxP50).padStart(11)}  ${ms(r.sandboxP95).padStart(11)}  ${r.ratioP50.toFixed(2).padStart(9)}  ${ms(r.addedP50).padStart(9)}`,
    );
  }

  const tpRows = [];
  for (const rt of Object.keys(SUITES)) tpRows.push(await throughput(runner, rt));
  console.log(`\nThroughput (${SUBMISSIONS} gradings, concurrency ${CONCURRENCY}):`);
  console.log('runtime  seconds  gradings/min  peak RSS (this process)  statuses');
  for (const r of tpRows) {
    console.log(`${r.runtime.padEnd(8)} ${r.seconds.toFixed(1).padStart(7)}  ${r.perMinute.toFixed(1).padStart(12)}  ${`${r.peakRssMb.toFixed(0)} MB`.padStart(23)}  ${JSON.stringify(r.statuses)}`);
  }
  if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify({ at: new Date().toISOString(), overhead: overheadRows, throughput: tpRows }, null, 2));
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
