/**
 * Lightweight lexing for the focus excerpt: masks comments and string contents so structure can be
 * found with regular expressions and bracket matching, and splits files into functions/blocks.
 * No parser dependency; good enough for ordinary JavaScript/TypeScript and Python submissions.
 */

export type SourceLanguage = 'javascript' | 'python';

export interface StringLiteral {
  /** 0-based line of the opening quote. */
  line: number;
  /** ' " ` or, for Python, ''' / """ . */
  quote: string;
  /** Python prefix letters, lower-cased (f, r, b, u, rb ...). */
  prefix: string;
  /** Whether the literal is the only thing on its first line (Python docstring-like). */
  standalone: boolean;
}

export interface ScannedFile {
  language: SourceLanguage;
  /** Source text with comments blanked out and string contents replaced by spaces (quotes kept). */
  masked: string;
  lines: string[];
  maskedLines: string[];
  lineStarts: number[];
  strings: StringLiteral[];
  /** Lines (0-based) carrying a comment (or, in Python, a docstring line). */
  commentLines: Set<number>;
  /** Lines (0-based) that continue a statement (inside a string/bracket or after a backslash). */
  continuationLines: Set<number>;
  /** Bracket depth ((), [], {}) at the start of each line. */
  bracketDepthAtLine: number[];
}

export interface CodeBlock {
  file: string;
  language: SourceLanguage;
  name: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** Declared identifiers (function name, parameters, variables). */
  declared: string[];
  /** Parameter texts as written (for annotation checks). */
  params: string[];
}

export function languageOf(path: string): SourceLanguage | null {
  const p = path.toLowerCase();
  if (/\.(m|c)?(j|t)sx?$/.test(p) && !p.endsWith('.d.ts')) return 'javascript';
  if (p.endsWith('.py')) return 'python';
  return null;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function lineOf(lineStarts: number[], pos: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const REGEX_PRECEDING_KEYWORDS = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'instanceof',
  'yield',
  'await',
]);

function finish(
  language: SourceLanguage,
  src: string,
  out: string[],
  strings: StringLiteral[],
  commentLines: Set<number>,
): Omit<ScannedFile, 'continuationLines' | 'bracketDepthAtLine'> {
  const masked = out.join('');
  const lineStarts = computeLineStarts(src);
  return {
    language,
    masked,
    lines: src.split('\n'),
    maskedLines: masked.split('\n'),
    lineStarts,
    strings,
    commentLines,
  };
}

function depthPerLine(maskedLines: string[]): number[] {
  const res: number[] = [];
  let depth = 0;
  for (const line of maskedLines) {
    res.push(depth);
    for (const ch of line) {
      if (ch === '(' || ch === '[' || ch === '{') depth += 1;
      else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    }
  }
  return res;
}

/** Masks a JavaScript/TypeScript source. */
export function scanJavaScript(src: string): ScannedFile {
  const out: string[] = [];
  const strings: StringLiteral[] = [];
  const commentLines = new Set<number>();
  const stringLines = new Set<number>(); // lines that start inside a multi-line string/comment
  let line = 0;
  let i = 0;
  const n = src.length;
  const templateStack: number[] = []; // brace depth inside each open `${`
  let lastSignificant = ''; // last non-space char emitted as code
  let lastWord = '';

  const emitBlank = (ch: string) => {
    if (ch === '\n') {
      line += 1;
      out.push('\n');
    } else out.push(ch === '\t' ? '\t' : ' ');
  };

  const scanTemplateBody = (): void => {
    // i points just after the opening backtick or after the closing } of a ${ } part
    while (i < n) {
      const ch = src[i];
      if (ch === '\\') {
        emitBlank(ch);
        if (i + 1 < n) emitBlank(src[i + 1]);
        i += 2;
        continue;
      }
      if (ch === '`') {
        out.push('`');
        i += 1;
        lastSignificant = '`';
        return;
      }
      if (ch === '$' && src[i + 1] === '{') {
        out.push('${');
        i += 2;
        templateStack.push(0);
        lastSignificant = '{';
        return;
      }
      if (ch === '\n') stringLines.add(line + 1);
      emitBlank(ch);
      i += 1;
    }
  };

  while (i < n) {
    const ch = src[i];
    const next = src[i + 1];
    if (ch === '/' && next === '/') {
      commentLines.add(line);
      while (i < n && src[i] !== '\n') {
        emitBlank(src[i]);
        i += 1;
      }
      continue;
    }
    if (ch === '/' && next === '*') {
      commentLines.add(line);
      emitBlank(' ');
      emitBlank(' ');
      i += 2;
      while (i < n && !(src[i] === '*' && src[i + 1] === '/')) {
        if (src[i] === '\n') {
          commentLines.add(line + 1);
        }
        emitBlank(src[i]);
        i += 1;
      }
      if (i < n) {
        emitBlank(' ');
        emitBlank(' ');
        i += 2;
      }
      continue;
    }
    if (ch === "'" || ch === '"') {
      strings.push({ line, quote: ch, prefix: '', standalone: false });
      out.push(ch);
      i += 1;
      while (i < n && src[i] !== ch && src[i] !== '\n') {
        if (src[i] === '\\' && i + 1 < n) {
          emitBlank(' ');
          i += 1;
          if (src[i] === '\n') {
            emitBlank('\n');
            i += 1;
            continue;
          }
        }
        emitBlank(src[i]);
        i += 1;
      }
      if (i < n && src[i] === ch) {
        out.push(ch);
        i += 1;
      }
      lastSignificant = ch;
      lastWord = '';
      continue;
    }
    if (ch === '`') {
      strings.push({ line, quote: '`', prefix: '', standalone: false });
      out.push('`');
      i += 1;
      scanTemplateBody();
      lastWord = '';
      continue;
    }
    if (ch === '{' && templateStack.length > 0) {
      templateStack[templateStack.length - 1] += 1;
    } else if (ch === '}' && templateStack.length > 0) {
      if (templateStack[templateStack.length - 1] === 0) {
        templateStack.pop();
        out.push('}');
        i += 1;
        scanTemplateBody();
        continue;
      }
      templateStack[templateStack.length - 1] -= 1;
    }
    if (ch === '/') {
      const regexContext =
        lastSignificant === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant) || REGEX_PRECEDING_KEYWORDS.has(lastWord);
      if (regexContext) {
        out.push('/');
        i += 1;
        let inClass = false;
        while (i < n && src[i] !== '\n') {
          const c = src[i];
          if (c === '\\') {
            emitBlank(' ');
            if (i + 1 < n && src[i + 1] !== '\n') emitBlank(' ');
            i += 2;
            continue;
          }
          if (c === '[') inClass = true;
          else if (c === ']') inClass = false;
          else if (c === '/' && !inClass) break;
          emitBlank(c);
          i += 1;
        }
        if (i < n && src[i] === '/') {
          out.push('/');
          i += 1;
        }
        lastSignificant = '/';
        lastWord = '';
        continue;
      }
    }
    if (ch === '\n') {
      line += 1;
      out.push('\n');
      i += 1;
      continue;
    }
    out.push(ch);
    if (!/\s/.test(ch)) {
      lastSignificant = ch;
      if (/[\w$]/.test(ch)) {
        lastWord = /[\w$]/.test(src[i - 1] ?? '') ? lastWord + ch : ch;
      } else lastWord = '';
    }
    i += 1;
  }
  const base = finish('javascript', src, out, strings, commentLines);
  return { ...base, continuationLines: stringLines, bracketDepthAtLine: depthPerLine(base.maskedLines) };
}

/** Masks a Python source; docstrings (standalone triple-quoted strings) count as comment lines. */
export function scanPython(src: string): ScannedFile {
  const out: string[] = [];
  const strings: StringLiteral[] = [];
  const commentLines = new Set<number>();
  const continuation = new Set<number>();
  let line = 0;
  let i = 0;
  const n = src.length;
  let lineHasCode = false;

  const emitBlank = (ch: string) => {
    if (ch === '\n') {
      line += 1;
      lineHasCode = false;
      out.push('\n');
    } else out.push(ch === '\t' ? '\t' : ' ');
  };

  while (i < n) {
    const ch = src[i];
    if (ch === '#') {
      commentLines.add(line);
      while (i < n && src[i] !== '\n') {
        emitBlank(src[i]);
        i += 1;
      }
      continue;
    }
    if (ch === '\\' && src[i + 1] === '\n') {
      out.push('\\');
      i += 1;
      continuation.add(line + 1);
      continue;
    }
    // string with optional prefix
    const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(src.slice(i, i + 5));
    const prevIsWord = i > 0 && /[\w]/.test(src[i - 1]);
    if (m && !(m[1] !== '' && prevIsWord)) {
      const prefix = m[1].toLowerCase();
      const quote = m[2];
      const standalone = !lineHasCode;
      const startLine = line;
      for (const c of m[1]) out.push(c);
      out.push(quote);
      i += m[0].length;
      lineHasCode = true;
      const triple = quote.length === 3;
      while (i < n) {
        if (src[i] === '\\' && i + 1 < n) {
          emitBlank(' ');
          i += 1;
          if (src[i] === '\n') continuation.add(line + 1);
          emitBlank(src[i]);
          i += 1;
          continue;
        }
        if (src.startsWith(quote, i)) break;
        if (src[i] === '\n') {
          if (!triple) break;
          continuation.add(line + 1);
        }
        emitBlank(src[i]);
        i += 1;
      }
      if (src.startsWith(quote, i)) {
        out.push(quote);
        i += quote.length;
      }
      // a docstring: standalone triple-quoted literal not followed by code on its last line
      const rest = /^[ \t]*(#.*)?(\n|$)/.test(src.slice(i, src.indexOf('\n', i) === -1 ? n : src.indexOf('\n', i) + 1));
      const isDoc = triple && standalone && rest;
      strings.push({ line: startLine, quote, prefix, standalone: isDoc });
      if (isDoc) for (let l = startLine; l <= line; l++) commentLines.add(l);
      continue;
    }
    if (ch === '\n') {
      line += 1;
      lineHasCode = false;
      out.push('\n');
      i += 1;
      continue;
    }
    if (!/\s/.test(ch)) lineHasCode = true;
    out.push(ch);
    i += 1;
  }
  const base = finish('python', src, out, strings, commentLines);
  const depths = depthPerLine(base.maskedLines);
  depths.forEach((d, l) => {
    if (d > 0) continuation.add(l);
  });
  return { ...base, continuationLines: continuation, bracketDepthAtLine: depths };
}

export function scanFile(language: SourceLanguage, src: string): ScannedFile {
  const text = src.replace(/\r\n?/g, '\n');
  return language === 'python' ? scanPython(text) : scanJavaScript(text);
}

// ---------------------------------------------------------------------------------------------
// Parameters and declared identifiers

/** Splits at top-level commas (outside (), [], {}, <>). */
export function splitTopLevel(text: string, sep = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if ('([{<'.includes(ch)) depth += 1;
    else if (')]}>'.includes(ch)) depth = Math.max(0, depth - 1);
    if (ch === sep && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const JS_NOT_NAMES = new Set([
  'this',
  'public',
  'private',
  'protected',
  'readonly',
  'async',
  'await',
  'new',
  'true',
  'false',
  'null',
  'undefined',
]);

function paramNames(params: string[], language: SourceLanguage): string[] {
  const names: string[] = [];
  for (let p of params) {
    p = p.replace(/^\.\.\.|^\*{1,2}/, '').trim();
    if (language === 'javascript') p = p.replace(/^(public|private|protected|readonly)\s+/, '');
    const head = splitTopLevel(p, '=')[0] ?? '';
    if (/^[{[]/.test(head)) {
      const inner = head.replace(/^[{[]|[}\]]\s*(:.*)?$/g, '');
      for (const part of splitTopLevel(inner)) {
        const target = part.includes(':') ? part.split(':').pop()! : part;
        const m = /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(target.split('=')[0]);
        if (m) names.push(m[1]);
      }
      continue;
    }
    const m = /^([A-Za-z_$][\w$]*)/.exec(head.split(':')[0].trim().replace(/\?$/, ''));
    if (m && !JS_NOT_NAMES.has(m[1])) names.push(m[1]);
  }
  return names;
}

function jsDeclaredIn(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) names.push(m[1]);
  for (const m of code.matchAll(/\b(?:const|let|var)\s*([{[])([^}\]=]*)[}\]]/g)) {
    for (const part of splitTopLevel(m[2])) {
      const target = part.includes(':') ? part.split(':').pop()! : part;
      const mm = /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(target.split('=')[0]);
      if (mm) names.push(mm[1]);
    }
  }
  for (const m of code.matchAll(/\bcatch\s*\(\s*([A-Za-z_$][\w$]*)/g)) names.push(m[1]);
  for (const m of code.matchAll(/\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)/g)) names.push(m[1]);
  return names;
}

const PY_NOT_NAMES = new Set(['self', 'cls', '_']);

function pyDeclaredIn(code: string): string[] {
  const names: string[] = [];
  for (const raw of code.split('\n')) {
    const line = raw.trim();
    const assign = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]+)?=(?!=)/.exec(line);
    if (assign) for (const n of assign[1].split(',')) names.push(n.trim());
    const attr = /^self\.([A-Za-z_]\w*)\s*(?::[^=]+)?=(?!=)/.exec(line);
    if (attr) names.push(attr[1]);
  }
  for (const m of code.matchAll(/\bfor\s+\(?([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\)?\s+in\b/g)) {
    for (const n of m[1].split(',')) names.push(n.trim());
  }
  for (const m of code.matchAll(/\bas\s+([A-Za-z_]\w*)/g)) names.push(m[1]);
  for (const m of code.matchAll(/\bdef\s+([A-Za-z_]\w*)/g)) names.push(m[1]);
  for (const m of code.matchAll(/\blambda\s+([^:]*):/g)) {
    for (const n of paramNames(splitTopLevel(m[1]), 'python')) names.push(n);
  }
  return names.filter((n) => !PY_NOT_NAMES.has(n));
}

// ---------------------------------------------------------------------------------------------
// Block extraction: JavaScript / TypeScript

function matchClosing(masked: string, open: number): number {
  const o = masked[open];
  const c = o === '(' ? ')' : o === '[' ? ']' : '}';
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const ch = masked[i];
    if (ch === o) depth += 1;
    else if (ch === c) {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function skipSpace(masked: string, i: number): number {
  while (i < masked.length && /\s/.test(masked[i])) i += 1;
  return i;
}

/** End of an arrow function's expression body starting at `i`; returns the index of its last char. */
function expressionEnd(masked: string, i: number): number {
  let depth = 0;
  let last = i;
  for (let k = i; k < masked.length; k++) {
    const ch = masked[k];
    if ('([{'.includes(ch)) depth += 1;
    else if (')]}'.includes(ch)) {
      if (depth === 0) return last;
      depth -= 1;
    } else if (depth === 0 && (ch === ';' || ch === ',')) return ch === ';' ? k : last;
    else if (depth === 0 && ch === '\n') {
      const trimmedBefore = masked.slice(i, k).trimEnd();
      const nextStart = skipSpace(masked, k);
      const endsWithOperator = /[+\-*/%&|=<>?:,.([{]$/.test(trimmedBefore);
      const nextContinues = /^[.?:+\-*/%&|=<>]/.test(masked.slice(nextStart, nextStart + 1));
      if (!endsWithOperator && !nextContinues) return last;
    }
    if (!/\s/.test(ch)) last = k;
  }
  return last;
}

interface RawBlock {
  name: string;
  start: number;
  headerEnd: number;
  end: number;
  params: string[];
}

/** Given a position right where a function value starts (after `=`), returns its extent. */
function functionValue(masked: string, q: number): { paramsOpen: number; bodyEnd: number } | null {
  q = skipSpace(masked, q);
  if (masked.startsWith('async', q) && /\s/.test(masked[q + 5] ?? '')) q = skipSpace(masked, q + 5);
  if (masked.startsWith('function', q)) {
    const open = masked.indexOf('(', q);
    if (open < 0) return null;
    const close = matchClosing(masked, open);
    if (close < 0) return null;
    const brace = masked.indexOf('{', close);
    if (brace < 0) return null;
    const end = matchClosing(masked, brace);
    return end < 0 ? null : { paramsOpen: open, bodyEnd: end };
  }
  if (masked[q] === '<') {
    const gt = masked.indexOf('>', q);
    if (gt < 0) return null;
    q = skipSpace(masked, gt + 1);
  }
  let paramsOpen = -1;
  let afterParams: number;
  if (masked[q] === '(') {
    paramsOpen = q;
    const close = matchClosing(masked, q);
    if (close < 0) return null;
    afterParams = close + 1;
  } else {
    const m = /^[A-Za-z_$][\w$]*/.exec(masked.slice(q, q + 100));
    if (!m) return null;
    afterParams = q + m[0].length;
  }
  const arrow = /^\s*(?::[^=;{}]*?)?\s*=>/.exec(masked.slice(afterParams, afterParams + 300));
  if (!arrow) return null;
  const body = skipSpace(masked, afterParams + arrow[0].length);
  if (masked[body] === '{') {
    const end = matchClosing(masked, body);
    return end < 0 ? null : { paramsOpen, bodyEnd: end };
  }
  return { paramsOpen, bodyEnd: expressionEnd(masked, body) };
}

const JS_CONTROL = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'function',
  'return',
  'with',
  'do',
  'else',
  'new',
  'super',
  'await',
  'typeof',
]);

function jsBlocks(scan: ScannedFile): RawBlock[] {
  const { masked, lineStarts } = scan;
  const blocks: RawBlock[] = [];

  // class bodies: member depth ranges
  const classes: Array<{ name: string; open: number; close: number }> = [];
  for (const m of masked.matchAll(/(^|[^\w$.])class\s+([A-Za-z_$][\w$]*)?[^{;]*\{/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = matchClosing(masked, open);
    if (close > 0) classes.push({ name: m[2] ?? 'class', open, close });
  }
  // brace depth before each char
  const depthAt = new Int32Array(masked.length + 1);
  let d = 0;
  for (let i = 0; i < masked.length; i++) {
    depthAt[i] = d;
    if (masked[i] === '{') d += 1;
    else if (masked[i] === '}') d = Math.max(0, d - 1);
  }
  depthAt[masked.length] = d;

  const paramsOf = (open: number): string[] => {
    if (open < 0) return [];
    const close = matchClosing(masked, open);
    return close < 0 ? [] : splitTopLevel(masked.slice(open + 1, close));
  };

  const FN =
    /[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:async[ \t]+)?function[ \t]*\*?[ \t]*([A-Za-z_$][\w$]*)[ \t]*(?:<[^>{(]*>)?[ \t]*\(/y;
  const VAR = /[ \t]*(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]+)?=(?!=)/y;
  const ASSIGN = /[ \t]*(?:[A-Za-z_$][\w$]*\.)+([A-Za-z_$][\w$]*)[ \t]*=(?![=>])/y;
  const METHOD =
    /[ \t]*(?:(?:public|private|protected|static|async|readonly|override|abstract|get|set)[ \t]+)*\*?[ \t]*(#?[A-Za-z_$][\w$]*)[ \t]*(?:<[^>{(]*>)?[ \t]*\(/y;
  const PROP = /[ \t]*(?:(?:public|private|protected|static|readonly)[ \t]+)*(#?[A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]+)?=(?![=>])/y;

  for (const p of lineStarts) {
    let m: RegExpExecArray | null;
    FN.lastIndex = p;
    if ((m = FN.exec(masked))) {
      const open = FN.lastIndex - 1;
      const close = matchClosing(masked, open);
      const brace = close < 0 ? -1 : masked.indexOf('{', close);
      const end = brace < 0 ? -1 : matchClosing(masked, brace);
      if (end > 0) blocks.push({ name: m[1], start: p, headerEnd: brace, end, params: paramsOf(open) });
      continue;
    }
    VAR.lastIndex = p;
    if ((m = VAR.exec(masked))) {
      const fv = functionValue(masked, VAR.lastIndex);
      if (fv) blocks.push({ name: m[1], start: p, headerEnd: VAR.lastIndex, end: fv.bodyEnd, params: paramsOf(fv.paramsOpen) });
      continue;
    }
    ASSIGN.lastIndex = p;
    if ((m = ASSIGN.exec(masked))) {
      const fv = functionValue(masked, ASSIGN.lastIndex);
      if (fv) blocks.push({ name: m[1], start: p, headerEnd: ASSIGN.lastIndex, end: fv.bodyEnd, params: paramsOf(fv.paramsOpen) });
      continue;
    }
    const first = skipSpace(masked, p);
    const cls = classes.filter((c) => c.open < first && first < c.close).pop();
    if (!cls || depthAt[first] !== depthAt[cls.open] + 1) continue;
    METHOD.lastIndex = p;
    if ((m = METHOD.exec(masked)) && !JS_CONTROL.has(m[1])) {
      const open = METHOD.lastIndex - 1;
      const close = matchClosing(masked, open);
      const brace = close < 0 ? -1 : masked.indexOf('{', close);
      const between = brace < 0 ? '' : masked.slice(close + 1, brace);
      if (brace > 0 && !/[;=]/.test(between)) {
        const end = matchClosing(masked, brace);
        if (end > 0) blocks.push({ name: `${cls.name}.${m[1]}`, start: p, headerEnd: brace, end, params: paramsOf(open) });
      }
      continue;
    }
    PROP.lastIndex = p;
    if ((m = PROP.exec(masked))) {
      const fv = functionValue(masked, PROP.lastIndex);
      if (fv)
        blocks.push({ name: `${cls.name}.${m[1]}`, start: p, headerEnd: PROP.lastIndex, end: fv.bodyEnd, params: paramsOf(fv.paramsOpen) });
    }
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Block extraction: Python

function indentWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    if (ch === ' ') w += 1;
    else if (ch === '\t') w += 8 - (w % 8);
    else break;
  }
  return w;
}

function pyBlocks(scan: ScannedFile): Array<RawBlock & { startLine: number; endLine: number }> {
  const { maskedLines, continuationLines } = scan;
  const blocks: Array<RawBlock & { startLine: number; endLine: number }> = [];
  const classStack: Array<{ indent: number; name: string }> = [];
  for (let l = 0; l < maskedLines.length; l++) {
    const text = maskedLines[l];
    if (continuationLines.has(l) || text.trim() === '') continue;
    const indent = indentWidth(text);
    while (classStack.length && classStack[classStack.length - 1].indent >= indent) classStack.pop();
    const cm = /^\s*class\s+([A-Za-z_]\w*)/.exec(text);
    if (cm) {
      classStack.push({ indent, name: cm[1] });
      continue;
    }
    const m = /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/.exec(text);
    if (!m) continue;
    // header: until the parentheses close
    const headerText: string[] = [text];
    let h = l;
    let depth = 0;
    const count = (s: string) => {
      for (const ch of s) {
        if ('([{'.includes(ch)) depth += 1;
        else if (')]}'.includes(ch)) depth -= 1;
      }
    };
    count(text);
    while (depth > 0 && h + 1 < maskedLines.length) {
      h += 1;
      headerText.push(maskedLines[h]);
      count(maskedLines[h]);
    }
    const header = headerText.join('\n');
    const open = header.indexOf('(');
    const close = matchClosing(header, open);
    const params = close < 0 ? [] : splitTopLevel(header.slice(open + 1, close));
    // body: until a non-blank, non-continuation line indented at or left of the def
    let end = h;
    for (let k = h + 1; k < maskedLines.length; k++) {
      const t = maskedLines[k];
      if (t.trim() === '' && !continuationLines.has(k)) continue;
      if (!continuationLines.has(k) && indentWidth(t) <= indent && scan.lines[k].trim() !== '') {
        // comment lines at lower indentation do not end the block unless code follows
        if (scan.lines[k].trim().startsWith('#')) continue;
        break;
      }
      end = k;
    }
    // trailing comment-only lines belong to what follows
    while (end > h && scan.lines[end].trim().startsWith('#') && indentWidth(scan.lines[end]) <= indent) end -= 1;
    // decorators directly above
    let start = l;
    while (start > 0 && /^\s*@/.test(maskedLines[start - 1]) && indentWidth(maskedLines[start - 1]) === indent) start -= 1;
    const owner = classStack.length ? `${classStack[classStack.length - 1].name}.` : '';
    blocks.push({ name: owner + m[1], start: 0, headerEnd: 0, end: 0, params, startLine: start, endLine: end });
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------

/** Splits a file into its outermost functions/methods (nested ones stay inside their parent). */
export function extractBlocks(path: string, content: string, scanned?: ScannedFile): CodeBlock[] {
  const language = languageOf(path);
  if (!language) return [];
  const scan = scanned ?? scanFile(language, content);
  let raw: Array<{ name: string; startLine: number; endLine: number; params: string[] }>;
  if (language === 'javascript') {
    raw = jsBlocks(scan).map((b) => ({
      name: b.name,
      startLine: lineOf(scan.lineStarts, b.start),
      endLine: lineOf(scan.lineStarts, b.end),
      params: b.params,
    }));
  } else {
    raw = pyBlocks(scan);
  }
  raw.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  const kept: typeof raw = [];
  for (const b of raw) {
    const parent = kept.find((k) => k.startLine <= b.startLine && b.endLine <= k.endLine);
    if (!parent) kept.push(b);
  }
  return kept.map((b) => {
    const code = scan.maskedLines.slice(b.startLine, b.endLine + 1).join('\n');
    const fromParams = paramNames(b.params, language);
    const inBody = language === 'javascript' ? jsDeclaredIn(code) : pyDeclaredIn(code);
    const bare = b.name.split('.').pop()!.replace(/^#/, '');
    const declared = [bare, ...fromParams, ...inBody].filter((n) =>
      language === 'javascript' ? !JS_NOT_NAMES.has(n) : !PY_NOT_NAMES.has(n),
    );
    return {
      file: path,
      language,
      name: b.name,
      startLine: b.startLine + 1,
      endLine: b.endLine + 1,
      declared: [...new Set(declared)],
      params: b.params,
    };
  });
}
