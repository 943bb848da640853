import * as path from 'node:path';
import { SandboxRunner } from '../../src/sandbox/sandbox-runner';
import { docker, filesOf } from './helpers/sandbox-test-kit';

/**
 * Split runtimes (node, python, go) run a graded run as two users; a run without hidden tests (the
 * candidate's own tests and the visible examples) runs in the same kind of container (root with
 * SETUID/SETGID, /work owned by the grader) but entirely as the sandbox user, as before the split.
 */
const runner = new SandboxRunner(docker, { owner: `split-own-${process.pid}` });
afterAll(() => runner.settled());

it.each(['node', 'python'])(
  'the candidate’s own %s tests still run and pass in a container of a split runtime',
  async (runtime) => {
    const dir = path.join(__dirname, 'corpus', runtime, runtime === 'node' ? 'stats-commonjs' : 'fizzbuzz');
    const submission = [...(await filesOf(path.join(dir, 'solution'))), ...(await filesOf(path.join(dir, 'tests')))];
    const r = await runner.run({ runtime, submission, tests: [], includeSubmissionTests: true, limits: { timeoutMs: 120_000 } });
    expect({ status: r.status, reason: r.reason, log: r.status === 'passed' ? '' : r.log.slice(-1500) }).toEqual({
      status: 'passed',
      reason: null,
      log: '',
    });
    expect(r.counts.passed).toBe(5);
  },
  300_000,
);

it('go (built as the grader in a graded run) runs the candidate’s own tests as the sandbox user', async () => {
  const dir = path.join(__dirname, 'corpus-langs', 'go', 'bank-account');
  const submission = [...(await filesOf(path.join(dir, 'solution'))), ...(await filesOf(path.join(dir, 'tests')))];
  const r = await runner.run({ runtime: 'go', submission, tests: [], includeSubmissionTests: true });
  expect({ status: r.status, reason: r.reason, log: r.status === 'passed' ? '' : r.log.slice(-1500) }).toEqual({
    status: 'passed',
    reason: null,
    log: '',
  });
  expect({ passed: r.counts.passed, skipped: r.counts.skipped }).toEqual({ passed: 5, skipped: 1 });
}, 300_000);
