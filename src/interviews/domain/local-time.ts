import { DateTime } from 'luxon';

/** A Date, an ISO-8601 string (no offset = UTC) or epoch milliseconds. */
export type Instant = Date | string | number;

export function toMillis(value: Instant, what = 'instant'): number {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else ms = DateTime.fromISO(value, { zone: 'utc' }).toMillis();
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid ${what}: ${String(value)}`);
  return ms;
}

export function assertZone(zone: string, whose: string): void {
  if (!DateTime.fromMillis(0, { zone }).isValid) throw new RangeError(`Unknown time zone "${zone}" for ${whose}`);
}

/** "09:00" -> 540 (00:00..24:00). */
export function parseClock(hhmm: string, what = 'time'): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 24 * 60) throw new RangeError(`Invalid ${what} "${hhmm}", expected HH:MM`);
  return minutes;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(Math.round(minutes % 60)).padStart(2, '0')}`;
}

/** "4 h", "4 h 1 min", "45 min". */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 60_000);
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** ISO date (YYYY-MM-DD) of a business day `offset` business days from `date` (Mon-Fri). */
export function addBusinessDays(isoDate: string, offset: number): string {
  let d = DateTime.fromISO(isoDate, { zone: 'utc' });
  if (!d.isValid) throw new RangeError(`Invalid date "${isoDate}"`);
  const step = offset >= 0 ? 1 : -1;
  let left = Math.abs(offset);
  while (left > 0) {
    d = d.plus({ days: step });
    if (d.weekday <= 5) left -= 1;
  }
  return d.toISODate()!;
}

/** The date itself when it is a weekday, otherwise the following Monday. */
export function nextBusinessDay(isoDate: string): string {
  let d = DateTime.fromISO(isoDate, { zone: 'utc' });
  if (!d.isValid) throw new RangeError(`Invalid date "${isoDate}"`);
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return d.toISODate()!;
}
