/**
 * Pure rules of erasure: what survives of a timeline event's data, and the patterns that find a
 * person's name, e-mail address and other identifiers in free text.
 */

export const ERASED_NAME = 'Erased candidate';
export const ERASED_TEXT = '[erased]';
export const erasedEmail = (candidateId: string) => `erased-${candidateId}@invalid`;

/** String values kept in event data: stage keys, kinds and statuses (closed vocabularies, never free text). */
const CODE_KEYS = new Set([
  'from',
  'to',
  'stage',
  'kind',
  'template',
  'status',
  'decision',
  'outcome',
  'language',
  'level',
  'type',
  'format',
  'currency',
  'action',
  'skipped',
  'failedKnockouts',
  'outside',
  'role',
  'method',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const CODE = /^[a-z0-9_.:-]{1,64}$/;

function keepString(key: string, v: string): boolean {
  if (UUID.test(v) || ISO.test(v)) return true;
  return CODE_KEYS.has(key) && CODE.test(v);
}

function clean(key: string, v: unknown, depth: number): { keep: boolean; value?: unknown } {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return { keep: true, value: v };
  if (typeof v === 'string') return keepString(key, v) ? { keep: true, value: v } : { keep: false };
  if (depth > 4) return { keep: false };
  if (Array.isArray(v)) {
    const items = v.map((x) => clean(key, x, depth + 1));
    return items.every((i) => i.keep) ? { keep: true, value: items.map((i) => i.value) } : { keep: false };
  }
  if (typeof v === 'object') return { keep: true, value: sanitizeEventData(v as Record<string, unknown>, depth + 1) };
  return { keep: false };
}

/**
 * What an event's data keeps after erasure: numbers, booleans, ids, instants and stage/status
 * codes (what insights count); free text (notes, reasons, subjects, answers, URLs) is dropped and
 * the dropped keys are listed under `erased`.
 */
export function sanitizeEventData(data: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const erased: string[] = [];
  for (const [k, v] of Object.entries(data ?? {})) {
    if (k === 'erased' && depth === 0) continue;
    const c = clean(k, v, depth);
    if (c.keep) out[k] = c.value;
    else erased.push(k);
  }
  const previous = depth === 0 && Array.isArray(data?.erased) ? (data.erased as string[]) : [];
  const all = [...new Set([...previous, ...erased])];
  if (all.length && depth === 0) out.erased = all;
  return out;
}

/** Every string value replaced by '[erased]' except ids and instants; keys, numbers and booleans stay. */
export function eraseStrings(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return UUID.test(v) || ISO.test(v) ? v : ERASED_TEXT;
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') return v;
  if (depth > 8) return ERASED_TEXT;
  if (Array.isArray(v)) return v.map((x) => eraseStrings(x, depth + 1));
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, eraseStrings(x, depth + 1)]));
}

/** A POSIX ARE pattern matching the literal text, case-insensitively applied by the caller. */
export function literalPattern(s: string, words: boolean): string {
  const escaped = s
    .trim()
    .replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`)
    .replace(/\s+/g, '\\s+');
  if (!words) return escaped;
  return `${/^\w/.test(s.trim()) ? '\\m' : ''}${escaped}${/\w$/.test(s.trim()) ? '\\M' : ''}`;
}

export interface Needles {
  names: string[];
  emails: string[];
  others: string[];
}

export interface NeedlePatterns {
  /** [pattern, replacement] in the order they are applied. */
  replacements: Array<[string, string]>;
  /** Matches any of them (the WHERE filter). */
  any: string | null;
}

/** Patterns for a person's identifiers; values shorter than 3 characters are ignored (too many false hits). */
export function needlePatterns(n: Needles, candidateId: string): NeedlePatterns {
  const uniq = (xs: string[]) =>
    [...new Set(xs.map((x) => (x ?? '').trim()).filter((x) => x.length >= 3))].sort((a, b) => b.length - a.length);
  const emails = uniq(n.emails).map((e) => literalPattern(e, false));
  const names = uniq(n.names)
    .filter((x) => x !== ERASED_NAME)
    .map((e) => literalPattern(e, true));
  const others = uniq(n.others).map((e) => literalPattern(e, false));
  const replacements: Array<[string, string]> = [];
  if (emails.length) replacements.push([emails.join('|'), erasedEmail(candidateId)]);
  if (others.length) replacements.push([others.join('|'), ERASED_TEXT]);
  if (names.length) replacements.push([names.join('|'), ERASED_NAME]);
  const all = [...emails, ...others, ...names];
  return { replacements, any: all.length ? all.join('|') : null };
}
