/**
 * iCalendar (RFC 5545) invitations for iTIP (RFC 5546) REQUEST / CANCEL messages, and the human
 * wording of a time range in the recipient's own time zone.
 *
 * Generated here rather than with the `ics` package: that package stamps DTSTAMP with Date.now()
 * and a random UID by default and folds lines by characters rather than octets; this module is a
 * pure function of its input and folds at 75 octets on UTF-8 boundaries.
 */
import { DateTime } from 'luxon';

export type Instant = Date | string | number;

export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface IcsPerson {
  name: string;
  email: string;
}

export interface InviteInput {
  /** Stable across reschedules and the cancellation of the same event (see `stableUid`). */
  uid: string;
  /** 0 for the first invitation; increment on every reschedule and on cancel. */
  sequence: number;
  method: InviteMethod;
  startsAt: Instant;
  endsAt: Instant;
  summary: string;
  description?: string;
  organizer: IcsPerson;
  attendees: IcsPerson[];
  location?: string;
  url?: string;
  /** When this message was created (pass the clock's now). Defaults to `startsAt` to stay pure. */
  dtstamp?: Instant;
  /** PRODID; defaults to "-//Hiring Platform//Scheduling//EN". */
  productId?: string;
}

export const DEFAULT_PRODUCT_ID = '-//Hiring Platform//Scheduling//EN';

function toDate(value: Instant, what: string): Date {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else ms = DateTime.fromISO(value, { zone: 'utc' }).toMillis();
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid ${what}: ${String(value)}`);
  return new Date(ms);
}

/** 2027-03-03T13:00:00Z -> 20270303T130000Z */
export function formatIcsUtc(instant: Instant): string {
  return toDate(instant, 'instant')
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
}

/** Parameter value (RFC 5545 §3.2): always quoted; DQUOTE and controls cannot appear. */
export function quoteParam(value: string): string {
  return `"${value.replace(/[\u0000-\u001F\u007F]/g, ' ').replace(/"/g, "'")}"`;
}

function mailto(email: string, whose: string): string {
  const e = email.trim();
  if (!/^[^\s@:;,"<>\\]+@[^\s@:;,"<>\\]+$/.test(e)) throw new RangeError(`Invalid e-mail address for ${whose}: ${JSON.stringify(email)}`);
  return `mailto:${e}`;
}

function uriValue(value: string, what: string): string {
  if (/[\u0000-\u001F\u007F\s]/.test(value)) throw new RangeError(`Invalid ${what}: contains spaces or control characters`);
  return value;
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never splitting a UTF-8 sequence. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/**
 * A globally unique, stable UID for an event: same kind + id + domain -> same UID, so a
 * reschedule (higher SEQUENCE) or a CANCEL replaces the attendee's existing calendar entry.
 * e.g. stableUid('review', '42', 'hiring.example.com') -> "review-42@hiring.example.com".
 */
export function stableUid(kind: string, id: string | number, domain: string): string {
  const safe = (s: string) =>
    s.trim().replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  const k = safe(kind.toLowerCase());
  const i = safe(String(id));
  const d = domain.trim().toLowerCase();
  if (!k || !i) throw new RangeError('stableUid needs a kind and an id');
  if (!/^[a-z0-9.-]+$/.test(d)) throw new RangeError(`Invalid UID domain: ${JSON.stringify(domain)}`);
  return `${k}-${i}@${d}`;
}

/** Builds an iCalendar object (CRLF line endings) for a REQUEST or a CANCEL. */
export function buildInvite(input: InviteInput): string {
  const start = toDate(input.startsAt, 'startsAt');
  const end = toDate(input.endsAt, 'endsAt');
  if (end.getTime() <= start.getTime()) throw new RangeError('endsAt must be after startsAt');
  if (!Number.isInteger(input.sequence) || input.sequence < 0) throw new RangeError('sequence must be a non-negative integer');
  if (input.method !== 'REQUEST' && input.method !== 'CANCEL') throw new RangeError(`Unsupported method ${String(input.method)}`);
  if (input.uid.trim() === '' || /[\r\n]/.test(input.uid)) throw new RangeError('uid must be a non-empty single line');
  const cancel = input.method === 'CANCEL';

  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(input.productId ?? DEFAULT_PRODUCT_ID)}`,
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    'BEGIN:VEVENT',
    `UID:${escapeText(input.uid)}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${formatIcsUtc(input.dtstamp ?? start)}`,
    `DTSTART:${formatIcsUtc(start)}`,
    `DTEND:${formatIcsUtc(end)}`,
    `SUMMARY:${escapeText(input.summary)}`,
  ];
  if (input.description) lines.push(`DESCRIPTION:${escapeText(input.description)}`);
  if (input.location) lines.push(`LOCATION:${escapeText(input.location)}`);
  if (input.url) lines.push(`URL:${uriValue(input.url, 'url')}`);
  lines.push(`ORGANIZER;CN=${quoteParam(input.organizer.name)}:${mailto(input.organizer.email, 'the organizer')}`);
  for (const a of input.attendees) {
    const params = cancel
      ? `CN=${quoteParam(a.name)};ROLE=REQ-PARTICIPANT`
      : `CN=${quoteParam(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE`;
    lines.push(`ATTENDEE;${params}:${mailto(a.email, a.name || 'an attendee')}`);
  }
  lines.push(`STATUS:${cancel ? 'CANCELLED' : 'CONFIRMED'}`, 'TRANSP:OPAQUE', 'END:VEVENT', 'END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/**
 * "Wednesday 3 March 2027, 14:00–15:00 (Europe/Berlin)" — for e-mail bodies, in the recipient's
 * own zone. Without `endsAt`: "Wednesday 3 March 2027, 14:00 (Europe/Berlin)". A range that ends
 * on another local day names both days.
 */
export function formatInZone(startsAt: Instant, timezone: string, endsAt?: Instant): string {
  const s = DateTime.fromJSDate(toDate(startsAt, 'startsAt'), { zone: timezone }).setLocale('en-GB');
  if (!s.isValid) throw new RangeError(`Unknown time zone "${timezone}"`);
  const day = (d: DateTime) => d.toFormat('cccc d LLLL yyyy');
  const clock = (d: DateTime) => d.toFormat('HH:mm');
  if (endsAt === undefined) return `${day(s)}, ${clock(s)} (${timezone})`;
  const e = DateTime.fromJSDate(toDate(endsAt, 'endsAt'), { zone: timezone }).setLocale('en-GB');
  if (s.hasSame(e, 'day')) return `${day(s)}, ${clock(s)}–${clock(e)} (${timezone})`;
  return `${day(s)}, ${clock(s)} – ${day(e)}, ${clock(e)} (${timezone})`;
}
