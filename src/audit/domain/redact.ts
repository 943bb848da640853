/** Keys whose values never reach the audit log (passwords, secrets, tokens, CSRF fields). */
export const SECRET_KEY = /pass(word|phrase)?|secret|token|authorization|cookie|csrf|api[-_]?key|credential|private[-_]?key|signature/i;

const MAX_STRING = 2000;
const MAX_DEPTH = 8;
const MAX_ITEMS = 200;

/** A JSON-safe copy of a request body with secrets replaced by "[redacted]" and long values cut. */
export function redactBody(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string')
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…[${value.length - MAX_STRING} more]` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redactBody(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items;
  }
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactBody(v, depth + 1);
    return out;
  }
  return String(value);
}

const IRREGULAR: Record<string, string> = {
  settings: 'settings',
  auth: 'auth',
  screening: 'screening',
  insights: 'insights',
  privacy: 'privacy',
  audit: 'audit',
};

/** Entity type and id of a write from its route pattern and params: `/api/v1/applications/:id/transitions` → application, params.id. */
export function entityOf(route: string, params: Record<string, string | undefined>): { type: string | null; id: string | null } {
  const segs = route
    .replace(/^\/?(api\/v\d+|admin|dashboard)\//, '/')
    .split('/')
    .filter(Boolean);
  const first = segs.find((s) => !s.startsWith(':')) ?? null;
  const type =
    first === null
      ? null
      : (IRREGULAR[first] ??
        (first.endsWith('ies') ? `${first.slice(0, -3)}y` : first.endsWith('s') && !first.endsWith('ss') ? first.slice(0, -1) : first));
  const firstParam = segs.find((s) => s.startsWith(':'))?.slice(1);
  const id = params.id ?? (firstParam ? params[firstParam] : undefined) ?? null;
  return { type, id };
}
