/**
 * Plain words for pages: times in the viewer's own zone with the zone named, and internal keys
 * (stage keys, event types, roles, statuses, source kinds) turned into what a person reads.
 * Pure functions (no Nest); ViewService registers them once as Handlebars helpers.
 */
import { DateTime } from 'luxon';

export interface StageLike {
  key: string;
  name: string;
}

/** "take_home" -> "Take home" (the last resort for a key nobody named). */
export function humanize(key: unknown): string {
  const s = String(key ?? '')
    .replace(/[._-]+/g, ' ')
    .trim();
  return s ? s.charAt(0).toUpperCase() + s.slice(1).toLowerCase() : '';
}

const ROLE_NAMES: Record<string, string> = {
  admin: 'Administrator',
  recruiter: 'Recruiter',
  hiring_manager: 'Hiring manager',
  engineer: 'Engineer',
  coordinator: 'Coordinator',
  interviewer: 'Interviewer',
};
export const roleName = (role: unknown): string => ROLE_NAMES[String(role)] ?? humanize(role);

const STATUS_NAMES: Record<string, string> = { active: 'Active', rejected: 'Rejected', withdrawn: 'Withdrawn', hired: 'Hired' };
export const statusName = (status: unknown): string => STATUS_NAMES[String(status)] ?? humanize(status);

const SOURCE_NAMES: Record<string, string> = {
  referral: 'Referral',
  internship: 'Internship',
  partner: 'Partner',
  job_board: 'Job board',
  direct: 'Direct',
  other: 'Other',
  careers_page: 'Careers page',
};
export const sourceName = (kind: unknown): string => SOURCE_NAMES[String(kind)] ?? humanize(kind);

const DELIVERY_NAMES: Record<string, string> = {
  queued: 'Waiting to be sent',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Could not be delivered',
  cancelled: 'Not sent (cancelled)',
  suppressed: 'Not sent',
};
export const deliveryName = (status: unknown): string => DELIVERY_NAMES[String(status)] ?? humanize(status);

/** A stage's name on this opening, or the key in words when the opening has no such stage. */
export function stageName(key: unknown, stages?: readonly StageLike[] | null): string {
  if (key === null || key === undefined || key === '') return '';
  return stages?.find((s) => s.key === key)?.name ?? humanize(key);
}

function validZone(zone: unknown): string {
  if (typeof zone === 'string' && zone && DateTime.now().setZone(zone).isValid) return zone;
  return 'UTC';
}

/** "Wed 10 Feb 2027, 13:00 (Europe/Berlin)": an instant in a person's zone, the zone named. */
export function formatTime(value: unknown, zone?: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) return '';
  const z = validZone(zone);
  return `${DateTime.fromJSDate(d, { zone: z }).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm')} (${z})`;
}

/** A calendar day ("2027-05-03") as "Mon 3 May 2027" (no zone: it is a local date). */
export function formatDay(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return value ? String(value) : '';
  return DateTime.fromISO(value.slice(0, 10), { zone: 'UTC' }).setLocale('en-GB').toFormat('ccc d LLL yyyy');
}

/** A datetime-local input's value ("2027-03-03T14:00") for an instant in a zone. */
export function toLocalInput(value: Date, zone: string): string {
  return DateTime.fromJSDate(value, { zone: validZone(zone) }).toFormat("yyyy-LL-dd'T'HH:mm");
}

/** A datetime-local input's value read in the viewer's zone, as an ISO instant (or null). */
export function fromLocalInput(value: unknown, zone: string): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  const d = DateTime.fromISO(value.trim(), { zone: validZone(zone) });
  return d.isValid ? d.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

export function formatMoney(amount: unknown, currency: unknown): string {
  const n = Number(amount);
  if (!Number.isFinite(n)) return '';
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency: String(currency), maximumFractionDigits: 2 }).format(n);
  } catch {
    return `${n.toLocaleString('en-GB')} ${String(currency)}`;
  }
}

export interface TimelineEvent {
  type: string;
  at: Date | string;
  actor: { kind: string; id?: string | null };
  data: Record<string, unknown>;
}

export interface DescribeContext {
  stages?: readonly StageLike[];
  /** Staff names by user id. */
  people?: ReadonlyMap<string, string> | Record<string, string>;
  candidateName?: string;
}

const nameOf = (people: DescribeContext['people'], id: unknown): string | undefined => {
  if (!people || typeof id !== 'string') return undefined;
  return people instanceof Map ? people.get(id) : (people as Record<string, string>)[id];
};

/** Who did it, in words: a person's name, "The candidate" or "Automatically". */
export function actorName(actor: TimelineEvent['actor'], ctx: DescribeContext = {}): string {
  if (actor.kind === 'candidate') return ctx.candidateName ?? 'The candidate';
  if (actor.kind === 'system') return 'Automatically';
  return nameOf(ctx.people, actor.id) ?? 'A team member';
}

const quoted = (s: unknown): string => (typeof s === 'string' && s.trim() ? ` (“${s.trim()}”)` : '');

/** One timeline event as a sentence a recruiter reads (no internal keys). */
export function describeEvent(e: TimelineEvent, ctx: DescribeContext = {}): string {
  const d = e.data ?? {};
  const stage = (k: unknown) => stageName(k, ctx.stages);
  const subject = (s: unknown, template: unknown) =>
    typeof s === 'string' && s ? `“${s}”` : humanize(template).toLowerCase() || 'a message';
  switch (e.type) {
    case 'application.created':
      return `Applied; in ${stage(d.stage) || 'the first stage'}`;
    case 'stage.changed': {
      const how = d.kind === 'back' ? 'Moved back' : Array.isArray(d.skipped) && d.skipped.length ? 'Moved ahead' : 'Moved';
      const skipped = Array.isArray(d.skipped) && d.skipped.length ? `, skipping ${d.skipped.map(stage).join(', ')}` : '';
      return `${how} from ${stage(d.from)} to ${stage(d.to)}${skipped}${d.usedPublicCodeExemption ? ' (public code instead of the take-home)' : ''}${quoted(d.note)}`;
    }
    case 'application.rejected':
      return `Rejected in ${stage(d.stage)}${quoted(d.reason)}`;
    case 'application.withdrawn':
      return `Withdrew in ${stage(d.stage)}${quoted(d.reason)}`;
    case 'application.hired':
      return 'Hired';
    case 'exemption.recorded':
      return `Public code accepted instead of the take-home${d.url ? `: ${d.url}` : ''}${quoted(d.reason)}`;
    case 'note.added':
      return `Note: ${d.text ?? ''}`;
    case 'message.queued':
      return `Message ${subject(d.subject, d.template)} written to the candidate`;
    case 'message.sent':
      return `Message ${subject(d.subject, d.template)} delivered`;
    case 'message.failed':
      return `Message ${subject(d.subject, d.template)} could not be delivered${d.error ? ` (${d.error})` : ''}`;
    case 'message.received':
      return `Reply received${d.subject ? `: “${d.subject}”` : ''}`;
    case 'sla.checkin_sent':
      return 'Check-in sent to the candidate (no contact for too long)';
    case 'sla.breached':
      return 'Contact overdue: the candidate has not heard from us in time';
    case 'alert.raised':
      return `Alert raised${d.message ? `: ${d.message}` : ''}`;
    case 'alert.escalated':
      return `Alert escalated${d.message ? `: ${d.message}` : ''}`;
    case 'alert.acknowledged':
      return 'Alert acknowledged';
    case 'screening.completed':
      return `Screening call done: ${d.score ?? '?'}%, ${d.passed ? 'passed' : 'did not pass'}`;
    case 'invitation.sent':
      return 'Invited to the take-home coding test';
    case 'invitation.extended':
      return 'Take-home deadline extended';
    case 'attestation.signed':
      return 'Candidate confirmed the take-home is their own work';
    case 'submission.received':
      return 'Take-home solution received';
    case 'submission.graded': {
      const r = (d.result ?? d) as { passed?: unknown; total?: unknown };
      return typeof r.passed === 'number' && typeof r.total === 'number'
        ? `Take-home graded: ${r.passed} of ${r.total} tests passed`
        : 'Take-home graded';
    }
    case 'feedback.received':
      return 'Candidate sent feedback on the take-home';
    case 'review.scheduled':
      return `Code review scheduled${nameOf(ctx.people, d.reviewerId) ? ` with ${nameOf(ctx.people, d.reviewerId)}` : ''}`;
    case 'review.unschedulable':
      return 'No code review slot could be found';
    case 'review.completed':
      return `Code review done: ${d.decision === 'reject' ? 'do not continue' : 'continue'}${quoted(d.notes)}`;
    case 'interview.scheduled':
      return d.rescheduled
        ? `Interview moved${kindWords(d.kind) ? ` (${kindWords(d.kind)})` : ''}${d.byCandidate ? ' by the candidate' : ''}`
        : 'Interviews scheduled';
    case 'interview.cancelled':
      return `Interview cancelled${kindWords(d.kind) ? ` (${kindWords(d.kind)})` : ''}`;
    case 'offer.made':
      return `Offer made${d.amount !== undefined ? `: ${formatMoney(d.amount, d.currency)}` : ''}`;
    case 'onboarding.planned':
      return 'Onboarding plan made';
    case 'onboarding.buddy_assigned':
      return 'Onboarding buddy named';
    case 'onboarding.item_done':
      return 'Onboarding item done';
    case 'onboarding.item_reopened':
      return 'Onboarding item reopened';
    default:
      return humanize(e.type);
  }
}

/** "system_design" -> "System design" (an interview kind in words), or null. */
function kindWords(kind: unknown): string | null {
  if (typeof kind !== 'string' || !kind) return null;
  const t = kind.replace(/_/g, ' ').trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}
