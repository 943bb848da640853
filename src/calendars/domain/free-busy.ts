import ICAL from 'ical.js';
import { BusyInterval, CalendarDataError } from './busy-expansion';

const caldavUtc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** RFC 4791 7.10: the free-busy-query REPORT body for [from, to). */
export function freeBusyQuery(from: Date, to: Date): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav">
  <c:time-range start="${caldavUtc(from)}" end="${caldavUtc(to)}"/>
</c:free-busy-query>`;
}

/** Busy types that block (RFC 5545 FBTYPE; absent means BUSY). FREE does not. */
const BLOCKING = new Set(['BUSY', 'BUSY-UNAVAILABLE', 'BUSY-TENTATIVE']);

/**
 * The busy periods of a free-busy-query answer (a VCALENDAR with one VFREEBUSY), clipped to
 * [from, to), at most `max`; null when the text holds no VFREEBUSY (the server answered something
 * else: the caller falls back to calendar-query). Malformed iCalendar is a CalendarDataError.
 */
export function parseFreeBusy(text: string, from: Date, to: Date, max = 10_000): BusyInterval[] | null {
  if (!/BEGIN:VFREEBUSY/i.test(text)) return null;
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    throw new CalendarDataError(`the free/busy answer is not valid iCalendar (${(e as Error).message})`);
  }
  const out: BusyInterval[] = [];
  for (const fb of root.getAllSubcomponents('vfreebusy')) {
    for (const prop of fb.getAllProperties('freebusy')) {
      const type = String(prop.getParameter('fbtype') ?? 'BUSY').toUpperCase();
      if (!BLOCKING.has(type)) continue;
      for (const v of prop.getValues() as unknown[]) {
        const p = v as ICAL.Period;
        const start = p.start.toJSDate();
        const end = p.end ? p.end.toJSDate() : p.getEnd().toJSDate();
        const s = Math.max(start.getTime(), from.getTime());
        const e = Math.min(end.getTime(), to.getTime());
        if (!(e > s)) continue;
        out.push({ startsAt: new Date(s), endsAt: new Date(e) });
        if (out.length > max) throw new CalendarDataError(`the free/busy answer has more than ${max} busy periods`);
      }
    }
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
