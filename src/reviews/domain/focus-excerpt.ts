/**
 * Picks the piece of a submission to review together with the candidate: the function whose style
 * differs most from the rest of the submission. The reasons are observations for the reviewer,
 * never a verdict: a different style has many innocent explanations.
 */
import { CodeBlock, ScannedFile, SourceLanguage, extractBlocks, languageOf, scanFile, splitTopLevel } from './focus-scan';

export interface SubmissionFile {
  path: string;
  content: string;
}

export interface FocusExcerpt {
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  name: string;
  language: SourceLanguage;
  /** Standardised distance of this block's style from the rest (0 = indistinguishable). */
  score: number;
  /** Plain-words observations, strongest first. */
  reasons: string[];
}

/** Scores at or above this mean the block's style stands out from the rest of the submission. */
export const NOTABLE_SCORE = 3;

export function isNotable(excerpt: Pick<FocusExcerpt, 'score'> | null, threshold = NOTABLE_SCORE): boolean {
  return excerpt !== null && excerpt.score >= threshold;
}

export interface FocusOptions {
  /** Minimum number of blocks (per language) to compare; fewer gives null. Default 3. */
  minBlocks?: number;
  /** Files larger than this many characters are skipped (generated/minified). Default 200 000. */
  maxFileChars?: number;
  /** Analyse test files too (*.test.js, *.spec.ts, test_*.py, tests/ ...). Default false. */
  includeTests?: boolean;
  /**
   * The assignment's starter files: functions left as provided (same text, whitespace-trimmed)
   * are not the candidate's style and are left out entirely.
   */
  starter?: readonly SubmissionFile[];
}

const TEST_PATH = /(^|\/)(tests?|__tests__|specs?)\/|\.(test|spec)\.(m|c)?[jt]sx?$|(^|\/)test_[^/]*\.py$|_test\.py$|(^|\/)conftest\.py$/i;

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

// ---------------------------------------------------------------------------------------------
// Style features

type FeatureKey =
  | 'camel'
  | 'snake'
  | 'pascal'
  | 'indent2'
  | 'indent4'
  | 'indentTab'
  | 'quoteSingle'
  | 'quoteDouble'
  | 'quoteBacktick'
  | 'semicolon'
  | 'comments'
  | 'identLength'
  | 'lineLength'
  | 'blankLines'
  | 'varDecl'
  | 'looseEquality'
  | 'opSpacing'
  | 'braceOwnLine'
  | 'fString'
  | 'typedParams';

type Group =
  | 'naming'
  | 'indent'
  | 'quotes'
  | 'semicolons'
  | 'comments'
  | 'identLength'
  | 'lineLength'
  | 'blankLines'
  | 'varDecl'
  | 'equality'
  | 'opSpacing'
  | 'braces'
  | 'formatting'
  | 'annotations';

interface FeatureSpec {
  group: Group;
  /** Scale floor: differences smaller than this are never dramatic. */
  floor: number;
  /** Within-block spread used to discount small samples. */
  spread: number;
  kind: 'ratio' | 'mean';
}

const FEATURES: Record<FeatureKey, FeatureSpec> = {
  camel: { group: 'naming', floor: 0.15, spread: 0.5, kind: 'ratio' },
  snake: { group: 'naming', floor: 0.15, spread: 0.5, kind: 'ratio' },
  pascal: { group: 'naming', floor: 0.15, spread: 0.5, kind: 'ratio' },
  indent2: { group: 'indent', floor: 0.15, spread: 0.5, kind: 'ratio' },
  indent4: { group: 'indent', floor: 0.15, spread: 0.5, kind: 'ratio' },
  indentTab: { group: 'indent', floor: 0.15, spread: 0.5, kind: 'ratio' },
  quoteSingle: { group: 'quotes', floor: 0.15, spread: 0.5, kind: 'ratio' },
  quoteDouble: { group: 'quotes', floor: 0.15, spread: 0.5, kind: 'ratio' },
  quoteBacktick: { group: 'quotes', floor: 0.2, spread: 0.5, kind: 'ratio' },
  semicolon: { group: 'semicolons', floor: 0.15, spread: 0.5, kind: 'ratio' },
  comments: { group: 'comments', floor: 0.2, spread: 0.5, kind: 'ratio' },
  identLength: { group: 'identLength', floor: 1.5, spread: 4, kind: 'mean' },
  lineLength: { group: 'lineLength', floor: 8, spread: 15, kind: 'mean' },
  blankLines: { group: 'blankLines', floor: 0.08, spread: 0.35, kind: 'ratio' },
  varDecl: { group: 'varDecl', floor: 0.15, spread: 0.5, kind: 'ratio' },
  looseEquality: { group: 'equality', floor: 0.15, spread: 0.5, kind: 'ratio' },
  opSpacing: { group: 'opSpacing', floor: 0.12, spread: 0.5, kind: 'ratio' },
  braceOwnLine: { group: 'braces', floor: 0.15, spread: 0.5, kind: 'ratio' },
  fString: { group: 'formatting', floor: 0.15, spread: 0.5, kind: 'ratio' },
  typedParams: { group: 'annotations', floor: 0.15, spread: 0.5, kind: 'ratio' },
};

const FEATURE_KEYS = Object.keys(FEATURES) as FeatureKey[];

/** num/den pairs; a feature with den 0 is unobserved in that block. */
type Observations = Record<FeatureKey, { num: number; den: number }>;

export interface StyledBlock extends CodeBlock {
  order: number;
  obs: Observations;
  /** Declared names by convention, for examples in reasons. */
  examples: Record<'camel' | 'snake' | 'pascal', string[]>;
}

export type NamingConvention = 'camelCase' | 'snake_case' | 'PascalCase' | 'UPPER_CASE' | 'lowercase' | 'other';

/** Classifies one identifier (leading underscores, $ and # ignored). */
export function namingConvention(identifier: string): NamingConvention {
  const id = identifier.replace(/^[_$#]+|_+$/g, '');
  if (/^[a-z][a-z0-9]*$/.test(id)) return 'lowercase';
  if (/^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(id)) return 'camelCase';
  if (/^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(id)) return 'snake_case';
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(id)) return 'UPPER_CASE';
  if (/^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$/.test(id)) return 'PascalCase';
  return 'other';
}

function emptyObs(): Observations {
  const o = {} as Observations;
  for (const k of FEATURE_KEYS) o[k] = { num: 0, den: 0 };
  return o;
}

const OPERATOR = /===|!==|==|!=|<=|>=|\+=|-=|\*=|\/=|%=|=>|(?<![=!<>+\-*/%&|^:])=(?![=>])/g;

function styleOf(block: CodeBlock, scan: ScannedFile, path: string): Observations {
  const o = emptyObs();
  const js = block.language === 'javascript';
  const from = block.startLine - 1;
  const to = block.endLine - 1;
  const lines = scan.lines.slice(from, to + 1);
  const masked = scan.maskedLines.slice(from, to + 1);

  // naming and identifier length
  for (const name of block.declared) {
    const c = namingConvention(name);
    o.identLength.num += name.replace(/^[_$#]+/, '').length;
    o.identLength.den += 1;
    if (c === 'camelCase' || c === 'snake_case' || c === 'PascalCase') {
      o.camel.den += 1;
      o.snake.den += 1;
      o.pascal.den += 1;
      if (c === 'camelCase') o.camel.num += 1;
      if (c === 'snake_case') o.snake.num += 1;
      if (c === 'PascalCase') o.pascal.num += 1;
    }
  }

  // per-line features
  let prevIndent: string | null = null;
  for (let k = 0; k < lines.length; k++) {
    const lineNo = from + k;
    const raw = lines[k];
    const code = masked[k];
    const trimmed = raw.trim();
    if (trimmed === '') {
      if (!scan.continuationLines.has(lineNo)) o.blankLines.num += 1;
      o.blankLines.den += 1;
      continue;
    }
    o.blankLines.den += 1;
    o.lineLength.num += trimmed.length;
    o.lineLength.den += 1;
    o.comments.den += 1;
    if (scan.commentLines.has(lineNo)) o.comments.num += 1;

    const codeTrim = code.trim();
    if (codeTrim === '' || scan.continuationLines.has(lineNo)) continue;
    const indent = /^[ \t]*/.exec(raw)![0];
    if (prevIndent !== null && indent.length > prevIndent.length && indent.startsWith(prevIndent)) {
      const delta = indent.slice(prevIndent.length);
      o.indent2.den += 1;
      o.indent4.den += 1;
      o.indentTab.den += 1;
      if (delta.includes('\t')) o.indentTab.num += 1;
      else if (delta.length === 2) o.indent2.num += 1;
      else if (delta.length === 4) o.indent4.num += 1;
    }
    prevIndent = indent;

    // operator spacing (Python: only outside brackets, keyword arguments are written without spaces)
    let depth = scan.bracketDepthAtLine[lineNo] ?? 0;
    const depthAt: number[] = [];
    for (const ch of code) {
      depthAt.push(depth);
      if ('([{'.includes(ch)) depth += 1;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    }
    for (const m of code.matchAll(OPERATOR)) {
      const at = m.index ?? 0;
      if (!js && (depthAt[at] ?? 0) > 0) continue;
      if (!js && m[0] === '=>') continue;
      const before = code[at - 1] ?? ' ';
      const after = code[at + m[0].length] ?? ' ';
      o.opSpacing.den += 1;
      if (/\s/.test(before) && /\s/.test(after)) o.opSpacing.num += 1;
    }

    if (js) {
      // semicolons: lines that end a statement
      const next =
        masked
          .slice(k + 1)
          .find((t) => t.trim() !== '')
          ?.trim() ?? '';
      if (codeTrim.endsWith(';')) {
        o.semicolon.num += 1;
        o.semicolon.den += 1;
      } else if (
        /[\w$)\]'"`]$/.test(codeTrim) &&
        !/^(if|for|while|else|do|try|switch|case|default|function|class|return$)\b/.test(codeTrim) &&
        !/^[.?:+\-*/%&|=<>,)\]}]/.test(next) &&
        !/^\}?\s*(else|catch|finally)\b/.test(next)
      ) {
        o.semicolon.den += 1;
      }
      if (codeTrim === '{') {
        o.braceOwnLine.num += 1;
        o.braceOwnLine.den += 1;
      } else if (codeTrim.endsWith('{')) o.braceOwnLine.den += 1;
      for (const m of code.matchAll(/\b(var|let|const)\b/g)) {
        o.varDecl.den += 1;
        if (m[1] === 'var') o.varDecl.num += 1;
      }
      for (const m of code.matchAll(/[=!]==?/g)) {
        const at = m.index ?? 0;
        if (/[=!<>]/.test(code[at - 1] ?? '') || code[at + m[0].length] === '=') continue;
        o.looseEquality.den += 1;
        if (m[0].length === 2) o.looseEquality.num += 1;
      }
    }
  }

  // strings
  for (const s of scan.strings) {
    if (s.line < from || s.line > to) continue;
    if (js) {
      o.quoteSingle.den += 1;
      o.quoteDouble.den += 1;
      o.quoteBacktick.den += 1;
      if (s.quote === "'") o.quoteSingle.num += 1;
      else if (s.quote === '"') o.quoteDouble.num += 1;
      else o.quoteBacktick.num += 1;
    } else if (s.quote.length === 1) {
      o.quoteSingle.den += 1;
      o.quoteDouble.den += 1;
      if (s.quote === "'") o.quoteSingle.num += 1;
      else o.quoteDouble.num += 1;
    }
    if (!js && s.prefix.includes('f')) {
      o.fString.num += 1;
      o.fString.den += 1;
    }
  }
  if (!js) {
    const code = masked.join('\n');
    o.fString.den += (code.match(/\.format\(/g) ?? []).length;
    o.fString.den += (code.match(/['"]\s*%\s*[\w(]/g) ?? []).length;
  }

  // parameter annotations (TypeScript and Python; plain JavaScript has none)
  const typed = block.language === 'python' || /\.(m|c)?tsx?$/i.test(path);
  if (typed) {
    for (const p of block.params) {
      const bare = p.replace(/^\.\.\.|^\*{1,2}/, '').trim();
      if (bare === '' || bare === '/' || bare === '*' || (!js && /^(self|cls)$/.test(bare))) continue;
      const head = splitTopLevel(bare, '=')[0] ?? bare;
      o.typedParams.den += 1;
      if (/^[^:]+:/.test(head) || /[}\]]\s*:/.test(head)) o.typedParams.num += 1;
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Leave-one-out scoring

const PRIOR = 1;
const Z_CLIP = 8;
const REASON_Z = 2;
const DEAD_ZONE = 1;

interface Deviation {
  key: FeatureKey;
  z: number;
  block: number;
  rest: number;
}

function scoreBlock(i: number, blocks: StyledBlock[]): { score: number; deviations: Deviation[] } {
  const deviations: Deviation[] = [];
  const groupMax = new Map<Group, number>();
  for (const key of FEATURE_KEYS) {
    const spec = FEATURES[key];
    const mine = blocks[i].obs[key];
    if (mine.den === 0) continue;
    const others = blocks.filter((b, j) => j !== i && b.obs[key].den > 0).map((b) => b.obs[key]);
    if (others.length < 2) continue;
    const pooled = others.reduce((a, b) => ({ num: a.num + b.num, den: a.den + b.den }), { num: 0, den: 0 });
    const mu = pooled.num / pooled.den;
    const shrink = (x: { num: number; den: number }) => (x.num + PRIOR * mu) / (x.den + PRIOR);
    const vals = others.map(shrink);
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
    const evidence = spec.spread ** 2 / (mine.den + PRIOR);
    const sigma = Math.sqrt(variance + spec.floor ** 2 + evidence * (spec.kind === 'ratio' ? 0.1 : 1));
    const x = shrink(mine);
    const z = Math.max(-Z_CLIP, Math.min(Z_CLIP, (x - mu) / sigma));
    deviations.push({ key, z, block: mine.num / mine.den, rest: mu });
    const g = spec.group;
    groupMax.set(g, Math.max(groupMax.get(g) ?? 0, Math.abs(z)));
  }
  // Dead zone: ordinary variation (|z| <= 1) in a dozen features must not add up to a signal.
  let sum = 0;
  for (const v of groupMax.values()) sum += Math.max(0, v - DEAD_ZONE) ** 2;
  return { score: Math.sqrt(sum), deviations };
}

// ---------------------------------------------------------------------------------------------
// Reasons in plain words

const pct = (x: number) => `${Math.round(x * 100)}%`;
const one = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

function dominant(o: Observations, keys: FeatureKey[]): FeatureKey | null {
  let best: FeatureKey | null = null;
  for (const k of keys) if (o[k].den > 0 && o[k].num > 0 && (best === null || o[k].num > o[best].num)) best = k;
  return best;
}

function pooledObs(blocks: StyledBlock[], except: number): Observations {
  const o = emptyObs();
  blocks.forEach((b, j) => {
    if (j === except) return;
    for (const k of FEATURE_KEYS) {
      o[k].num += b.obs[k].num;
      o[k].den += b.obs[k].den;
    }
  });
  return o;
}

const NAMING_LABEL: Partial<Record<FeatureKey, string>> = { camel: 'camelCase', snake: 'snake_case', pascal: 'PascalCase' };
const INDENT_LABEL: Partial<Record<FeatureKey, string>> = { indent2: '2 spaces', indent4: '4 spaces', indentTab: 'tabs' };
const QUOTE_LABEL: Partial<Record<FeatureKey, string>> = {
  quoteSingle: 'single quotes',
  quoteDouble: 'double quotes',
  quoteBacktick: 'backtick template strings',
};

function reasonFor(group: Group, dev: Deviation[], block: StyledBlock, rest: Observations): string | null {
  const d = dev.reduce((a, b) => (Math.abs(b.z) > Math.abs(a.z) ? b : a));
  const more = d.z > 0;
  switch (group) {
    case 'naming': {
      const mine = dominant(block.obs, ['camel', 'snake', 'pascal']);
      const theirs = dominant(rest, ['camel', 'snake', 'pascal']);
      if (!mine || !theirs) return null;
      const ex = block.examples[mine as 'camel' | 'snake' | 'pascal'].slice(0, 2).join(', ');
      if (mine !== theirs) return `uses ${NAMING_LABEL[mine]} names (${ex}) while the rest of the submission uses ${NAMING_LABEL[theirs]}`;
      const other = (['camel', 'snake', 'pascal'] as const).find((k) => k !== mine && block.obs[k].num > 0);
      if (!other) return null;
      const otherEx = block.examples[other].slice(0, 2).join(', ');
      return `mixes ${NAMING_LABEL[other]} names (${otherEx}) into ${NAMING_LABEL[mine]} code, unlike the rest of the submission`;
    }
    case 'indent': {
      const mine = dominant(block.obs, ['indent2', 'indent4', 'indentTab']);
      const theirs = dominant(rest, ['indent2', 'indent4', 'indentTab']);
      if (!mine || !theirs || mine === theirs) return null;
      const spaces = mine !== 'indentTab' && theirs !== 'indentTab';
      const restLabel = spaces ? INDENT_LABEL[theirs]!.replace(' spaces', '') : INDENT_LABEL[theirs];
      return `indents with ${INDENT_LABEL[mine]} while the rest uses ${restLabel}`;
    }
    case 'quotes': {
      const keys: FeatureKey[] =
        block.language === 'javascript' ? ['quoteSingle', 'quoteDouble', 'quoteBacktick'] : ['quoteSingle', 'quoteDouble'];
      const mine = dominant(block.obs, keys);
      const theirs = dominant(rest, keys);
      if (!mine || !theirs || mine === theirs) return null;
      return `writes strings with ${QUOTE_LABEL[mine]} while the rest uses ${QUOTE_LABEL[theirs]}`;
    }
    case 'semicolons':
      return more
        ? `ends statements with semicolons (${pct(d.block)}) while the rest mostly leaves them out (${pct(d.rest)})`
        : `leaves out semicolons (${pct(d.block)} of statements have one) while the rest uses them (${pct(d.rest)})`;
    case 'comments':
      return more
        ? `has many more comments (${pct(d.block)} of lines) than the rest of the submission (${pct(d.rest)})`
        : `has far fewer comments (${pct(d.block)} of lines) than the rest of the submission (${pct(d.rest)})`;
    case 'identLength':
      if (Math.abs(d.block - d.rest) < 2) return null;
      return more
        ? `uses longer names (${one(d.block)} characters on average vs ${one(d.rest)} elsewhere)`
        : `uses shorter names (${one(d.block)} characters on average vs ${one(d.rest)} elsewhere)`;
    case 'lineLength':
      if (Math.abs(d.block - d.rest) < 10) return null;
      return more
        ? `has longer lines (${Math.round(d.block)} characters on average vs ${Math.round(d.rest)} elsewhere)`
        : `has shorter lines (${Math.round(d.block)} characters on average vs ${Math.round(d.rest)} elsewhere)`;
    case 'blankLines':
      return more
        ? `has more blank lines (${pct(d.block)} of lines) than the rest (${pct(d.rest)})`
        : `has fewer blank lines (${pct(d.block)} of lines) than the rest (${pct(d.rest)})`;
    case 'varDecl':
      return more
        ? 'declares variables with var while the rest uses let/const'
        : 'declares variables with let/const while the rest uses var';
    case 'equality':
      return more ? 'compares with == and != while the rest uses === and !==' : 'compares with === and !== while the rest uses == and !=';
    case 'opSpacing':
      return more
        ? 'puts spaces around operators (a = b) while the rest mostly does not (a=b)'
        : 'writes operators without surrounding spaces (a=b) while the rest spaces them (a = b)';
    case 'braces':
      return more
        ? 'puts opening braces on their own line while the rest keeps them at the end of the line'
        : 'keeps opening braces at the end of the line while the rest puts them on their own line';
    case 'formatting':
      return more
        ? 'formats strings with f-strings while the rest uses % or .format()'
        : 'formats strings with % or .format() while the rest uses f-strings';
    case 'annotations':
      return more
        ? `annotates parameter types (${pct(d.block)}) while the rest mostly does not (${pct(d.rest)})`
        : `has no type annotations on its parameters (${pct(d.block)}) while the rest annotates them (${pct(d.rest)})`;
  }
}

const FALLBACK_QUIET =
  'no function stands out in style; this one differs most from the rest, only slightly, and is a good piece to walk through together';
const FALLBACK_NOTABLE = 'its style differs from the rest of the submission in several smaller ways at once (layout, spacing, naming)';

function reasonsFor(i: number, blocks: StyledBlock[], deviations: Deviation[]): string[] {
  const rest = pooledObs(blocks, i);
  const byGroup = new Map<Group, Deviation[]>();
  for (const d of deviations) {
    const g = FEATURES[d.key].group;
    byGroup.set(g, [...(byGroup.get(g) ?? []), d]);
  }
  const ranked = [...byGroup.entries()]
    .map(([g, ds]) => ({ g, ds, z: Math.max(...ds.map((d) => Math.abs(d.z))) }))
    .filter((x) => x.z >= REASON_Z)
    .sort((a, b) => b.z - a.z);
  const out: string[] = [];
  for (const { g, ds } of ranked) {
    const r = reasonFor(g, ds, blocks[i], rest);
    if (r) out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function examplesOf(declared: string[]): StyledBlock['examples'] {
  const ex: StyledBlock['examples'] = { camel: [], snake: [], pascal: [] };
  for (const n of declared) {
    const c = namingConvention(n);
    if (c === 'camelCase') ex.camel.push(n);
    else if (c === 'snake_case') ex.snake.push(n);
    else if (c === 'PascalCase') ex.pascal.push(n);
  }
  return ex;
}

function blockText(scan: ScannedFile, b: CodeBlock): string {
  return scan.lines
    .slice(b.startLine - 1, b.endLine)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
}

const SKIP_PATH = /(^|\/)(node_modules|dist|build|vendor|\.venv|venv|__pycache__|coverage)\//;

/** All blocks with their style observations, grouped by language (exposed for the review packet and tests). */
export function analyseSubmission(files: readonly SubmissionFile[], options: FocusOptions = {}): Map<SourceLanguage, StyledBlock[]> {
  const maxChars = options.maxFileChars ?? 200_000;
  const groups = new Map<SourceLanguage, StyledBlock[]>();
  const starterBlocks = new Set<string>();
  for (const f of options.starter ?? []) {
    const language = languageOf(f.path);
    if (!language) continue;
    const scan = scanFile(language, f.content);
    for (const b of extractBlocks(f.path, f.content, scan)) starterBlocks.add(blockText(scan, b));
  }
  let order = 0;
  for (const f of files) {
    const language = languageOf(f.path);
    if (!language || SKIP_PATH.test(f.path) || f.content.length > maxChars || /\.min\.js$/i.test(f.path)) continue;
    if (!options.includeTests && isTestPath(f.path)) continue;
    const scan = scanFile(language, f.content);
    for (const b of extractBlocks(f.path, f.content, scan)) {
      if (b.endLine - b.startLine < 1) continue; // one-liners carry too little style
      if (starterBlocks.size > 0 && starterBlocks.has(blockText(scan, b))) continue; // untouched starter code
      const styled: StyledBlock = { ...b, order: order++, obs: styleOf(b, scan, f.path), examples: examplesOf(b.declared) };
      groups.set(language, [...(groups.get(language) ?? []), styled]);
    }
  }
  return groups;
}

/**
 * The block whose style differs most from the rest of the submission (leave-one-out baseline per
 * language, standardised distance over style features), or null when no language has at least 3
 * blocks. Ties go to the earlier file (input order), then the earlier line.
 */
export function findFocusExcerpt(files: readonly SubmissionFile[], options: FocusOptions = {}): FocusExcerpt | null {
  const minBlocks = options.minBlocks ?? 3;
  let best: { excerpt: FocusExcerpt; order: number; raw: number } | null = null;
  for (const [language, blocks] of analyseSubmission(files, options)) {
    if (blocks.length < minBlocks) continue;
    blocks.forEach((b, i) => {
      const { score, deviations } = scoreBlock(i, blocks);
      const better = best === null || score > best.raw + 1e-9 || (Math.abs(score - best.raw) <= 1e-9 && b.order < best.order);
      if (!better) return;
      const reasons = reasonsFor(i, blocks, deviations);
      best = {
        raw: score,
        order: b.order,
        excerpt: {
          file: b.file,
          startLine: b.startLine,
          endLine: b.endLine,
          name: b.name,
          language,
          score: Math.round(score * 100) / 100,
          reasons: reasons.length > 0 ? reasons : [score >= NOTABLE_SCORE ? FALLBACK_NOTABLE : FALLBACK_QUIET],
        },
      };
    });
  }
  return best === null ? null : (best as { excerpt: FocusExcerpt }).excerpt;
}
