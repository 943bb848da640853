/** Publishing gate: the reference solution must pass every hidden test in the sandbox. */
export interface CheckRun {
  status: string;
  reason: string | null;
  tests: ReadonlyArray<{ name: string; status: string; message: string | null }>;
  counts: { total: number; passed: number };
}

export type PublishDecision =
  | { ok: true }
  | { ok: false; reason: string; failingTests: Array<{ name: string; status: string; message: string | null }> };

export function decidePublish(run: CheckRun): PublishDecision {
  const failingTests = run.tests.filter((t) => t.status !== 'passed').map((t) => ({ name: t.name, status: t.status, message: t.message }));
  if (run.counts.total === 0) {
    return {
      ok: false,
      reason: `The hidden tests found no test to run (${run.reason ?? 'empty report'}); check the hidden test archive`,
      failingTests,
    };
  }
  if (run.status !== 'passed' || failingTests.length || run.counts.passed !== run.counts.total) {
    const n = run.counts.total - run.counts.passed;
    const why =
      run.status === 'passed' || run.status === 'failed'
        ? `${n} of ${run.counts.total} tests did not pass`
        : `${run.status}: ${run.reason ?? ''}`.trim();
    return {
      ok: false,
      reason: `The reference solution must pass every hidden test before the version is published; ${why}`,
      failingTests,
    };
  }
  return { ok: true };
}
