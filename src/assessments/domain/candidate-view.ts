/**
 * What a candidate may see of grading. Hidden test names, files, contents and messages never
 * reach them: 'status_only' shows received / graded; 'summary' adds whether the code ran, the
 * counts of their own tests ("your tests: 12 passed"), the names and messages of the visible
 * examples (files under examples/ in the hidden test archive), and when the code could not run,
 * a reason chosen by us from a fixed list, never text the hidden run printed (the code under
 * test could shape it). Messages shown come only from the run without the hidden tests.
 */
import { CandidateSees } from './policy';

export type SubmissionStatus = 'queued' | 'grading' | 'graded';

export interface StoredTest {
  name: string;
  status: 'passed' | 'failed' | 'error' | 'skipped';
  message: string | null;
  suite?: string | null;
  file?: string | null;
}

export interface StoredResult {
  status: 'passed' | 'failed' | 'error' | 'timeout' | 'memory_exceeded' | 'output_exceeded';
  reason: string | null;
  total: number;
  passed: number;
  failed: number;
  errors: number;
  tests: StoredTest[];
  limits?: { timeoutMs?: number; memoryMb?: number };
  /** The run without the hidden tests: the candidate's own tests and the visible examples. */
  ownTests?: {
    status: string;
    tests: Array<{ name: string; status: string; message: string | null; file: string | null; suite?: string | null }>;
  } | null;
  integrity?: { tampered: boolean } | null;
}

export interface CandidateSubmissionView {
  status: 'received' | 'graded';
  outcome?: 'ran' | 'could_not_run';
  buildError?: string | null;
  /** Counts of the candidate's own tests (their run had no hidden test in it). */
  yourTests?: { total: number; passed: number } | null;
  /** The visible examples: name, status and message (from the run without the hidden tests). */
  examples?: Array<{ name: string; status: string; message: string | null }>;
}

/** Files under examples/ in the hidden test archive are visible examples: their names and messages are shown. */
export function isExamplePath(path: string): boolean {
  return /^examples\//.test(path);
}

const inExamples = (t: { file: string | null; suite?: string | null }) =>
  (t.file !== null && isExamplePath(t.file)) || (!!t.suite && (isExamplePath(t.suite) || t.suite.startsWith('examples.')));

const MAX_BUILD_ERROR = 2000;

/** Did the candidate's code run at all (as opposed to running and failing some tests)? */
export function couldNotRun(r: StoredResult): boolean {
  if (r.status !== 'passed' && r.status !== 'failed') return true;
  // A suite that failed to load (syntax error, missing module) is an error "test" and nothing passed.
  return r.passed === 0 && r.errors > 0 && r.failed - r.errors <= 0;
}

/** Every string that could identify a hidden test: paths, base names, test names and their parts. */
export function hiddenTerms(hiddenPaths: readonly string[], tests: readonly StoredTest[]): string[] {
  const terms = new Set<string>();
  const add = (s: string | null | undefined, min = 3) => {
    const t = (s ?? '').trim();
    if (t.length >= min) terms.add(t);
  };
  for (const p of hiddenPaths) {
    add(p, 1);
    const base = p.split('/').pop()!;
    add(base);
    add(base.replace(/\.[^.]+$/, ''));
    add(p.replace(/\.[^.]+$/, '').replace(/\//g, '.'));
  }
  for (const t of tests) {
    add(t.name);
    for (const part of t.name.split(/\s+›\s+|::|\s+>\s+/)) add(part);
    // Suites and files only when they look like paths (Jest's "Test suite failed to run" is not one).
    if (t.suite && /[./]/.test(t.suite)) add(t.suite);
    add(t.file);
  }
  return [...terms].sort((a, b) => b.length - a.length);
}

export function scrub(text: string, terms: readonly string[]): string {
  let out = text;
  for (const term of terms) out = out.split(term).join('[hidden test]');
  return out;
}

/**
 * Keeps the error lines of a build message and drops the quoted source around them: code frames
 * (Jest "  4 | ..."), carets, stack frames and traceback source lines may quote hidden test code.
 */
export function dropSourceLines(message: string): string {
  const out: string[] = [];
  let afterTracebackHeader = false;
  for (const line of message.split('\n')) {
    if (/^\s*>?\s*\d+\s*\|/.test(line) || /^\s*\|\s*\^/.test(line) || /^\s+at\s/.test(line)) continue;
    if (afterTracebackHeader && /^\s{2,}\S/.test(line) && !/^\s*E\s/.test(line)) continue;
    afterTracebackHeader = /:\d+: in \S/.test(line);
    out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

export function candidateView(
  status: SubmissionStatus,
  result: StoredResult | null,
  sees: CandidateSees,
  hiddenPaths: readonly string[],
): CandidateSubmissionView {
  if (status !== 'graded' || !result) return { status: 'received' };
  if (sees === 'status_only') return { status: 'graded' };
  const terms = hiddenTerms(
    hiddenPaths.filter((p) => !isExamplePath(p)),
    result.tests.filter((t) => !inExamples({ file: t.file ?? null, suite: t.suite })),
  );
  const ownRun = result.ownTests?.tests ?? [];
  const mine = ownRun.filter((t) => !inExamples(t));
  const examples = ownRun
    .filter(inExamples)
    .map((t) => ({ name: t.name, status: t.status, message: t.message ? capLines(scrub(dropNothing(t.message), terms)) : null }));
  const extra = {
    yourTests: mine.length ? { total: mine.length, passed: mine.filter((t) => t.status === 'passed').length } : null,
    examples,
  };
  if (!couldNotRun(result)) return { status: 'graded', outcome: 'ran', ...extra };
  return { status: 'graded', outcome: 'could_not_run', buildError: buildError(result, terms), ...extra };
}

const dropNothing = (s: string) => s;
const capLines = (s: string) => (s.length > MAX_BUILD_ERROR ? `${s.slice(0, MAX_BUILD_ERROR)}…` : s);

/** Load problems, by the kind of error the hidden run reported (only the kind is used, never the text). */
const LOAD_PROBLEMS: Array<[RegExp, string]> = [
  [
    /SyntaxError|IndentationError|TabError|Expression expected|Unexpected token|Unterminated/,
    'a syntax error: one of your files does not compile',
  ],
  [
    /Cannot find module|ModuleNotFoundError|No module named/,
    'a missing module: a file the tests import is not in your upload (check names and folders)',
  ],
  [
    /ImportError|does not provide an export|is not exported|cannot import name/,
    'a missing export: a name the instructions ask for is not exported',
  ],
  [/ReferenceError|NameError|is not defined/, 'a name that is not defined when your module loads'],
];

function buildError(r: StoredResult, terms: readonly string[]): string {
  const lines: string[] = [];
  if (r.status === 'timeout') {
    lines.push(
      `The tests did not finish within ${Math.round((r.limits?.timeoutMs ?? 0) / 1000) || 'the allowed'} seconds (an endless loop, or waiting for input?).`,
    );
  } else if (r.status === 'memory_exceeded') {
    lines.push(`Your code ran out of memory (the limit is ${r.limits?.memoryMb ?? '?'} MB).`);
  } else if (r.status === 'output_exceeded') {
    lines.push('Your code wrote more output than allowed.');
  } else if (r.integrity?.tampered) {
    lines.push(
      'The test run ended in a way our checks could not trust (the test report or the test process was interfered with); an engineer will look at it.',
    );
  } else {
    const messages = r.tests.filter((t) => t.status === 'error' && t.message).map((t) => t.message!);
    const kind = LOAD_PROBLEMS.find(([re]) => messages.some((m) => re.test(m)));
    lines.push(
      kind
        ? `The tests could not load your code: ${kind[1]}.`
        : 'The tests could not run your code (it stopped before the tests could report).',
    );
  }
  // The run without the hidden tests (own tests, examples) may say more, in its own words.
  const own = (r.ownTests?.tests ?? [])
    .filter((t) => t.status === 'error' && t.message)
    .map((t) => dropSourceLines(t.message!).trim())
    .filter(Boolean);
  for (const m of [...new Set(own)].slice(0, 2)) lines.push(`From the run of your own tests and the examples:\n${m}`);
  const text = scrub(lines.join('\n\n'), terms);
  return capLines(text);
}
