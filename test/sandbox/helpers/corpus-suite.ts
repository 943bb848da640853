import * as path from 'node:path';
import { TestCaseResult } from '../../../src/sandbox/domain/junit';
import { SandboxResult, SandboxRunner } from '../../../src/sandbox/sandbox-runner';
import { containersOfRun, docker, filesOf, HostRun, listDirs, mapLimit, readJson, runOnHost } from './sandbox-test-kit';

/**
 * The correctness corpus of one runtime: test/sandbox/corpus/<runtime>/<exercise>/ holds hidden
 * tests, a correct solution (all pass), an empty stub (all fail) and a partial one (exactly
 * expected.json's partialFailing fail). Every variant is also run by the same test runner
 * directly on the host, and both must agree test by test.
 */
interface Expected {
  description: string;
  tests: string[];
  partialFailing: string[];
}

const VARIANTS = ['solution', 'stub', 'partial'] as const;
type Variant = (typeof VARIANTS)[number];

const brief = (tests: TestCaseResult[] | null) => (tests ?? []).map((t) => `${t.name}: ${t.status}`);

export function defineCorpusSuite(runtime: string): void {
  const root = path.join(__dirname, '..', 'corpus', runtime);
  const exercises = listDirs(root);
  const runner = new SandboxRunner(docker, { owner: `corpus-${runtime}-${process.pid}` });
  const outcomes = new Map<string, { sandbox: SandboxResult; host: HostRun; leftovers: string[] }>();
  const compareWithHost = process.env.SANDBOX_CORPUS_HOST !== '0';

  beforeAll(async () => {
    const jobs = exercises.flatMap((exercise) => VARIANTS.map((variant) => ({ exercise, variant })));
    await mapLimit(jobs, 2, async ({ exercise, variant }) => {
      const dir = path.join(root, exercise);
      const submission = await filesOf(path.join(dir, variant));
      const tests = await filesOf(path.join(dir, 'tests'));
      const runId = `corpus-${runtime}-${exercise}-${variant}-${process.pid}`;
      const sandbox = await runner.run({ runtime, runId, submission, tests, limits: { timeoutMs: 60_000 } });
      await runner.removal(runId);
      const host = compareWithHost ? await runOnHost(runtime, submission, tests) : { tests: null, exitCode: -1, durationMs: 0, log: 'skipped' };
      outcomes.set(`${exercise}/${variant}`, { sandbox, host, leftovers: await containersOfRun(runId) });
    });
  }, 900_000);

  it(`has at least 10 ${runtime} exercises`, () => {
    expect(exercises.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(exercises)(`${runtime} exercise %s`, (exercise) => {
    const expected = readJson<Expected>(path.join(root, exercise, 'expected.json'));

    it.each(VARIANTS)('%s', (variant: Variant) => {
      const o = outcomes.get(`${exercise}/${variant}`);
      expect(o).toBeDefined();
      const { sandbox, host, leftovers } = o!;
      const context = `${exercise}/${variant}: ${sandbox.status} (${sandbox.reason ?? ''})\n${sandbox.log.slice(-2000)}`;
      expect(leftovers).toEqual([]);
      expect(sandbox.tests.map((t) => t.name).sort()).toEqual([...expected.tests].sort());
      const failing = sandbox.tests.filter((t) => t.status === 'failed' || t.status === 'error').map((t) => t.name);
      if (variant === 'solution') {
        expect({ status: sandbox.status, context }).toEqual({ status: 'passed', context });
        expect(sandbox.counts.passed).toBe(expected.tests.length);
      } else if (variant === 'stub') {
        expect({ status: sandbox.status, context }).toEqual({ status: 'failed', context });
        expect(sandbox.counts.passed).toBe(0);
        expect(failing.sort()).toEqual([...expected.tests].sort());
      } else {
        expect({ status: sandbox.status, context }).toEqual({ status: 'failed', context });
        expect(failing.sort()).toEqual([...expected.partialFailing].sort());
      }
      if (compareWithHost) {
        // Same runner, same configuration, directly on the host: same tests, same outcomes, same order.
        expect(brief(sandbox.tests)).toEqual(brief(host.tests));
      }
    });
  });
}
