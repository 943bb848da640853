/**
 * Checks that make a forged or patched test report visible, independent of what the code under
 * test did inside the sandbox. Pure: no Docker, no Nest.
 *
 * Canaries: every hidden test file of a run gets one extra test appended by the host, with a
 * random name, that must FAIL (it asserts that two different random numbers are equal). A report
 * in which a canary passed (the assertion library or the reporter was patched to turn failures
 * into passes), or is missing from a file that otherwise reported tests (a report written by
 * someone else than the framework, or tests dropped), makes the run `error` with a reason that
 * starts with `tampered`. Canaries are removed from the results before anything is counted.
 */
import type { TestCaseResult } from './junit';
import type { WorkFile } from './work-files';

export interface Canary {
  /** The hidden test file it was appended to. */
  file: string;
  /** The test's name as the framework reports it. */
  name: string;
}

export interface CanaryTemplate {
  /**
   * Source appended to a hidden test file (`path`, its current `text`): one test named `name`
   * asserting `a` equals `b` (a != b). null: this file cannot take one (e.g. a Go test file that
   * does not import "testing"); it gets none.
   */
  source: (name: string, a: number, b: number, path: string, text: string) => string | null;
  /** The name the framework reports for it (e.g. pytest: the function name). */
  reportedName: (name: string) => string;
  /**
   * The control test goes into a new file beside the hidden one (at the path returned; `source`
   * is then the whole file) where a file cannot take a second test class (PHPUnit 9 takes one
   * class per file).
   */
  separateFile?: (name: string, path: string) => string;
}

export const CANARY_PREFIX = 'sandbox_canary_';
const WORK_CODE = '/work/code/';

/** Appends one canary per hidden test file (files matching `testFile`); returns the files and the canaries. */
export function addCanaries(
  tests: readonly WorkFile[],
  testFile: RegExp | undefined,
  template: CanaryTemplate | undefined,
  random: () => string,
  randomInt: () => number,
): { files: WorkFile[]; canaries: Canary[] } {
  if (!testFile || !template) return { files: [...tests], canaries: [] };
  const canaries: Canary[] = [];
  const extra: WorkFile[] = [];
  const files = tests.map((f) => {
    if (!testFile.test(f.path)) return f;
    const name = `${CANARY_PREFIX}${random()}`;
    const a = randomInt();
    let b = randomInt();
    if (b === a) b = a + 1;
    const text = f.content.toString('utf8');
    const source = template.source(name, a, b, f.path, text);
    if (source === null) return f;
    canaries.push({ file: f.path, name: template.reportedName(name) });
    if (template.separateFile) {
      extra.push({ path: template.separateFile(name, f.path), content: Buffer.from(source) });
      return f;
    }
    return { ...f, content: Buffer.from(`${text}${text.endsWith('\n') ? '' : '\n'}${source}`) };
  });
  return { files: [...files, ...extra], canaries };
}

/** Does this reported test belong to that hidden file (Jest names the file; pytest the dotted module)? */
export function testInFile(t: Pick<TestCaseResult, 'file' | 'suite'>, file: string): boolean {
  if (t.file === file || t.suite === file) return true;
  // PHPUnit names the file by its absolute path.
  if (t.file !== null && t.file.startsWith(WORK_CODE) && t.file.slice(WORK_CODE.length) === file) return true;
  const dotted = file.replace(/\.py$/, '').replace(/\//g, '.');
  return t.suite === dotted || t.suite.startsWith(`${dotted}.`);
}

/** A file whose tests could not load at all: the framework reports one error entry for it instead. */
export function fileFailedToLoad(tests: readonly TestCaseResult[], file: string): boolean {
  const inFile = tests.filter((t) => testInFile(t, file));
  return inFile.length > 0 && inFile.every((t) => t.status === 'error');
}

export interface CanaryCheck {
  /** The report's tests without the canaries. */
  tests: TestCaseResult[];
  /** How many canaries the report holds (0: none ran, e.g. every test file failed to load). */
  found: number;
  /** Why the report cannot be trusted (empty: it held). */
  problems: string[];
}

export function checkCanaries(tests: readonly TestCaseResult[], canaries: readonly Canary[]): CanaryCheck {
  const problems: string[] = [];
  const isCanary = (t: TestCaseResult) => t.name.includes(CANARY_PREFIX);
  let foundAny = 0;
  for (const c of canaries) {
    // By name alone: the names are random, and a report that names no files (JUnit classes, Go
    // packages) still names its tests.
    const found = tests.filter((t) => t.name.includes(c.name));
    if (found.length) foundAny++;
    if (found.length === 0) {
      const others = tests.filter((t) => testInFile(t, c.file) && !isCanary(t));
      // A file that could not load reports one error instead of its tests (nothing counted for it);
      // a collection error may be filed under another name, so an error anywhere excuses a silent file.
      if (fileFailedToLoad(tests, c.file)) continue;
      if (others.length === 0 && tests.some((t) => t.status === 'error')) continue;
      problems.push(others.length ? `a control test of ${c.file} is missing from the report` : `the report has no result for ${c.file}`);
    } else if (found.some((t) => t.status !== 'failed' && t.status !== 'error')) {
      problems.push(`a control test of ${c.file} that must fail was reported ${found[0].status}`);
    }
  }
  const known = new Set(canaries.map((c) => c.name));
  if (tests.some((t) => isCanary(t) && ![...known].some((n) => t.name.includes(n))))
    problems.push('the report holds a control test the host did not add');
  return { tests: tests.filter((t) => !isCanary(t)), problems, found: foundAny };
}

/** The stable id of a reported test: its suite (file or module) and name. */
export const testId = (t: Pick<TestCaseResult, 'suite' | 'name'>): string => `${t.suite}::${t.name}`;

/**
 * Compares the hidden tests a run reported with the ids the reference solution reported at
 * publish time. Files that failed to load are left out (the framework reports one error for
 * them instead of their tests: the run is not `passed` anyway).
 */
export function compareTestIds(
  tests: readonly TestCaseResult[],
  referenceIds: readonly string[],
  hiddenFiles: readonly string[],
  /**
   * The runtime's report does not name test files (RuntimeDefinition.reportOmitsFiles): compare
   * the whole run. A test that errored (a build that failed, a class that did not load) may hide
   * others, so then only tests the reference run did not have count (the run is not `passed`).
   */
  wholeRun = false,
): { missing: string[]; extra: string[] } {
  if (wholeRun) {
    const ref = new Set(referenceIds);
    const got = new Set(tests.map(testId));
    const anyError = tests.some((t) => t.status === 'error');
    // An error case the reference did not have is the build's or a loader's (the run is not `passed`).
    const extra = tests.filter((t) => t.status !== 'error' && !ref.has(testId(t))).map(testId);
    return { missing: anyError ? [] : referenceIds.filter((id) => !got.has(id)), extra: [...new Set(extra)] };
  }
  const loaded = hiddenFiles.filter((f) => !fileFailedToLoad(tests, f));
  const inLoaded = (t: Pick<TestCaseResult, 'file' | 'suite'>) => loaded.some((f) => testInFile(t, f));
  const ref = new Set(referenceIds);
  const got = new Set(tests.filter(inLoaded).map(testId));
  const refInLoaded = referenceIds.filter((id) => {
    const suite = id.slice(0, id.indexOf('::'));
    return inLoaded({ file: suite, suite });
  });
  return { missing: refInLoaded.filter((id) => !got.has(id)), extra: [...got].filter((id) => !ref.has(id)) };
}
