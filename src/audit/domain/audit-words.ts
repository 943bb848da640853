/**
 * The audit log in plain words for the admin page: what a staff member did ("changed a staff
 * account “Erin Engineer”") and each changed field ("roles: engineer → engineer, hiring manager"),
 * never a route pattern or a column name. Pure: names and the time formatter come from the caller.
 */

export interface AuditEntryLike {
  method: string;
  route: string;
  entity: { type: string | null; id: string | null };
  changes: Record<string, { before?: unknown; after?: unknown } | unknown> | null;
  outcome: string;
  statusCode: number;
  error: string | null;
  /** The request body as recorded (redacted): names a new record when the entry has no id. */
  body?: unknown;
}

const ROLE_WORDS: Record<string, string> = {
  admin: 'admin',
  recruiter: 'recruiter',
  hiring_manager: 'hiring manager',
  engineer: 'engineer',
};

/** "METHOD /path/pattern" (without /api/v1, /admin or /dashboard) → what it did. */
const ACTIONS: Array<[RegExp, string]> = [
  [/^POST \/users$/, 'created a staff account'],
  [/^(PATCH|POST) \/users\/:id$/, 'changed a staff account'],
  [/^(PUT|POST) \/users\/:id\/reviewer-profile$/, 'set a reviewer profile'],
  [/^(POST|DELETE) \/users\/:id\/busy/, 'changed busy times'],
  [/^POST \/webhooks$/, 'added a webhook'],
  [/^(PATCH|POST) \/webhooks\/:id$/, 'changed a webhook'],
  [/^DELETE \/webhooks\/:id$/, 'removed a webhook'],
  [/^POST \/webhooks\/:id\/deliveries\/:deliveryId\/redeliver$/, 'sent a webhook delivery again'],
  [/^(PUT|POST) \/settings\/retention$/, 'changed how long candidate data is kept'],
  [/^POST \/settings$/, 'changed the retention and privacy settings'],
  [/^(PUT|POST) \/settings\/(webhooks|outbound)$/, 'changed whether webhooks may reach private addresses'],
  [/^(PUT \/settings\/scheduling|POST \/scheduling)$/, 'changed the scheduling settings (whether candidates choose their review time)'],
  [/^(PUT|POST) \/interview-kinds$/, 'changed the interview kinds'],
  [/^POST \/applications$/, 'put a candidate on an opening'],
  [/^POST \/applications\/:id\/transitions$/, 'moved an application to another stage'],
  [/^POST \/applications\/:id\/reject$/, 'rejected an application'],
  [/^POST \/applications\/:id\/withdraw$/, 'withdrew an application'],
  [/^POST \/applications\/:id\/hire$/, 'marked an application hired'],
  [/^POST \/applications\/:id\/exemptions$/, 'exempted an application from the take-home'],
  [/^POST \/applications\/:id\/invitations$/, 'invited a candidate to the take-home'],
  [/^POST \/applications\/:id\/interviews$/, 'scheduled interviews'],
  [/^POST \/applications\/:id\/offers$/, 'made an offer'],
  [/^POST \/applications\/:id\/screenings$/, 'recorded a screening call'],
  [/^POST \/candidates$/, 'added a candidate'],
  [/^POST \/candidates\/:id\/erasure$/, 'erased a candidate’s personal data'],
  [/^POST \/openings$/, 'created an opening'],
  [/^(PATCH|PUT) \/openings\/:id$/, 'changed an opening'],
  [/^PUT \/openings\/:id\/screening-form$/, 'changed a screening form'],
  [/^POST \/alerts\/:id\/ack$/, 'acknowledged a stale alert'],
  [/^POST \/reviews\/:id\/outcome$/, 'recorded a code-review outcome'],
  [/^POST \/reviews\/:id\/reschedule$/, 'rescheduled a code review'],
  [/^POST \/reviews\/:id\/cancel$/, 'cancelled a code review'],
  [/^POST \/interviews\/:id\/cancel$/, 'cancelled an interview'],
  [/^POST \/assignments$/, 'created a take-home assignment'],
  [/^POST \/assignments\/:id\/versions\/:version\/publish$/, 'published a take-home version'],
  [/^POST \/assignments\/:id\/versions$/, 'uploaded a take-home version'],
  [/^POST \/(auth\/)?logout$/, 'signed out'],
  [/^POST \/auth\/tokens$/, 'created an API token'],
  [/^DELETE \/auth\/tokens\/:id$/, 'revoked a session or API token'],
];
const VERB: Record<string, string> = { POST: 'did', PUT: 'set', PATCH: 'changed', DELETE: 'deleted' };

export function stripPrefix(route: string): string {
  return `/${route.replace(/^\/?(api\/v\d+|admin|dashboard)(\/|$)/, '').replace(/^\//, '')}`.replace(/\/$/, '') || '/';
}

/** What the entry did, in words (without who and the entity's name). */
export function actionWords(method: string, route: string): string {
  const key = `${method.toUpperCase()} ${stripPrefix(route)}`;
  for (const [re, words] of ACTIONS) if (re.test(key)) return words;
  const words = stripPrefix(route)
    .split('/')
    .filter((s) => s && !s.startsWith(':'))
    .map((s) => s.replace(/[-_]/g, ' '));
  return `${VERB[method.toUpperCase()] ?? method.toLowerCase()} ${words.join(' › ') || 'something'}`.trim();
}

const FIELD_WORDS: Record<string, string> = {
  disabled_at: 'account disabled',
  timezone: 'time zone',
  hiring_manager_id: 'hiring manager',
  recruiter_id: 'recruiter',
  stage_entered_at: 'in stage since',
  last_contact_at: 'last contact',
  working_hours: 'working hours',
  meeting_url: 'meeting link',
  acknowledged_at: 'acknowledged',
  acknowledged_by: 'acknowledged by',
  closed_at: 'closed',
  decided_at: 'decided',
};

export function fieldWords(key: string): string {
  return (
    FIELD_WORDS[key] ??
    key
      .replace(/_id$/, '')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replace(/[_-]/g, ' ')
      .toLowerCase()
  );
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value in words: people's names for ids, role words, times through `time`, "none" for empty. */
export function valueWords(key: string, v: unknown, names: Map<string, string>, time: (iso: string) => string): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) return key === 'disabled_at' ? 'no' : 'none';
  if (key === 'disabled_at' && typeof v === 'string') return `yes (since ${time(v)})`;
  if (Array.isArray(v))
    return v.map((x) => (key === 'roles' ? (ROLE_WORDS[String(x)] ?? String(x)) : valueWords(key, x, names, time))).join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    if (UUID.test(v)) return names.get(v) ?? 'someone';
    if (ISO.test(v)) return time(v);
    const s = ROLE_WORDS[v] ?? v.replace(/_/g, ' ');
    return s.length > 120 ? `${s.slice(0, 117)}…` : s;
  }
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${fieldWords(k)} ${valueWords(k, x, names, time)}`);
    const s = parts.join(', ');
    return s.length > 160 ? `${s.slice(0, 157)}…` : s;
  }
  return String(v);
}

/** Each changed field as "field: before → after". */
export function changeWords(changes: AuditEntryLike['changes'], names: Map<string, string>, time: (iso: string) => string): string[] {
  if (!changes || typeof changes !== 'object') return [];
  return Object.entries(changes).map(([k, c]) => {
    const pair =
      c && typeof c === 'object' && ('before' in (c as object) || 'after' in (c as object))
        ? (c as { before?: unknown; after?: unknown })
        : { after: c };
    const field = fieldWords(k);
    return 'before' in pair
      ? `${field}: ${valueWords(k, pair.before, names, time)} → ${valueWords(k, pair.after, names, time)}`
      : `${field}: ${valueWords(k, pair.after, names, time)}`;
  });
}

/** The whole entry: the sentence, the changes, and whether it was refused (with the reason). */
export function describeAudit(
  e: AuditEntryLike,
  names: Map<string, string>,
  time: (iso: string) => string,
): { action: string; subject: string | null; changes: string[]; refused: string | null } {
  const body = e.body && typeof e.body === 'object' ? (e.body as Record<string, unknown>) : {};
  const named = typeof body.name === 'string' ? body.name : typeof body.title === 'string' ? body.title : null;
  const subject = (e.entity.id ? names.get(e.entity.id) : undefined) ?? (e.method.toUpperCase() === 'POST' ? named : null) ?? null;
  const refused = e.outcome === 'failed' ? `refused (${e.statusCode})${e.error ? `: ${e.error}` : ''}` : null;
  return { action: actionWords(e.method, e.route), subject, changes: changeWords(e.changes, names, time), refused };
}
