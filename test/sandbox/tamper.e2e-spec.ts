import * as path from 'node:path';
import { toResult } from '../../src/assessments/grading.service';
import { candidateView } from '../../src/assessments/domain/candidate-view';
import { SandboxResult, SandboxRunner } from '../../src/sandbox/sandbox-runner';
import { WorkFile } from '../../src/sandbox/domain/work-files';
import { containersOfRun, docker, filesOf, listDirs, mapLimit, readJson } from './helpers/sandbox-test-kit';

/**
 * The tamper corpus: each folder under tamper/ is a wrong solution (add subtracts) that tries to
 * make its grading pass anyway, or to get the hidden tests back: a forged report and an early
 * exit, hidden tests rewritten from a submitted test file or at import, the report channel
 * written through /proc, the framework patched at import, the hidden tests read and thrown.
 * None may end `passed`, and nothing the candidate can fetch (their portal view of the result)
 * may hold hidden test content. Two hidden files each, so one can be rewritten before it loads.
 * Node and python run split in two users (sandboxes/README.md, "Threat model"): there each attack
 * is refused (EACCES, another user's /proc, a separate process) and the run ends with the real
 * verdict of the wrong solution; the `*-split-*` cases go after what the split itself exposes
 * (every readable path and /proc entry, the grader's folders, the bridge's callbacks).
 */
interface TamperCase {
  runtime: string;
  description: string;
  /** The statuses the run may end with (split runtimes refuse the attack: the verdict is the real one). */
  status?: SandboxResult['status'][];
  /** At most this many hidden tests pass (the wrong solution earns only add(7, 0)). */
  maxPassed?: number;
  /** The log shows the attack was tried and refused (a no-op attack would prove nothing). */
  log?: string;
  /** Text of the hidden tests that must appear nowhere in the result, plain or hex-encoded. */
  marker?: string;
  /** The attack succeeds inside the sandbox and the host's checks must name it: error, tampered. */
  tampered?: boolean;
}

const ROOT = path.join(__dirname, 'tamper');
const cases = listDirs(ROOT).map((name) => ({ name, spec: readJson<TamperCase>(path.join(ROOT, name, 'case.json')) }));
const runner = new SandboxRunner(docker, { owner: `tamper-spec-${process.pid}` });
const outcomes = new Map<string, { result: SandboxResult; tests: WorkFile[]; leftovers: string[] }>();

beforeAll(async () => {
  await mapLimit(cases, 2, async (c) => {
    const dir = path.join(ROOT, c.name);
    const tests = await filesOf(path.join(dir, 'tests'));
    const runId = `tamper-${c.name}-${process.pid}`;
    const result = await runner.run({
      runtime: c.spec.runtime,
      runId,
      submission: await filesOf(path.join(dir, 'submission')),
      tests,
      limits: { timeoutMs: 90_000 },
    });
    await runner.removal(runId);
    outcomes.set(c.name, { result, tests, leftovers: await containersOfRun(runId) });
  });
}, 600_000);

afterAll(() => runner.settled());

it('has a case of every kind for node and python', () => {
  for (const runtime of ['node', 'python']) {
    for (const kind of ['forge-report-and-exit', 'rewrite-hidden-tests', 'report-channel-via-proc', 'read-hidden-tests']) {
      expect(cases.map((c) => c.name)).toContain(`${runtime}-${kind}`);
    }
  }
  expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['node-patch-expect', 'python-patch-pytest']));
});

describe.each(cases.map((c) => [c.name, c.spec] as const))('%s', (name, spec) => {
  it(`never ends passed: ${spec.description}`, () => {
    const o = outcomes.get(name)!;
    expect(o).toBeDefined();
    const { result } = o;
    const context = `${name}: ${result.status} (${result.reason ?? ''})\n${result.log.slice(-1500)}`;
    expect({ passed: result.status === 'passed', context }).toEqual({ passed: false, context });
    expect(o.leftovers).toEqual([]);
    // Where the attack works inside the sandbox (a runtime without the split), the host's checks name it.
    if (spec.tampered)
      expect({ status: result.status, reason: result.reason, context }).toMatchObject({
        status: 'error',
        reason: expect.stringMatching(/^tampered/),
      });
    // Split runtimes: the attack is refused and the verdict is the real one.
    if (spec.status)
      expect({ status: result.status, reason: result.reason, context }).toEqual({
        status: expect.stringMatching(new RegExp(`^(${spec.status.join('|')})$`)),
        reason: result.reason,
        context,
      });
    if (spec.maxPassed !== undefined) expect(result.counts.passed).toBeLessThanOrEqual(spec.maxPassed);
    if (spec.log) expect(result.log).toMatch(new RegExp(spec.log));
    // Staff see everything the run produced: not even there is any of the hidden tests' text.
    if (spec.marker) {
      const all = JSON.stringify(result);
      expect(all).not.toContain(spec.marker);
      expect(all).not.toContain(Buffer.from(spec.marker).toString('hex'));
    }
    // The stored score never counts a hidden test the wrong solution did not earn (only add(7, 0) holds for a - b).
    const stored = toResult(
      result,
      o.tests.map((f) => f.path),
      { testFilePattern: spec.runtime === 'node' ? /\.test\.js$/ : /(^|\/)test_[^/]*\.py$/ },
    );
    expect(stored.status).not.toBe('passed');
    expect(stored.passed).toBeLessThanOrEqual(1);
    // Nothing the candidate can fetch holds hidden test content or what the code printed.
    const view = JSON.stringify(
      candidateView(
        'graded',
        stored,
        'summary',
        o.tests.map((f) => f.path),
      ),
    );
    expect(view).not.toMatch(/LEAK|sandbox_canary|assert add|expect\(add|adds negatives|test_adds/);
    for (const f of o.tests) {
      const b64 = f.content.toString('base64').slice(0, 40);
      expect(view).not.toContain(b64);
    }
  });
});
