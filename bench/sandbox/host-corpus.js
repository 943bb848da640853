#!/usr/bin/env node
/**
 * The language corpus (test/sandbox/corpus-langs/<runtime>/<exercise>/) run with each ecosystem's
 * own tool directly on the host: the same runner script and configuration as the image
 * (host-runner.ts), the host's toolchain. Checks every variant against the exercise's
 * expected.json, the file the sandbox suites (test/sandbox/corpus-<runtime>.e2e-spec.ts) assert,
 * so the expected outcomes are the host's, not only the sandbox's. Prints figures, asserts
 * nothing, exits 1 when a variant disagrees.
 *
 *   npm run build && NEED_HOST_RUNNERS=1 bash scripts/setup.sh   # JUnit 5, GoogleTest, Catch2, Ruby, PHPUnit, Go
 *   node bench/sandbox/host-corpus.js [--runtimes java,ruby,rust,cpp,php] [--concurrency 2]
 *
 * A runtime without its toolchain on the host is listed as not run.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const root = path.resolve(__dirname, '..', '..');
const dist = (p) => path.join(root, 'dist', p);
if (!fs.existsSync(dist('src/sandbox/host-runner.js'))) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(1);
}
const { hostCanRun, runOnHost } = require(dist('src/sandbox/host-runner'));
const { readDirectory } = require(dist('src/sandbox/archive'));

const { values: args } = parseArgs({ options: { runtimes: { type: 'string' }, concurrency: { type: 'string' } } });
const RUNTIMES = (args.runtimes ?? 'java,go,ruby,rust,cpp,php').split(',');
const CONCURRENCY = Number(args.concurrency ?? 2);
const corpus = path.join(root, 'test/sandbox/corpus-langs');
const VARIANTS = ['solution', 'stub', 'partial', 'broken'];

const files = async (dir) => (fs.existsSync(dir) ? (await readDirectory(dir)).files : []);
const sorted = (xs) => [...xs].sort();
const same = (a, b) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** The rules of test/sandbox/helpers/lang-corpus-suite.ts, applied to a host run. */
function check(variant, expected, tests) {
  if (!tests) return ['no report'];
  const skipped = expected.skipped ?? [];
  const running = expected.tests.filter((t) => !skipped.includes(t));
  const by = (s) => tests.filter((t) => t.status === s).map((t) => t.name);
  const failing = [...by('failed'), ...by('error')];
  const problems = [];
  if (variant === 'broken') {
    if (tests.length !== 1 || tests[0].status !== 'error') problems.push(`expected one error case, got ${tests.map((t) => t.status)}`);
    else if (!(tests[0].message ?? '').includes(expected.brokenMessage ?? 'error'))
      problems.push(`message lacks "${expected.brokenMessage}"`);
    return problems;
  }
  if (
    !same(
      tests.map((t) => t.name),
      expected.tests,
    )
  )
    problems.push(`names ${JSON.stringify(sorted(tests.map((t) => t.name)))}`);
  if (!same(by('skipped'), skipped)) problems.push(`skipped ${JSON.stringify(by('skipped'))}`);
  if (variant === 'solution' && !same(by('passed'), running)) problems.push(`not passing: ${JSON.stringify(failing)}`);
  if (variant === 'stub' && (!same(failing, running) || by('passed').length)) problems.push(`passing: ${JSON.stringify(by('passed'))}`);
  if (variant === 'partial' && !same(failing, expected.partialFailing)) problems.push(`failing ${JSON.stringify(sorted(failing))}`);
  return problems;
}

async function mapLimit(items, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]);
      }
    }),
  );
}

async function main() {
  console.log(`host corpus: the language corpus run on this host's own toolchains, ${CONCURRENCY} at a time\n`);
  let bad = 0;
  const summary = [];
  for (const runtime of RUNTIMES) {
    const dir = path.join(corpus, runtime);
    const exercises = fs.readdirSync(dir).filter((e) => fs.existsSync(path.join(dir, e, 'expected.json')));
    if (!hostCanRun(runtime)) {
      summary.push({
        runtime,
        exercises: exercises.length,
        runs: 0,
        agree: 0,
        seconds: 0,
        note: 'toolchain not on this host: sandbox against expected.json only',
      });
      continue;
    }
    const jobs = exercises.flatMap((e) => VARIANTS.filter((v) => fs.existsSync(path.join(dir, e, v))).map((v) => ({ e, v })));
    const started = Date.now();
    let agree = 0;
    await mapLimit(jobs, CONCURRENCY, async ({ e, v }) => {
      const expected = JSON.parse(fs.readFileSync(path.join(dir, e, 'expected.json'), 'utf8'));
      const h = await runOnHost(runtime, await files(path.join(dir, e, v)), await files(path.join(dir, e, 'tests')));
      const problems = check(v, expected, h.tests);
      const counts = ['passed', 'failed', 'error', 'skipped']
        .map((s) => `${(h.tests ?? []).filter((t) => t.status === s).length} ${s}`)
        .join(', ');
      console.log(
        `  ${runtime} ${e}/${v}: ${problems.length ? 'DIFFERS' : 'as expected'} (${counts}; ${h.durationMs} ms)${problems.length ? `\n    ${problems.join('\n    ')}\n    ${h.log.slice(-1500).replace(/\n/g, '\n    ')}` : ''}`,
      );
      if (problems.length) bad++;
      else agree++;
    });
    summary.push({ runtime, exercises: exercises.length, runs: jobs.length, agree, seconds: (Date.now() - started) / 1000 });
  }
  console.log('\nruntime  exercises  variants run on the host  as expected.json  seconds');
  for (const s of summary)
    console.log(
      `${s.runtime.padEnd(8)} ${String(s.exercises).padStart(9)}  ${String(s.runs).padStart(24)}  ${String(s.agree).padStart(16)}  ${s.seconds.toFixed(1).padStart(7)}${s.note ? `  (${s.note})` : ''}`,
    );
  process.exit(bad ? 1 : 0);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
