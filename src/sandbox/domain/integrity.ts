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
  /** Source appended to a hidden test file: one test named `name` asserting `a` equals `b` (a != b). */
  source: (name: string, a: number, b: number) => string;
  /** The name the framework reports for it (e.g. pytest: the function name). */
  reportedName: (name: string) => string;
}

export const CANARY_PREFIX = 'sandbox_canary_';

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
  const files = tests.map((f) => {
    if (!testFile.test(f.path)) return f;
    const name = `${CANARY_PREFIX}${random()}`;
    const a = randomInt();
    let b = randomInt();
    if (b === a) b = a + 1;
    canaries.push({ file: f.path, name: template.reportedName(name) });
    const text = f.content.toString('utf8');
    return { ...f, content: Buffer.from(`${text}${text.endsWith('\n') ? '' : '\n'}${template.source(name, a, b)}`) };
  });
  return { files, canaries };
}

/** Does this reported test belong to that hidden file (Jest names the file; pytest the dotted module)? */
export function testInFile(t: Pick<TestCaseResult, 'file' | 'suite'>, file: string): boolean {
  if (t.file === file || t.suite === file) return true;
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
  /** Why the report cannot be trusted (empty: it held). */
  problems: string[];
}

export function checkCanaries(tests: readonly TestCaseResult[], canaries: readonly Canary[]): CanaryCheck {
  const problems: string[] = [];
  const isCanary = (t: TestCaseResult) => t.name.includes(CANARY_PREFIX);
  for (const c of canaries) {
    const found = tests.filter((t) => testInFile(t, c.file) && t.name.includes(c.name));
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
  return { tests: tests.filter((t) => !isCanary(t)), problems };
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
): { missing: string[]; extra: string[] } {
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
