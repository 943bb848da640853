/**
 * The focus excerpt's fallback where styles cannot be compared (Java, Go, Ruby, Rust, C++, PHP,
 * or too few functions): the largest function the candidate wrote or changed. Functions are found
 * by their header (per language) and their body by brace matching (Ruby: `def` to the `end` at
 * the same indentation). Pure: no I/O.
 */
import { isTestPath, SubmissionFile } from './focus-excerpt';

export interface FallbackExcerpt {
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  name: string;
  language: string;
  score: number;
  reasons: string[];
}

const HEADERS: Array<{ language: string; ext: RegExp; header: RegExp; braces: boolean }> = [
  { language: 'go', ext: /\.go$/i, header: /^\s*func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*[[(]/, braces: true },
  {
    language: 'rust',
    ext: /\.rs$/i,
    header: /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+|async\s+|unsafe\s+|extern\s+"[^"]*"\s+)*fn\s+([A-Za-z_]\w*)/,
    braces: true,
  },
  {
    language: 'php',
    ext: /\.php$/i,
    header: /^\s*(?:(?:public|private|protected|static|final|abstract)\s+)*function\s+&?([A-Za-z_]\w*)\s*\(/,
    braces: true,
  },
  {
    language: 'java',
    ext: /\.java$/i,
    header:
      /^\s*(?:(?:public|private|protected|static|final|abstract|synchronized|default)\s+)*(?:<[^>]+>\s+)?[\w.<>[\],? ]+\s+([a-z_]\w*)\s*\([^;]*$/,
    braces: true,
  },
  {
    language: 'cpp',
    ext: /\.(cpp|cc|cxx|hpp|hh|h)$/i,
    header:
      /^\s*(?:template\s*<[^>]*>\s*)?(?:(?:static|inline|constexpr|virtual|explicit)\s+)*[\w:<>,*& ]+?[\s*&]([A-Za-z_][\w:~]*)\s*\([^;]*$/,
    braces: true,
  },
  { language: 'ruby', ext: /\.rb$/i, header: /^(\s*)def\s+((?:self\.)?[\w?!=[\]]+)/, braces: false },
];

const SKIP_PATH = /(^|\/)(node_modules|dist|build|vendor|target|__pycache__)\//;
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'else', 'do', 'sizeof', 'new']);

interface Found {
  name: string;
  startLine: number;
  endLine: number;
  text: string;
}

/** Functions of one file: name, lines (1-based, inclusive) and text. */
export function functionsOf(path: string, content: string): Found[] {
  const spec = HEADERS.find((h) => h.ext.test(path));
  if (!spec) return [];
  const lines = content.split('\n');
  const out: Found[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = spec.header.exec(lines[i]);
    if (!m) continue;
    if (!spec.braces) {
      const indent = m[1];
      const end = lines.findIndex((l, j) => j > i && new RegExp(`^${indent}end\\b`).test(l));
      if (end < 0) continue;
      out.push({ name: m[2], startLine: i + 1, endLine: end + 1, text: lines.slice(i, end + 1).join('\n') });
      i = end;
      continue;
    }
    const name = m[1];
    if (KEYWORDS.has(name)) continue;
    // the body: from the first `{` within the next 3 lines to its matching `}` (strings ignored roughly)
    let depth = 0;
    let opened = false;
    let end = -1;
    for (let j = i; j < lines.length && (opened || j < i + 4); j++) {
      const l = lines[j].replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)'|\/\/.*$/g, '');
      if (!opened && j > i && /;\s*$/.test(lines[j - 1]) && !l.includes('{')) break; // a declaration only
      for (const ch of l) {
        if (ch === '{') {
          depth++;
          opened = true;
        } else if (ch === '}' && opened) {
          depth--;
          if (depth === 0) {
            end = j;
            break;
          }
        }
      }
      if (end >= 0) break;
    }
    if (end < 0) continue;
    out.push({ name, startLine: i + 1, endLine: end + 1, text: lines.slice(i, end + 1).join('\n') });
    i = end;
  }
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The largest function (most lines) outside tests and not left exactly as the starter files had
 * it; ties go to the earlier file, then the earlier line. Null when there is none.
 */
export function largestChangedFunction(
  files: readonly SubmissionFile[],
  options: { starter?: readonly SubmissionFile[] } = {},
): FallbackExcerpt | null {
  const starter = new Set<string>();
  for (const f of options.starter ?? []) for (const fn of functionsOf(f.path, f.content)) starter.add(norm(fn.text));
  let best: (Found & { file: string; language: string }) | null = null;
  for (const f of files) {
    if (
      SKIP_PATH.test(f.path) ||
      isTestPath(f.path) ||
      /(^|\/)src\/test\/|_test\.go$|Test\.(java|php)$|_spec\.rb$/.test(f.path) ||
      f.content.length > 200_000
    )
      continue;
    const language = HEADERS.find((h) => h.ext.test(f.path))?.language;
    if (!language) continue;
    for (const fn of functionsOf(f.path, f.content)) {
      if (fn.endLine - fn.startLine < 1 || starter.has(norm(fn.text))) continue;
      if (!best || fn.endLine - fn.startLine > best.endLine - best.startLine) best = { ...fn, file: f.path, language };
    }
  }
  if (!best) return null;
  return {
    file: best.file,
    startLine: best.startLine,
    endLine: best.endLine,
    name: best.name,
    language: best.language,
    score: 0,
    reasons: ['The largest function the candidate wrote or changed (styles are not compared for this language).'],
  };
}
