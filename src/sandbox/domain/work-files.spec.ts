import { RUNTIMES } from '../runtimes';
import { isProtectedPath, planWorkFiles, WorkFile } from './work-files';

const f = (path: string, content = path): WorkFile => ({ path, content: Buffer.from(content) });

describe('planWorkFiles', () => {
  it('writes the submission first and the hidden tests over it', () => {
    const plan = planWorkFiles(
      [f('solution.py'), f('test_solution.py', 'fake test that always passes')],
      [f('test_solution.py', 'hidden')],
      [],
    );
    expect(plan.files.map((x) => [x.path, x.content.toString()])).toEqual([
      ['solution.py', 'solution.py'],
      ['test_solution.py', 'hidden'],
    ]);
    expect(plan.dropped).toEqual([{ path: 'test_solution.py', reason: 'replaced_by_hidden_test' }]);
  });

  it('drops submission files that would configure the test runner', () => {
    const node = RUNTIMES.node.protectedPaths;
    const plan = planWorkFiles(
      [
        f('index.js'),
        f('package.json'),
        f('jest.config.js'),
        f('sub/jest.config.ts'),
        f('.swcrc'),
        f('babel.config.js'),
        f('.babelrc'),
        f('node_modules/jest/index.js'),
        f('junitProperties.js'),
      ],
      [f('index.test.js')],
      node,
    );
    expect(plan.files.map((x) => x.path)).toEqual(['index.js', 'index.test.js']);
    expect(plan.dropped.every((d) => d.reason === 'runner_config')).toBe(true);
    expect(plan.dropped).toHaveLength(8);
  });

  it('drops python runner configuration, shadowing modules and bytecode', () => {
    const py = RUNTIMES.python.protectedPaths;
    for (const p of [
      'conftest.py',
      'tests/conftest.py',
      'pytest.ini',
      'tox.ini',
      'setup.cfg',
      'pyproject.toml',
      'pytest.py',
      '_pytest/__init__.py',
      'sitecustomize.py',
      '__pycache__/test_x.cpython-311.pyc',
      'x.pyc',
      'evil.pth',
    ]) {
      expect(isProtectedPath(p, py)).toBe(true);
    }
    for (const p of ['solution.py', 'my_conftest_notes.py', 'pytest_helpers.py', 'src/app.py']) {
      expect(isProtectedPath(p, py)).toBe(false);
    }
  });

  it('keeps hidden tests even when they are runner configuration (they are trusted)', () => {
    const plan = planWorkFiles([f('conftest.py', 'evil')], [f('conftest.py', 'fixtures'), f('test_a.py')], RUNTIMES.python.protectedPaths);
    expect(plan.files.map((x) => [x.path, x.content.toString()])).toEqual([
      ['conftest.py', 'fixtures'],
      ['test_a.py', 'test_a.py'],
    ]);
  });

  it('drops submission entries that clash with a hidden test as file versus folder', () => {
    const plan = planWorkFiles([f('tests'), f('test_a.py/x.py'), f('ok.py')], [f('tests/test_b.py'), f('test_a.py')], []);
    expect(plan.files.map((x) => x.path)).toEqual(['ok.py', 'tests/test_b.py', 'test_a.py']);
    expect(plan.dropped.map((d) => d.reason)).toEqual(['conflicts_with_hidden_test', 'conflicts_with_hidden_test']);
  });
});
