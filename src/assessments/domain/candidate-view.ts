/**
 * What a candidate may see of grading. Hidden test names, files and contents never reach them:
 * 'status_only' shows received / graded; 'summary' adds whether the code ran, and when it could
 * not run, the build error with every hidden test name and path blanked out.
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
}

export interface CandidateSubmissionView {
  status: 'received' | 'graded';
  outcome?: 'ran' | 'could_not_run';
  buildError?: string | null;
}

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
  if (!couldNotRun(result)) return { status: 'graded', outcome: 'ran' };
  return { status: 'graded', outcome: 'could_not_run', buildError: buildError(result, hiddenPaths) };
}

function buildError(r: StoredResult, hiddenPaths: readonly string[]): string {
  const lines: string[] = [];
  if (r.status === 'timeout') {
    lines.push(`The tests did not finish within ${Math.round((r.limits?.timeoutMs ?? 0) / 1000) || 'the allowed'} seconds (an endless loop, or waiting for input?).`);
  } else if (r.status === 'memory_exceeded') {
    lines.push(`Your code ran out of memory (the limit is ${r.limits?.memoryMb ?? '?'} MB).`);
  } else if (r.status === 'output_exceeded') {
    lines.push('Your code wrote more output than allowed.');
  } else if (r.reason && r.status === 'error') {
    lines.push(`The tests could not run: ${r.reason}.`);
  }
  const messages = r.tests.filter((t) => t.status === 'error' && t.message).map((t) => dropSourceLines(t.message!).trim()).filter(Boolean);
  for (const m of [...new Set(messages)].slice(0, 3)) lines.push(m);
  const text = scrub(lines.join('\n\n'), hiddenTerms(hiddenPaths, r.tests));
  return text.length > MAX_BUILD_ERROR ? `${text.slice(0, MAX_BUILD_ERROR)}…` : text;
}
