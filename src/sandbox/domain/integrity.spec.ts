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
    expect(check).toEqual({ problems: [], tests: [t('test_calc', 'test_a')], found: 1 });
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

describe('control tests of the runtimes that share the process (go, java, ruby, rust, php)', () => {
  const add = (runtime: string, path: string, text: string) => {
    const def = RUNTIMES[runtime];
    return addCanaries(
      [{ path, content: Buffer.from(text) }],
      def.testFilePattern,
      def.canary,
      () => 'k1',
      () => 3,
    );
  };
  it('go: a test function in a file that imports "testing"; none in one that does not', () => {
    const ok = add('go', 'calc_test.go', 'package calc\n\nimport "testing"\n');
    expect(ok.canaries).toEqual([{ file: 'calc_test.go', name: 'Test_sandbox_canary_k1' }]);
    expect(ok.files[0].content.toString()).toContain('func Test_sandbox_canary_k1(t *testing.T) {\n\tif 3 != 4 {');
    expect(add('go', 'example_test.go', 'package calc\n\nimport "fmt"\n').canaries).toEqual([]);
  });
  it('java: a second top-level class the launcher scans; resources get none', () => {
    const j = add('java', 'src/test/java/calc/CalcTest.java', 'package calc;\nclass CalcTest {}\n');
    expect(j.files[0].content.toString()).toContain(
      'class Sandbox_canary_k1Test {\n    @org.junit.jupiter.api.Test\n    void sandbox_canary_k1()',
    );
    expect(add('java', 'src/test/java/data.txt', 'x').canaries).toEqual([]);
  });
  it('ruby: Minitest or RSpec by the file name', () => {
    expect(add('ruby', 'test/calc_test.rb', '').files[0].content.toString()).toContain('class Sandbox_canary_k1Test < Minitest::Test');
    expect(add('ruby', 'spec/calc_spec.rb', '').files[0].content.toString()).toContain('RSpec.describe("sandbox_canary_k1")');
  });
  it('php: a file of its own beside the hidden one (PHPUnit 9 takes one class per file)', () => {
    const p = add('php', 'tests/CalcTest.php', '<?php\nfinal class CalcTest {}\n');
    expect(p.files.map((f) => f.path)).toEqual(['tests/CalcTest.php', 'tests/Sandbox_canary_k1Test.php']);
    expect(p.files[0].content.toString()).toBe('<?php\nfinal class CalcTest {}\n');
    expect(p.files[1].content.toString()).toContain('final class Sandbox_canary_k1Test extends \\PHPUnit\\Framework\\TestCase');
  });
  it('is found by its name where the report names no file (a JUnit class, a Go package)', () => {
    const canaries = [{ file: 'calc_test.go', name: 'Test_sandbox_canary_k1' }];
    expect(checkCanaries([t('calc', 'TestAdd'), t('calc', 'Test_sandbox_canary_k1', 'failed')], canaries).problems).toEqual([]);
    expect(checkCanaries([t('calc', 'TestAdd')], canaries).problems).toEqual(['the report has no result for calc_test.go']);
    // A build that failed reports one error instead of the tests.
    expect(checkCanaries([t('go', 'build', 'error')], canaries)).toMatchObject({ problems: [], found: 0 });
  });
});

describe('test ids over the whole run (a report that names no files)', () => {
  const ref = ['calc.CalcTest::addsSmallNumbers()', 'calc.CalcTest::addsZero()'];
  it('renamed, dropped or invented tests show up', () => {
    expect(compareTestIds([t('calc.CalcTest', 'addsSmallNumbers()'), t('calc.CalcTest', 'other()')], ref, ['CalcTest.java'], true)).toEqual(
      {
        missing: ['calc.CalcTest::addsZero()'],
        extra: ['calc.CalcTest::other()'],
      },
    );
  });
  it('a build error stands for the tests it hid (the run is not passed anyway)', () => {
    expect(compareTestIds([t('java', 'compile', 'error')], ref, ['CalcTest.java'], true)).toEqual({ missing: [], extra: [] });
  });
});
