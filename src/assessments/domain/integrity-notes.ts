/**
 * Observations about a grading run for the reviewer (the review packet): what the host's checks
 * saw, and what a scan of the submission found. Observations, not verdicts. Pure.
 */

export type IntegrityNoteKind = 'report_check' | 'test_ids_differ' | 'early_exit' | 'submission_scan';

export interface IntegrityNote {
  kind: IntegrityNoteKind;
  /** One plain sentence for the reviewer. */
  detail: string;
  /** Where it was seen (file:line for a scan), when that is known. */
  where?: string | null;
}

interface ScanRule {
  what: string;
  re: RegExp;
  /** Only in files that are not tests (a test file importing its framework is ordinary). */
  solutionOnly?: boolean;
}

const COMMON: ScanRule[] = [
  { what: 'reads or writes under /proc', re: /\/proc\// },
  { what: 'mentions the test report (junit.xml or /work/out)', re: /junit\.xml|\/work\/out\b/ },
  {
    what: "opens file descriptor 3 (the run's report channel before this release)",
    re: /\/fd\/3\b|fdopen\(\s*3\b|fs\.(?:write|open)Sync\(\s*3\b/,
  },
];

const RULES: Record<string, ScanRule[]> = {
  node: [
    ...COMMON,
    { what: 'ends the process itself (process.exit / reallyExit / abort / kill)', re: /process\s*\.\s*(exit|reallyExit|abort|kill)\s*\(/ },
    {
      what: 'reaches into the test framework (jest / expect internals, globalThis.expect, reporters)',
      re: /require\(\s*['"](?:jest-[\w-]+|@jest\/[\w-]+|expect|jest-junit)['"]|from\s+['"](?:jest-[\w-]+|@jest\/(?!globals)[\w-]+|expect|jest-junit)['"]|globalThis\s*\.\s*expect|global\s*\.\s*expect\s*=|expect\s*\.\s*extend\s*\(|Symbol\.for\(\s*['"]\$\$jest/,
      solutionOnly: true,
    },
    {
      what: 'patches module loading (Module._load / require.cache / Module.prototype)',
      re: /Module\s*\.\s*_load|require\s*\.\s*cache|Module\.prototype/,
    },
    { what: 'starts other processes (child_process / worker_threads)', re: /child_process|worker_threads/ },
  ],
  python: [
    ...COMMON,
    {
      what: 'ends the process itself (os._exit / sys.exit / os.kill / signal)',
      re: /\bos\s*\.\s*_exit\s*\(|\bsys\s*\.\s*exit\s*\(|\bos\s*\.\s*kill\s*\(|\bos\s*\.\s*abort\s*\(/,
    },
    {
      what: 'reaches into the test framework (pytest / _pytest / unittest internals, builtins)',
      re: /\b(?:import|from)\s+(?:_pytest|pytest|unittest)\b|sys\.modules\s*\[|\bbuiltins\b|__builtins__/,
      solutionOnly: true,
    },
    {
      what: 'loads native code or inspects frames (ctypes / gc / inspect / sys._getframe)',
      re: /\b(?:import|from)\s+(?:ctypes|gc|inspect)\b|sys\s*\.\s*_getframe/,
    },
    {
      what: 'starts other processes (subprocess / os.fork / multiprocessing)',
      re: /\bsubprocess\b|os\s*\.\s*fork\s*\(|\bmultiprocessing\b/,
    },
  ],
};

/** Lines of the submission matching one of the runtime's rules (at most `max` notes). */
export function scanSubmission(
  runtime: string,
  files: ReadonlyArray<{ path: string; content: Buffer }>,
  isTestFile: (path: string) => boolean,
  max = 20,
): IntegrityNote[] {
  const rules = RULES[runtime] ?? COMMON;
  const notes: IntegrityNote[] = [];
  for (const f of files) {
    if (f.content.length > 512 * 1024 || f.content.includes(0)) continue;
    const test = isTestFile(f.path);
    const lines = f.content.toString('utf8').split('\n');
    for (const rule of rules) {
      if (rule.solutionOnly && test) continue;
      const at = lines.findIndex((l) => rule.re.test(l));
      if (at < 0) continue;
      notes.push({
        kind: 'submission_scan',
        detail: `${test ? 'A test file of the submission' : 'The submission'} ${rule.what}.`,
        where: `${f.path}:${at + 1}`,
      });
      if (notes.length >= max) return notes;
    }
  }
  return notes;
}
