/**
 * Business-day arithmetic in an IANA time zone.
 *
 * Definitions (all "local" notions are in the given time zone `tz`):
 *  - A business day is a local calendar date that is Monday..Friday and not listed in
 *    `holidays` (local dates written 'YYYY-MM-DD').
 *  - `addBusinessDays(t, n)` moves to the n-th business date after (n > 0) or before (n < 0)
 *    the local date of `t`, keeping the same local wall-clock time of day (DST-aware: the
 *    UTC distance may be 1 h shorter/longer across a DST change). `n = 0` returns `t`
 *    unchanged, even on a weekend. Starting on a weekend counts from that weekend day:
 *    Saturday 10:00 + 1 = Monday 10:00.
 *  - `businessDaysBetween(from, to)` is the number of WHOLE business days elapsed: the
 *    largest n >= 0 such that `addBusinessDays(from, n) <= to` (0 when `to <= from`). So it
 *    is exactly consistent with `addBusinessDays`:
 *      businessDaysBetween(from, to) >= n  <=>  to >= addBusinessDays(from, n)   (n >= 1)
 *    Example: Friday 10:00 -> Monday 09:59 is 0, Friday 10:00 -> Monday 10:00 is 1.
 *  - `businessDaysElapsedFraction(from, to)` is business TIME elapsed, in days: the sum over
 *    the business dates touched by [from, to] of the wall-clock share of that date covered
 *    (a local day counts as 24 wall-clock hours, even on 23/25 h DST days). Weekends and
 *    holidays contribute nothing. When `from` falls on a business day,
 *    Math.floor(fraction) === businessDaysBetween(from, to); when `from` falls on a weekend
 *    or holiday the fraction only starts counting at the next business day's midnight
 *    (Saturday 10:00 -> Monday 10:00 is 1 whole day but 10/24 = 0.4167 fractional).
 *
 * Pure functions: no clock access; invalid input throws RangeError.
 */
import { DateTime, IANAZone } from 'luxon';

/** A local calendar date, 'YYYY-MM-DD'. */
export type LocalDate = string;

const MS_PER_DAY = 86_400_000;
const HOLIDAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Zone names already checked. IANAZone.isValidZone builds a new Intl.DateTimeFormat on every call
 * (~75 µs and ~25 KB of native ICU memory the GC does not see): a sweep asking it for every row
 * grew the process by hundreds of MB. The runtime's zone list does not change while it runs.
 */
const zoneValidity = new Map<string, boolean>();

/** True for a time zone name the runtime knows (IANA names such as 'Europe/Berlin', or 'UTC'). */
export function isValidTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.trim() === '' || tz !== tz.trim()) return false;
  let valid = zoneValidity.get(tz);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(tz);
    if (zoneValidity.size < 10_000) zoneValidity.set(tz, valid);
  }
  return valid;
}

/** The first valid time zone among the candidates, else `fallback` (default 'UTC'). */
export function resolveTimeZone(candidates: ReadonlyArray<string | null | undefined>, fallback = 'UTC'): string {
  for (const c of candidates) if (isValidTimeZone(c)) return c;
  return fallback;
}

/** True when `s` is a real calendar date written 'YYYY-MM-DD'. */
export function isValidLocalDate(s: unknown): s is LocalDate {
  if (typeof s !== 'string') return false;
  const m = HOLIDAY_RE.exec(s);
  if (!m) return false;
  return DateTime.utc(Number(m[1]), Number(m[2]), Number(m[3])).isValid;
}

function assertZone(tz: string): void {
  if (!isValidTimeZone(tz)) throw new RangeError(`invalid time zone: ${JSON.stringify(tz)}`);
}

function assertInstant(d: Date, name: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${name} is not a valid Date`);
}

/** Days since 1970-01-01 of a local calendar date (calendar arithmetic, no zone involved). */
function epochDay(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

function epochDayOf(dt: DateTime): number {
  return epochDay(dt.year, dt.month, dt.day);
}

/** 1 = Monday .. 7 = Sunday for an epoch day (1970-01-01 was a Thursday). */
function weekdayOfEpochDay(d: number): number {
  return ((((d + 3) % 7) + 7) % 7) + 1;
}

function holidaySet(holidays: readonly string[]): Set<number> {
  const set = new Set<number>();
  for (const h of holidays) {
    if (!isValidLocalDate(h)) throw new RangeError(`invalid holiday date (expected YYYY-MM-DD): ${JSON.stringify(h)}`);
    const m = HOLIDAY_RE.exec(h)!;
    set.add(epochDay(Number(m[1]), Number(m[2]), Number(m[3])));
  }
  return set;
}

function isBusinessEpochDay(d: number, hol: Set<number>): boolean {
  return weekdayOfEpochDay(d) <= 5 && !hol.has(d);
}

/** Number of Monday..Friday epoch days in [a, b] (inclusive); 0 when b < a. */
function countWeekdays(a: number, b: number): number {
  if (b < a) return 0;
  const total = b - a + 1;
  const weeks = Math.floor(total / 7);
  let count = weeks * 5;
  for (let d = a + weeks * 7; d <= b; d++) if (weekdayOfEpochDay(d) <= 5) count++;
  return count;
}

/** Business days in [a, b] (inclusive epoch days). */
function countBusinessDays(a: number, b: number, hol: Set<number>): number {
  if (b < a) return 0;
  let count = countWeekdays(a, b);
  for (const h of hol) if (h >= a && h <= b && weekdayOfEpochDay(h) <= 5) count--;
  return count;
}

const HOUR_MS = 3_600_000;

/**
 * An IANA zone that remembers its UTC offset per hour. Luxon asks Intl for the offset
 * (formatToParts, tens of µs) on every conversion, several times per business-day computation,
 * and a sweep makes thousands. An hour's offset is kept when the offsets at its first and last
 * millisecond agree, i.e. no transition falls inside it (tzdb never has two within one hour);
 * an hour holding a transition is always computed exactly. Results are those of IANAZone.
 */
export class HourlyOffsetZone extends IANAZone {
  private readonly hours = new Map<number, number | null>();
  override offset(ts: number): number {
    const h = Math.floor(ts / HOUR_MS);
    let o = this.hours.get(h);
    if (o === undefined) {
      const first = super.offset(h * HOUR_MS);
      o = first === super.offset((h + 1) * HOUR_MS - 1) ? first : null;
      if (this.hours.size >= 100_000) this.hours.clear();
      this.hours.set(h, o);
    }
    return o ?? super.offset(ts);
  }
}

const cachedZones = new Map<string, HourlyOffsetZone | string>();
/** The zone to give luxon for a validated name: UTC/GMT stay luxon's fixed zone, the rest an HourlyOffsetZone. */
function zoneFor(tz: string): HourlyOffsetZone | string {
  let z = cachedZones.get(tz);
  if (z === undefined) {
    z = /^(utc|gmt)$/i.test(tz) ? tz : new HourlyOffsetZone(tz);
    if (cachedZones.size < 10_000) cachedZones.set(tz, z);
  }
  return z;
}

function local(instant: Date, tz: string): DateTime {
  return DateTime.fromJSDate(instant, { zone: zoneFor(tz) });
}

/** Wall-clock time of day as a fraction of 24 h. */
function wallFraction(dt: DateTime): number {
  return (dt.hour * 3_600_000 + dt.minute * 60_000 + dt.second * 1000 + dt.millisecond) / MS_PER_DAY;
}

/** The local calendar date ('YYYY-MM-DD') of an instant in `tz`. */
export function localDate(instant: Date, tz: string): LocalDate {
  assertZone(tz);
  assertInstant(instant, 'instant');
  return local(instant, tz).toISODate()!;
}

/** Is the local date of `instant` in `tz` a business day (Mon..Fri, not a holiday)? */
export function isBusinessDay(instant: Date, tz: string, holidays: readonly string[] = []): boolean {
  assertZone(tz);
  assertInstant(instant, 'instant');
  return isBusinessEpochDay(epochDayOf(local(instant, tz)), holidaySet(holidays));
}

/**
 * The same local time of day, `n` business days later (n < 0: earlier). See the module
 * comment for weekend starts and DST.
 */
export function addBusinessDays(instant: Date, n: number, tz: string, holidays: readonly string[] = []): Date {
  assertZone(tz);
  assertInstant(instant, 'instant');
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  if (n === 0) return new Date(instant.getTime());
  const hol = holidaySet(holidays);
  const start = local(instant, tz);
  const day0 = epochDayOf(start);
  const step = n > 0 ? 1 : -1;
  let remaining = Math.abs(n);
  let offset = 0;
  while (remaining > 0) {
    offset += step;
    if (isBusinessEpochDay(day0 + offset, hol)) remaining--;
  }
  // Calendar-day arithmetic in the zone keeps the wall-clock time across DST changes.
  return start.plus({ days: offset }).toJSDate();
}

/** Checked inputs of the elapsed-time rules, both ends in local time; null when to <= from. */
function localSpan(from: Date, to: Date, tz: string, holidays: readonly string[]) {
  assertZone(tz);
  assertInstant(from, 'from');
  assertInstant(to, 'to');
  const hol = holidaySet(holidays);
  if (to.getTime() <= from.getTime()) return null;
  const f = local(from, tz);
  const t = local(to, tz);
  return { hol, f, t, dayFrom: epochDayOf(f), dayTo: epochDayOf(t) };
}

/**
 * Whole business days elapsed from `from` to `to`: the largest n >= 0 with
 * addBusinessDays(from, n) <= to; 0 when to <= from.
 */
export function businessDaysBetween(from: Date, to: Date, tz: string, holidays: readonly string[] = []): number {
  const span = localSpan(from, to, tz, holidays);
  if (!span) return 0;
  const { hol, f, dayFrom, dayTo } = span;
  if (dayTo <= dayFrom) return 0;
  // Every business date strictly between the two local dates is passed at from's time of day.
  let n = countBusinessDays(dayFrom + 1, dayTo - 1, hol);
  // The last local date counts once from's time of day has been reached on it.
  if (isBusinessEpochDay(dayTo, hol) && f.plus({ days: dayTo - dayFrom }).toMillis() <= to.getTime()) n++;
  return n;
}

/**
 * Business time elapsed from `from` to `to`, in (fractional) business days; 0 when to <= from.
 * For insights ("3.4 business days in stage"). See the module comment.
 */
export function businessDaysElapsedFraction(from: Date, to: Date, tz: string, holidays: readonly string[] = []): number {
  const span = localSpan(from, to, tz, holidays);
  if (!span) return 0;
  const { hol, f, t, dayFrom, dayTo } = span;
  if (dayTo === dayFrom) {
    return isBusinessEpochDay(dayFrom, hol) ? Math.max(0, wallFraction(t) - wallFraction(f)) : 0;
  }
  let total = 0;
  if (isBusinessEpochDay(dayFrom, hol)) total += 1 - wallFraction(f);
  total += countBusinessDays(dayFrom + 1, dayTo - 1, hol);
  if (isBusinessEpochDay(dayTo, hol)) total += wallFraction(t);
  if (isBusinessEpochDay(dayFrom, hol)) {
    // Keep the documented contract floor(fraction) == businessDaysBetween. They differ only when
    // `from` is exactly local midnight and `to` falls on a non-business day: the wall clock has then
    // used up the whole last business day, while the next whole step lands on the next business
    // morning. Stay just below that step.
    const whole = businessDaysBetween(from, to, tz, holidays);
    if (total >= whole + 1) total = whole + 1 - 1e-6;
  }
  return total;
}
