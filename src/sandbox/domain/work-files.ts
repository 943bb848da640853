/** Which files go into a run's work dir, and in what order. Pure: no Docker, no Nest. */

export interface WorkFile {
  /** Relative POSIX path, already validated (no absolute path, no `..`). */
  path: string;
  content: Buffer;
  /** Unix permission bits; only the executable bit is kept. */
  mode?: number;
}

export type DropReason = 'runner_config' | 'replaced_by_hidden_test' | 'conflicts_with_hidden_test' | 'candidate_test';

export interface WorkFilesPlan {
  /** Files in the order they are written: the submission's, then the hidden tests. */
  files: WorkFile[];
  /** Submission files left out, and why (reported to the grader, never an error). */
  dropped: Array<{ path: string; reason: DropReason }>;
}

const normalize = (p: string) => p.replace(/^\.\/+/, '').replace(/\/+$/, '');

export function isProtectedPath(path: string, rules: readonly RegExp[]): boolean {
  const p = normalize(path);
  return rules.some((r) => r.test(p));
}

/**
 * Submission first, then the hidden tests, so a submitted file with a hidden test's name is
 * replaced by the test. Submission files that would configure the test runner (per runtime
 * rules) are dropped, as are ones whose path collides with a hidden test as file-vs-directory.
 */
export function planWorkFiles(
  submission: readonly WorkFile[],
  hiddenTests: readonly WorkFile[],
  protectedRules: readonly RegExp[],
  /** Submission files that are tests (the candidate's own): left out, reason candidate_test. */
  submissionTests?: RegExp,
): WorkFilesPlan {
  const testPaths = new Set(hiddenTests.map((f) => normalize(f.path)));
  const testDirs = new Set<string>();
  for (const p of testPaths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) testDirs.add(parts.slice(0, i).join('/'));
  }
  const dropped: WorkFilesPlan['dropped'] = [];
  const kept: WorkFile[] = [];
  const keptPaths = new Set<string>();
  for (const f of submission) {
    const p = normalize(f.path);
    if (isProtectedPath(p, protectedRules)) {
      dropped.push({ path: p, reason: 'runner_config' });
    } else if (submissionTests && submissionTests.test(p) && !testPaths.has(p)) {
      dropped.push({ path: p, reason: 'candidate_test' });
    } else if (testPaths.has(p)) {
      dropped.push({ path: p, reason: 'replaced_by_hidden_test' });
    } else if (testDirs.has(p) || ancestors(p).some((a) => testPaths.has(a))) {
      dropped.push({ path: p, reason: 'conflicts_with_hidden_test' });
    } else if (!keptPaths.has(p)) {
      keptPaths.add(p);
      kept.push({ ...f, path: p });
    }
  }
  return { files: [...kept, ...hiddenTests.map((f) => ({ ...f, path: normalize(f.path) }))], dropped };
}

function ancestors(p: string): string[] {
  const parts = p.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}
