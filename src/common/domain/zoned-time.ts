import { DateTime } from 'luxon';

/** An instant: a Date, an ISO-8601 string (no offset = UTC) or epoch milliseconds. */
export type Instant = Date | string | number;

export interface TimeRange {
  startsAt: Instant;
  endsAt: Instant;
}

/** Calendar date, independent of any zone. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export function toMillis(value: Instant, what = 'instant'): number {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else ms = DateTime.fromISO(value, { zone: 'utc' }).toMillis();
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid ${what}: ${String(value)}`);
  return ms;
}

export function assertZone(zone: string, whose: string): void {
  if (!DateTime.fromMillis(0, { zone }).isValid) {
    throw new RangeError(`Unknown time zone "${zone}" for ${whose}`);
  }
}

/** "09:00" -> 540. Accepts 00:00..24:00. */
export function parseClock(hhmm: string, what = 'time'): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) throw new RangeError(`Invalid ${what} "${hhmm}", expected HH:MM`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) > 59 || minutes > 24 * 60) throw new RangeError(`Invalid ${what} "${hhmm}"`);
  return minutes;
}

/** The calendar date of an instant in a zone. */
export function localDate(ms: number, zone: string): CalendarDate {
  const dt = DateTime.fromMillis(ms, { zone });
  return { year: dt.year, month: dt.month, day: dt.day };
}

export function dateKey(d: CalendarDate): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Pure calendar arithmetic (done in UTC so no DST can interfere). */
export function addDays(d: CalendarDate, days: number): CalendarDate {
  const dt = DateTime.fromObject(d, { zone: 'utc' }).plus({ days });
  return { year: dt.year, month: dt.month, day: dt.day };
}

/** ISO weekday, 1 = Monday .. 7 = Sunday. */
export function isoWeekday(d: CalendarDate): number {
  return DateTime.fromObject(d, { zone: 'utc' }).weekday;
}

export function isWeekend(d: CalendarDate): boolean {
  return isoWeekday(d) >= 6;
}

/**
 * The instant at which the wall clock in `zone` shows `minutes` after midnight on date `d`
 * (1440 = next midnight). Wall times skipped by a DST jump resolve forward (Luxon's rule).
 */
export function zonedMillis(d: CalendarDate, minutes: number, zone: string): number {
  const base = minutes >= 24 * 60 ? addDays(d, 1) : d;
  const m = minutes >= 24 * 60 ? minutes - 24 * 60 : minutes;
  return DateTime.fromObject({ ...base, hour: Math.floor(m / 60), minute: m % 60 }, { zone }).toMillis();
}

/** Minutes after local midnight of an instant in a zone. */
export function localMinutes(ms: number, zone: string): number {
  const dt = DateTime.fromMillis(ms, { zone });
  return dt.hour * 60 + dt.minute + dt.second / 60 + dt.millisecond / 60000;
}

/**
 * Business dates (Mon-Fri) in `zone` whose index counted from the local date of `nowMs` lies in
 * [minNotice, horizon]: index 0 is today (if a weekday), 1 the next weekday, and so on.
 */
export function businessDatesWindow(nowMs: number, zone: string, minNotice: number, horizon: number): CalendarDate[] {
  const out: CalendarDate[] = [];
  const today = localDate(nowMs, zone);
  if (minNotice <= 0 && horizon >= 0 && !isWeekend(today)) out.push(today);
  let d = today;
  let k = 0;
  while (k < horizon) {
    d = addDays(d, 1);
    if (isWeekend(d)) continue;
    k += 1;
    if (k >= minNotice) out.push(d);
  }
  return out;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
