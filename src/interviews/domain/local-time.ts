import { DateTime } from 'luxon';

// Instants, zones and HH:MM clocks are shared with the reviews rules.
export type { Instant } from '../../common/domain/zoned-time';
export { assertZone, parseClock, toMillis } from '../../common/domain/zoned-time';

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
