import * as path from 'node:path';
import { toResult } from '../../src/assessments/grading.service';
import { candidateView } from '../../src/assessments/domain/candidate-view';
import { getRuntime } from '../../src/sandbox/runtimes';
import { SandboxResult, SandboxRunner } from '../../src/sandbox/sandbox-runner';
import { WorkFile } from '../../src/sandbox/domain/work-files';
import { containersOfRun, docker, filesOf, listDirs, mapLimit, readJson } from './helpers/sandbox-test-kit';

/**
 * The tamper corpus of the six runtimes that run the submission in the same process as the tests
 * (java, go, ruby, rust, cpp, php): each folder under tamper-langs/ is a wrong solution (add
 * subtracts) written the way a candidate would, trying to pass anyway or to get the hidden tests
 * back: the hidden test files read at compile time (include_str!, //go:embed, #include) or at run
 * time and thrown; a forged report and an exit with status 0 from inside the code under test; a
 * fake passing stream for the tests it can enumerate; the framework patched or shadowed; the
 * hidden tests rewritten before they load (ruby) or by a build script (rust).
 *
 * None may end `passed`, and nothing the candidate can fetch (their view of the stored result)
 * may hold hidden test content. Every hidden test file holds a marker in a comment: where the
 * case gives `marker`, it must appear nowhere in the result, not even in the staff's log, unless
 * the case names a `limit` (the attack reads the tests in the same process as the tests run:
 * sandboxes/README.md, "Runtimes without the split"); then only the candidate's view is checked.
 */
interface TamperCase {
  runtime: string;
  description: string;
  /** At most this many hidden tests pass (the wrong solution earns only add(7, 0)). */
  maxPassed?: number;
  /** The log shows the attack was tried (a no-op attack would prove nothing). */
  log?: string;
  /** Text of the hidden tests that must appear nowhere in the result. */
  marker?: string;
  /** A documented limit: the marker may reach the staff's result, never the candidate's view. */
  limit?: string;
}

const ROOT = path.join(__dirname, 'tamper-langs');
// TAMPER_RUNTIMES=go,rust runs only those (while working on one runtime).
const only = process.env.TAMPER_RUNTIMES?.split(',').filter(Boolean);
const cases = listDirs(ROOT)
  .map((name) => ({ name, spec: readJson<TamperCase>(path.join(ROOT, name, 'case.json')) }))
  .filter((c) => !only || only.includes(c.spec.runtime));
const runner = new SandboxRunner(docker, { owner: `tamper-langs-spec-${process.pid}` });
const outcomes = new Map<string, { result: SandboxResult; tests: WorkFile[]; leftovers: string[] }>();
const failures = new Map<string, string>();
let wall = 0;

beforeAll(async () => {
  const began = Date.now();
  // The heavy compilers first, two at a time.
  const order = ['cpp', 'rust', 'java', 'go', 'php', 'ruby'];
  const sorted = [...cases].sort((a, b) => order.indexOf(a.spec.runtime) - order.indexOf(b.spec.runtime));
  await mapLimit(sorted, 2, async (c) => {
    const dir = path.join(ROOT, c.name);
    const tests = await filesOf(path.join(dir, 'tests'));
    const runId = `tamper-${c.name}-${process.pid}`;
    try {
      const result = await runner.run({
        runtime: c.spec.runtime,
        runId,
        submission: await filesOf(path.join(dir, 'submission')),
        tests,
      });
      await runner.removal(runId);
      outcomes.set(c.name, { result, tests, leftovers: await containersOfRun(runId) });
    } catch (e) {
      failures.set(c.name, (e as Error).message); // reported by the case's own test
    }
  });
  wall = Date.now() - began;
}, 900_000);

afterAll(() => {
  console.log(
    [
      `tamper-langs: ${cases.length} runs in ${(wall / 1000).toFixed(1)} s`,
      ...[...outcomes].map(([n, o]) => `${n}: ${o.result.status} (${o.result.reason ?? ''}) ${(o.result.totalMs / 1000).toFixed(1)} s`),
    ].join('\n'),
  );
  return runner.settled();
});

(only ? it.skip : it)('has the attacks of each runtime', () => {
  const names = cases.map((c) => c.name);
  for (const runtime of ['java', 'go', 'ruby', 'rust', 'cpp', 'php']) {
    expect(names).toContain(`${runtime}-read-tests`.replace('rust-read', 'rust-include'));
    expect(names.some((n) => n.startsWith(`${runtime}-`) && /forge|fake-stream/.test(n))).toBe(true);
  }
  expect(names).toEqual(
    expect.arrayContaining([
      'go-embed-tests',
      'cpp-include-tests',
      'java-shadow-assertions',
      'ruby-patch-minitest',
      'ruby-rewrite-tests',
      'rust-build-script',
    ]),
  );
});

describe.each(cases.map((c) => [c.name, c.spec] as const))('%s', (name, spec) => {
  it(`never ends passed and never shows the tests to the candidate: ${spec.description}`, () => {
    const o = outcomes.get(name)!;
    expect({ name, error: failures.get(name) }).toEqual({ name, error: undefined });
    const { result } = o;
    const context = `${name}: ${result.status} (${result.reason ?? ''}) ${result.tests.map((t) => `${t.name}=${t.status}`).join(', ')}\n${result.log.slice(-2000)}`;
    expect({ passed: result.status === 'passed', context }).toEqual({ passed: false, context });
    expect(o.leftovers).toEqual([]);
    // A report the host's checks refused (`tampered`) counts for nothing (see the stored result below).
    if (spec.maxPassed !== undefined && !/^tampered/.test(result.reason ?? ''))
      expect({ passed: Math.min(result.counts.passed, spec.maxPassed), context }).toEqual({ passed: result.counts.passed, context });
    if (spec.log) expect({ log: result.log, context }).toEqual({ log: expect.stringMatching(new RegExp(spec.log)), context });
    const all = JSON.stringify(result);
    if (spec.marker && !spec.limit) {
      expect({ leaked: all.includes(spec.marker), context }).toEqual({ leaked: false, context });
      expect(all).not.toContain(Buffer.from(spec.marker).toString('hex'));
    }
    // A documented limit is what happens: the text reaches the staff's result (update the case
    // and the README when a defence closes it).
    if (spec.marker && spec.limit)
      expect({ leaked: all.includes(spec.marker), limit: spec.limit }).toEqual({ leaked: true, limit: spec.limit });
    // The stored score never counts a hidden test the wrong solution did not earn.
    const hiddenPaths = o.tests.map((f) => f.path);
    const stored = toResult(result, hiddenPaths, { testFilePattern: getRuntime(spec.runtime).testFilePattern, runtime: spec.runtime });
    expect(stored.status).not.toBe('passed');
    expect(stored.passed).toBeLessThanOrEqual(spec.maxPassed ?? 1);
    // Nothing the candidate can fetch holds hidden test content or what the code printed.
    const view = JSON.stringify(candidateView('graded', stored, 'summary', hiddenPaths));
    expect(view).not.toMatch(/LEAK|TAMPER-MARKER|sandbox_canary|Sandbox_canary|AddsSmallNumbers|adds_small_numbers|addsSmallNumbers/);
    for (const f of o.tests) expect(view).not.toContain(f.content.toString('base64').slice(0, 40));
  });
});
