import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';

/** Busy time read from a calendar: [startsAt, endsAt). */
export interface BusyInterval {
  startsAt: Date;
  endsAt: Date;
}

/** Calendar data we refuse to use (malformed, too large, too costly to expand): the message says why. */
export class CalendarDataError extends Error {}

export interface ExpansionLimits {
  /** Recurrence instances examined per calendar object (before and inside the window). */
  maxInstancesPerEvent: number;
  /** Busy intervals kept per calendar in the window. */
  maxIntervals: number;
  /** Wall-clock budget for expanding one calendar, in ms. */
  budgetMs: number;
}

export const DEFAULT_EXPANSION_LIMITS: Readonly<ExpansionLimits> = Object.freeze({
  maxInstancesPerEvent: 20_000,
  maxIntervals: 10_000,
  budgetMs: 5_000,
});

export interface ExpansionInput {
  /** iCalendar texts (one VCALENDAR each: a whole ICS feed, or each object of a CalDAV REPORT). */
  calendars: readonly string[];
  from: Date;
  to: Date;
  /** The owner's time zone: all-day events and floating times are read in it. */
  zone: string;
  /** UIDs to leave out (events the platform wrote itself: they already count as platform time). */
  ignoreUids?: ReadonlySet<string>;
  /**
   * A regular expression (source, matched case-insensitively against the whole UID) for more UIDs
   * to leave out: the platform's own (`review-<id>@<host>`, `interview-<id>@<host>`), which also
   * reach calendars the platform never writes to, e.g. an accepted e-mailed invitation in a feed.
   */
  ignoreUidPattern?: string;
  limits?: Partial<ExpansionLimits>;
  /** For tests: the clock measuring the budget. */
  nowMs?: () => number;
}

/**
 * The UIDs of the platform's own events (`stableUid('review' | 'interview', id, host)`): the
 * write-backs and the e-mailed invitations share them. Such an event in a person's calendar is the
 * platform's session, already counted as platform time (or cancelled): never calendar time too.
 */
export function platformUidPattern(base: string): string {
  const host = new URL(base).hostname.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `(?:review|interview)-[0-9a-f-]{36}@${host}`;
}

const isoOf = (ms: number) => new Date(ms).toISOString();

/**
 * The instant of an iCalendar time: UTC and zones defined in the calendar (VTIMEZONE) through
 * ical.js; a TZID without a VTIMEZONE (many feeds name an IANA zone only) and floating times
 * through luxon, in the named zone or else the owner's; a DATE (all-day) is midnight in the
 * owner's zone.
 */
function instantOf(t: ICAL.Time, tzid: string | null, ownerZone: string): number {
  if (t.isDate) {
    return DateTime.fromObject({ year: t.year, month: t.month, day: t.day }, { zone: ownerZone }).toMillis();
  }
  const zone = t.zone as ICAL.Timezone | undefined;
  const floating = !zone || zone.tzid === 'floating' || zone === ICAL.Timezone.localTimezone;
  if (!floating) return t.toUnixTime() * 1000;
  const named = tzid && IANAZone.isValidZone(tzid) ? tzid : ownerZone;
  return DateTime.fromObject(
    { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second },
    { zone: named },
  ).toMillis();
}

/** Whether an event (or one exception of it) blocks time: not cancelled, not marked free. */
function blocks(c: ICAL.Component): boolean {
  const status = String(c.getFirstPropertyValue('status') ?? '').toUpperCase();
  const transp = String(c.getFirstPropertyValue('transp') ?? 'OPAQUE').toUpperCase();
  return status !== 'CANCELLED' && transp !== 'TRANSPARENT';
}

function tzidOf(c: ICAL.Component, prop: 'dtstart' | 'dtend'): string | null {
  const p = c.getFirstProperty(prop);
  const v = p?.getParameter('tzid');
  return typeof v === 'string' ? v : null;
}

function parseCalendar(text: string, index: number, total: number): ICAL.Component {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (e) {
    const where = total > 1 ? ` (object ${index + 1} of ${total})` : '';
    throw new CalendarDataError(`the calendar data is not valid iCalendar${where}: ${(e as Error).message.slice(0, 200)}`);
  }
  const root = new ICAL.Component(Array.isArray(jcal) && typeof jcal[0] === 'string' ? (jcal as never) : ((jcal as never[])[0] ?? []));
  if (root.name !== 'vcalendar') throw new CalendarDataError('the calendar data is not a VCALENDAR');
  return root;
}

/**
 * Busy intervals of a person from their calendar data, inside [from, to): recurring events
 * expanded (RRULE, RDATE, EXDATE, moved or cancelled instances by RECURRENCE-ID), all-day events
 * as whole days in the owner's zone, TRANSP:TRANSPARENT and STATUS:CANCELLED left out, time
 * zones resolved. Bounded: an endless or absurd rule (FREQ=SECONDLY for ever), too many intervals
 * or a calendar that takes too long to expand is a CalendarDataError, never a hang and never
 * silently "free". Intervals come back merged and sorted.
 */
export function expandBusy(input: ExpansionInput): BusyInterval[] {
  const limits = { ...DEFAULT_EXPANSION_LIMITS, ...(input.limits ?? {}) };
  const clock = input.nowMs ?? Date.now;
  const started = clock();
  const fromMs = input.from.getTime();
  const toMs = input.to.getTime();
  if (!(toMs > fromMs)) throw new RangeError('to must be after from');
  if (!IANAZone.isValidZone(input.zone)) throw new RangeError(`unknown time zone ${input.zone}`);
  const out: Array<{ s: number; e: number }> = [];
  const checkBudget = () => {
    if (clock() - started > limits.budgetMs)
      throw new CalendarDataError(
        `expanding the calendar took longer than ${limits.budgetMs} ms; it has too many or too costly repeating events`,
      );
  };
  const push = (s: number, e: number) => {
    if (!(e > s)) e = s; // zero-length events block nothing
    if (e <= fromMs || s >= toMs || e === s) return;
    out.push({ s: Math.max(s, fromMs), e: Math.min(e, toMs) });
    if (out.length > limits.maxIntervals)
      throw new CalendarDataError(`the calendar has more than ${limits.maxIntervals} busy periods in the window; refusing to use it`);
  };

  const ignoredByPattern = input.ignoreUidPattern ? new RegExp(`^(?:${input.ignoreUidPattern})$`, 'i') : null;
  const ignored = (uid: string) => input.ignoreUids?.has(uid) === true || ignoredByPattern?.test(uid) === true;

  input.calendars.forEach((text, index) => {
    const root = parseCalendar(text, index, input.calendars.length);
    const vevents = root.getAllSubcomponents('vevent');
    // Group by UID: the master (no RECURRENCE-ID) and its exceptions.
    const byUid = new Map<string, { master: ICAL.Component | null; exceptions: ICAL.Component[] }>();
    vevents.forEach((v, i) => {
      const uid = String(v.getFirstPropertyValue('uid') ?? `no-uid-${index}-${i}`);
      if (ignored(uid)) return;
      const g = byUid.get(uid) ?? { master: null, exceptions: [] };
      if (v.hasProperty('recurrence-id')) g.exceptions.push(v);
      else g.master = v;
      byUid.set(uid, g);
    });
    for (const [uid, g] of byUid) {
      checkBudget();
      try {
        if (!g.master) {
          // Only moved instances of a series kept elsewhere: each is an event of its own.
          for (const ex of g.exceptions) single(ex);
          continue;
        }
        const master = g.master;
        if (!master.hasProperty('dtstart')) continue;
        const event = new ICAL.Event(master, { strictExceptions: true, exceptions: g.exceptions });
        if (!event.isRecurring()) {
          single(master);
          continue;
        }
        const startTz = tzidOf(master, 'dtstart');
        const it = event.iterator();
        let n = 0;
        let next: ICAL.Time | null;
        while ((next = it.next())) {
          n += 1;
          if (n > limits.maxInstancesPerEvent)
            throw new CalendarDataError(
              `the repeating event ${JSON.stringify(uid.slice(0, 80))} has more than ${limits.maxInstancesPerEvent} occurrences before the end of the window; refusing to use the calendar`,
            );
          if (n % 256 === 0) checkBudget();
          // Occurrences come in start order (moved instances aside): stop once past the window,
          // allowing for instances moved later by an exception (those are checked one by one).
          const rawStart = instantOf(next, startTz, input.zone);
          if (rawStart >= toMs + 366 * 86_400_000) break;
          const d = event.getOccurrenceDetails(next);
          const comp = d.item.component;
          if (!blocks(comp)) continue;
          const s = instantOf(d.startDate, tzidOf(comp, 'dtstart') ?? startTz, input.zone);
          const e = instantOf(d.endDate, tzidOf(comp, 'dtend') ?? tzidOf(comp, 'dtstart') ?? startTz, input.zone);
          push(s, e);
        }
      } catch (e) {
        if (e instanceof CalendarDataError) throw e;
        throw new CalendarDataError(`the event ${JSON.stringify(uid.slice(0, 80))} cannot be read: ${(e as Error).message.slice(0, 200)}`);
      }
    }

    function single(v: ICAL.Component) {
      if (!blocks(v) || !v.hasProperty('dtstart')) return;
      const ev = new ICAL.Event(v);
      const st = ev.startDate;
      const tz = tzidOf(v, 'dtstart');
      const s = instantOf(st, tz, input.zone);
      let e: number;
      if (v.hasProperty('dtend')) e = instantOf(ev.endDate, tzidOf(v, 'dtend') ?? tz, input.zone);
      else if (v.hasProperty('duration')) e = instantOf(ev.endDate, tz, input.zone);
      else if (st.isDate) {
        // RFC 5545: an all-day event without DTEND lasts one day.
        const next = st.clone();
        next.adjust(1, 0, 0, 0);
        e = instantOf(next, tz, input.zone);
      } else e = s;
      push(s, e);
    }
  });
  return mergeIntervals(out).map((x) => ({ startsAt: new Date(x.s), endsAt: new Date(x.e) }));
}

function mergeIntervals(xs: Array<{ s: number; e: number }>): Array<{ s: number; e: number }> {
  const sorted = [...xs].sort((a, b) => a.s - b.s || a.e - b.e);
  const out: Array<{ s: number; e: number }> = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x.s <= last.e) last.e = Math.max(last.e, x.e);
    else out.push({ ...x });
  }
  return out;
}

export const describeInterval = (b: BusyInterval) => `${isoOf(b.startsAt.getTime())}/${isoOf(b.endsAt.getTime())}`;
