import { addCanaries, checkCanaries, compareTestIds, testId } from './integrity';
import { TestCaseResult } from './junit';
import { RUNTIMES } from '../runtimes';

const t = (suite: string, name: string, status: TestCaseResult['status'] = 'passed', file: string | null = null): TestCaseResult => ({
  suite,
  name,
  status,
  file,
  message: null,
  durationMs: 1,
});

describe('control tests (canaries)', () => {
  const tests = [
    { path: 'test_calc.py', content: Buffer.from('def test_a():\n    assert 1\n') },
    { path: 'helpers.py', content: Buffer.from('X = 1\n') },
  ];
  let n = 0;
  const { files, canaries } = addCanaries(
    tests,
    RUNTIMES.python.testFilePattern,
    RUNTIMES.python.canary,
    () => `c${++n}`,
    () => 7,
  );

  it('appends one failing test to each hidden test file, none to helpers', () => {
    expect(canaries).toEqual([{ file: 'test_calc.py', name: 'test_sandbox_canary_c1' }]);
    expect(files[0].content.toString()).toBe('def test_a():\n    assert 1\n\n\ndef test_sandbox_canary_c1():\n    assert 7 == 8\n');
    expect(files[1]).toBe(tests[1]);
  });
  it('holds when the canary failed, and removes it from the results', () => {
    const check = checkCanaries([t('test_calc', 'test_a'), t('test_calc', 'test_sandbox_canary_c1', 'failed')], canaries);
    expect(check).toEqual({ problems: [], tests: [t('test_calc', 'test_a')] });
  });
  it('flags a canary that passed (patched assertions), is missing (forged report) or was invented', () => {
    expect(checkCanaries([t('test_calc', 'test_a'), t('test_calc', 'test_sandbox_canary_c1', 'passed')], canaries).problems).toEqual([
      expect.stringMatching(/must fail was reported passed/),
    ]);
    expect(checkCanaries([t('test_calc', 'test_a')], canaries).problems).toEqual([expect.stringMatching(/missing/)]);
    expect(checkCanaries([], canaries).problems).toEqual([expect.stringMatching(/no result for test_calc\.py/)]);
    expect(
      checkCanaries(
        [t('test_calc', 'test_sandbox_canary_c1', 'failed'), t('test_calc', 'test_sandbox_canary_zz', 'failed'), t('test_calc', 'test_a')],
        canaries,
      ).problems,
    ).toEqual([expect.stringMatching(/did not add/)]);
  });
  it('excuses a file that could not load (one error entry instead of its tests)', () => {
    expect(checkCanaries([t('test_calc', 'test_calc', 'error')], canaries).problems).toEqual([]);
  });
  it('node: the canary is a Jest test appended after the file', () => {
    const r = addCanaries(
      [{ path: 'a.test.ts', content: Buffer.from("import { x } from './x';\ntest('x', () => {});") }],
      RUNTIMES.node.testFilePattern,
      RUNTIMES.node.canary,
      () => 'k',
      () => 3,
    );
    expect(r.files[0].content.toString()).toBe(
      "import { x } from './x';\ntest('x', () => {});\n\n;test(\"sandbox_canary_k\", () => { expect(3).toBe(4); });\n",
    );
  });
});

describe('test ids against the reference run', () => {
  const ref = [t('a.test.js', 'one', 'passed', 'a.test.js'), t('a.test.js', 'two', 'passed', 'a.test.js')].map(testId);
  it('equal sets: nothing missing or extra', () => {
    expect(
      compareTestIds([t('a.test.js', 'one', 'failed', 'a.test.js'), t('a.test.js', 'two', 'passed', 'a.test.js')], ref, ['a.test.js']),
    ).toEqual({ missing: [], extra: [] });
  });
  it('renamed, dropped or invented tests show up', () => {
    expect(
      compareTestIds([t('a.test.js', 'one', 'passed', 'a.test.js'), t('a.test.js', 'three', 'passed', 'a.test.js')], ref, ['a.test.js']),
    ).toEqual({ missing: ['a.test.js::two'], extra: ['a.test.js::three'] });
  });
  it('a file that failed to load is left out', () => {
    expect(compareTestIds([t('a.test.js', 'Test suite failed to run', 'error', 'a.test.js')], ref, ['a.test.js'])).toEqual({
      missing: [],
      extra: [],
    });
  });
});
