import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { SandboxResult, SandboxRunner } from '../../../src/sandbox/sandbox-runner';
import { containersOfRun, docker, filesOf, listDirs, mapLimit, readJson } from './sandbox-test-kit';

/**
 * The correctness corpus of a compiled-or-not runtime without a toolchain on the host
 * (test/sandbox/corpus-langs/<runtime>/<exercise>/): hidden tests written the ecosystem's way, a
 * correct solution (every test passes, the skipped ones stay skipped), an empty stub that
 * compiles (every test that runs fails), a partial one (exactly partialFailing fail) and, where
 * present, `broken` (does not compile or load: one `error` case carrying the compiler's message,
 * brokenMessage).
 */
interface Expected {
  description: string;
  tests: string[];
  skipped?: string[];
  partialFailing: string[];
  brokenMessage?: string;
}

const VARIANTS = ['solution', 'stub', 'partial', 'broken'] as const;
type Variant = (typeof VARIANTS)[number];

export function defineLangCorpusSuite(runtime: string, minExercises: number): void {
  const root = path.join(__dirname, '..', 'corpus-langs', runtime);
  const exercises = listDirs(root);
  // SANDBOX_CORPUS_ONLY=ex1,ex2 runs only those exercises (while writing one); the count check stays
  const only = process.env.SANDBOX_CORPUS_ONLY?.split(',').filter(Boolean);
  const selected = only?.length ? exercises.filter((e) => only.includes(e)) : exercises;
  const runner = new SandboxRunner(docker, { owner: `corpus-${runtime}-${process.pid}` });
  const outcomes = new Map<string, { sandbox: SandboxResult; leftovers: string[] }>();
  const variantsOf = (exercise: string) => VARIANTS.filter((v) => existsSync(path.join(root, exercise, v)));

  beforeAll(async () => {
    const jobs = selected.flatMap((exercise) => variantsOf(exercise).map((variant) => ({ exercise, variant })));
    await mapLimit(jobs, 2, async ({ exercise, variant }) => {
      const dir = path.join(root, exercise);
      const runId = `corpus-${runtime}-${exercise}-${variant}-${process.pid}`;
      const sandbox = await runner.run({
        runtime,
        runId,
        submission: await filesOf(path.join(dir, variant)),
        tests: await filesOf(path.join(dir, 'tests')),
        // correctness, not speed: compilers on this shared 2-core machine can take minutes
        limits: { timeoutMs: 600_000 },
      });
      await runner.removal(runId);
      outcomes.set(`${exercise}/${variant}`, { sandbox, leftovers: await containersOfRun(runId) });
      if (process.env.SANDBOX_TEST_TIMINGS) process.stderr.write(`  ${runtime} ${exercise}/${variant}: ${sandbox.status} in ${sandbox.totalMs} ms\n`);
    });
  }, 3_600_000);

  it(`has at least ${minExercises} ${runtime} exercises`, () => {
    expect(exercises.length).toBeGreaterThanOrEqual(minExercises);
  });

  describe.each(selected)(`${runtime} exercise %s`, (exercise) => {
    const expected = readJson<Expected>(path.join(root, exercise, 'expected.json'));
    const skipped = expected.skipped ?? [];
    const running = expected.tests.filter((t) => !skipped.includes(t));

    it.each(variantsOf(exercise))('%s', (variant: Variant) => {
      const o = outcomes.get(`${exercise}/${variant}`);
      expect(o).toBeDefined();
      const { sandbox, leftovers } = o!;
      const context = `${exercise}/${variant}: ${sandbox.status} (${sandbox.reason ?? ''})\n${sandbox.tests.map((t) => `${t.name}: ${t.status}`).join('\n')}\n${sandbox.log.slice(-3000)}`;
      expect(leftovers).toEqual([]);
      const names = (s: string) => sandbox.tests.filter((t) => t.status === s).map((t) => t.name).sort();
      const failing = [...names('failed'), ...names('error')].sort();
      if (variant === 'broken') {
        expect({ status: sandbox.status, tests: sandbox.tests.map((t) => t.status), context }).toEqual({ status: 'failed', tests: ['error'], context });
        expect(sandbox.tests[0].message).toContain(expected.brokenMessage ?? 'error');
        return;
      }
      expect({ names: sandbox.tests.map((t) => t.name).sort(), context }).toEqual({ names: [...expected.tests].sort(), context });
      expect(names('skipped')).toEqual([...skipped].sort());
      if (variant === 'solution') {
        expect({ status: sandbox.status, context }).toEqual({ status: 'passed', context });
        expect(names('passed')).toEqual([...running].sort());
      } else if (variant === 'stub') {
        expect({ status: sandbox.status, context }).toEqual({ status: 'failed', context });
        expect(sandbox.counts.passed).toBe(0);
        expect(failing).toEqual([...running].sort());
      } else {
        expect({ status: sandbox.status, context }).toEqual({ status: 'failed', context });
        expect(failing).toEqual([...expected.partialFailing].sort());
        // a failure says what was wrong, not just that it failed
        for (const t of sandbox.tests.filter((x) => x.status === 'failed')) expect(t.message ?? '').not.toBe('');
      }
    });
  });
}
