/**
 * When a scorecard is due: a number of business hours after its session ends, in the filer's
 * time zone. Business time is the one of src/common/domain/business-days.ts: every wall-clock
 * hour of a Monday..Friday that is not a holiday counts, weekends and holidays do not.
 * A late scorecard gets a reminder to its filer at the due instant, and an alert to the hiring
 * manager once it is late by as much again (twice the allowance after the session).
 */
import { DateTime } from 'luxon';
import { businessDaysElapsedFraction, isValidTimeZone } from '../../common/domain';

const HOUR_MS = 3_600_000;

function isBusinessDate(d: DateTime, holidays: ReadonlySet<string>): boolean {
  return d.weekday <= 5 && !holidays.has(d.toISODate()!);
}

/** The instant `hours` business hours after `from`, in `tz`. */
export function addBusinessHours(from: Date, hours: number, tz: string, holidays: readonly string[] = []): Date {
  if (!isValidTimeZone(tz)) throw new RangeError(`Unknown time zone "${tz}"`);
  if (!(hours >= 0) || !Number.isFinite(hours)) throw new RangeError('hours must be >= 0');
  const hol = new Set(holidays);
  let remaining = hours * HOUR_MS;
  let cursor = DateTime.fromJSDate(from, { zone: tz });
  for (let guard = 0; guard < 5000; guard++) {
    const nextMidnight = cursor.startOf('day').plus({ days: 1 });
    if (isBusinessDate(cursor, hol)) {
      // A local day counts as 24 wall-clock hours (as businessDaysElapsedFraction does), DST days included.
      const wallLeft = 24 * HOUR_MS - (cursor.toMillis() - cursor.startOf('day').toMillis()) - dstShift(cursor);
      if (remaining <= wallLeft) return cursor.plus({ milliseconds: remaining }).toJSDate();
      remaining -= wallLeft;
    }
    cursor = nextMidnight;
  }
  throw new RangeError('no business time found (every day a holiday?)');
}

/** Real length of the local day minus 24 h (±1 h on DST days), so wall-clock shares add up. */
function dstShift(d: DateTime): number {
  const start = d.startOf('day');
  return start.plus({ days: 1 }).toMillis() - start.toMillis() - 24 * HOUR_MS;
}

/** Business hours elapsed from `from` to `to` in `tz` (0 when to <= from). */
export function businessHoursElapsed(from: Date, to: Date, tz: string, holidays: readonly string[] = []): number {
  return businessDaysElapsedFraction(from, to, tz, holidays) * 24;
}

export type FeedbackState = 'not_due' | 'late' | 'escalate';

/** Where a scorecard not yet filed stands at `now`. */
export function feedbackState(input: {
  sessionEndedAt: Date;
  now: Date;
  dueBusinessHours: number;
  tz: string;
  holidays?: readonly string[];
}): FeedbackState {
  const elapsed = businessHoursElapsed(input.sessionEndedAt, input.now, input.tz, input.holidays ?? []);
  // A small tolerance: fractions of a day times 24 are not exact in floating point.
  if (elapsed + 1e-6 >= 2 * input.dueBusinessHours) return 'escalate';
  if (elapsed + 1e-6 >= input.dueBusinessHours) return 'late';
  return 'not_due';
}
