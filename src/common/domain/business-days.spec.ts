import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import {
  addBusinessDays,
  businessDaysBetween,
  businessDaysElapsedFraction,
  HourlyOffsetZone,
  isBusinessDay,
  isValidLocalDate,
  isValidTimeZone,
  localDate,
  resolveTimeZone,
} from './business-days';

/** Build an instant from a local wall-clock time in a zone. */
const at = (isoLocal: string, tz: string): Date => {
  const dt = DateTime.fromISO(isoLocal, { zone: tz });
  if (!dt.isValid) throw new Error(`bad test date ${isoLocal} ${tz}`);
  return dt.toJSDate();
};
const inZone = (d: Date, tz: string): string => DateTime.fromJSDate(d, { zone: tz }).toFormat("yyyy-MM-dd'T'HH:mm ccc");

describe('isValidTimeZone', () => {
  it.each([
    ['America/Los_Angeles', true],
    ['Asia/Tokyo', true],
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    [' Europe/Berlin', false],
    ['not a zone', false],
  ])('%p -> %p', (tz, ok) => {
    expect(isValidTimeZone(tz)).toBe(ok);
  });

  it('rejects non-strings', () => {
    expect(isValidTimeZone(undefined)).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
  });

  it('resolveTimeZone picks the first valid zone, else the fallback', () => {
    expect(resolveTimeZone([null, 'Nope/Nope', 'Asia/Tokyo', 'Europe/Paris'])).toBe('Asia/Tokyo');
    expect(resolveTimeZone([undefined, ''])).toBe('UTC');
    expect(resolveTimeZone([], 'Europe/London')).toBe('Europe/London');
  });
});

describe('isValidLocalDate', () => {
  it.each([
    ['2024-12-25', true],
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['2024-1-1', false],
    ['25/12/2024', false],
    ['', false],
  ])('%p -> %p', (s, ok) => expect(isValidLocalDate(s)).toBe(ok));
});

describe('isBusinessDay', () => {
  const tz = 'America/New_York';
  it.each([
    ['2024-06-03T10:00', [], true, 'Monday'],
    ['2024-06-07T23:59', [], true, 'Friday late evening'],
    ['2024-06-08T00:00', [], false, 'Saturday midnight'],
    ['2024-06-09T12:00', [], false, 'Sunday'],
    ['2024-07-04T12:00', ['2024-07-04'], false, 'Independence Day when listed as a holiday'],
    ['2024-07-04T12:00', [], true, 'the same Thursday when not listed'],
    ['2024-07-05T12:00', ['2024-07-04'], true, 'the day after a holiday'],
  ])('%s %p -> %p (%s)', (local, holidays, expected) => {
    expect(isBusinessDay(at(local, tz), tz, holidays)).toBe(expected);
  });

  it('uses the local date of the zone, not UTC', () => {
    const instant = new Date('2024-06-07T23:00:00Z'); // Fri 16:00 in LA, Sat 08:00 in Tokyo
    expect(isBusinessDay(instant, 'America/Los_Angeles', [])).toBe(true);
    expect(isBusinessDay(instant, 'Asia/Tokyo', [])).toBe(false);
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2024-06-07');
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2024-06-08');
  });

  it('holidays are local dates in the zone', () => {
    const instant = new Date('2024-12-25T03:00:00Z'); // Dec 24 evening in LA, Dec 25 noon in Tokyo
    expect(isBusinessDay(instant, 'America/Los_Angeles', ['2024-12-25'])).toBe(true);
    expect(isBusinessDay(instant, 'Asia/Tokyo', ['2024-12-25'])).toBe(false);
  });
});

describe('addBusinessDays', () => {
  it.each<[string, string, number, string[], string]>([
    ['Mon -> Tue', '2024-06-03T10:00', 1, [], '2024-06-04T10:00 Tue'],
    ['Mon + 3 -> Thu', '2024-06-03T10:00', 3, [], '2024-06-06T10:00 Thu'],
    ['Mon + 5 -> next Mon', '2024-06-03T10:00', 5, [], '2024-06-10T10:00 Mon'],
    ['Fri -> Mon (weekend skipped)', '2024-06-07T15:30', 1, [], '2024-06-10T15:30 Mon'],
    ['Thu + 3 -> Tue', '2024-06-06T09:00', 3, [], '2024-06-11T09:00 Tue'],
    ['Sat -> Mon', '2024-06-08T10:00', 1, [], '2024-06-10T10:00 Mon'],
    ['Sun -> Mon', '2024-06-09T10:00', 1, [], '2024-06-10T10:00 Mon'],
    ['Wed before holiday Thu -> Fri', '2024-07-03T11:00', 1, ['2024-07-04'], '2024-07-05T11:00 Fri'],
    ['Thu 2 days with Fri + Mon holidays -> Wed', '2024-06-06T11:00', 2, ['2024-06-07', '2024-06-10'], '2024-06-12T11:00 Wed'],
    ['holiday on a weekend changes nothing', '2024-06-07T11:00', 1, ['2024-06-08'], '2024-06-10T11:00 Mon'],
    ['Mon - 1 -> previous Fri', '2024-06-10T10:00', -1, [], '2024-06-07T10:00 Fri'],
    ['Tue - 3 with Fri holiday -> Wed', '2024-06-11T10:00', -3, ['2024-06-07'], '2024-06-05T10:00 Wed'],
    ['Dec 23 + 3 over Christmas holidays', '2024-12-23T10:00', 3, ['2024-12-25', '2024-12-26'], '2024-12-30T10:00 Mon'],
    ['20 business days = 4 weeks', '2024-06-03T10:00', 20, [], '2024-07-01T10:00 Mon'],
  ])('%s', (_name, start, n, holidays, expected) => {
    const tz = 'America/New_York';
    expect(inZone(addBusinessDays(at(start, tz), n, tz, holidays), tz)).toBe(expected);
  });

  it('n = 0 returns the same instant (even on a weekend)', () => {
    const sat = at('2024-06-08T10:00', 'UTC');
    expect(addBusinessDays(sat, 0, 'UTC', []).getTime()).toBe(sat.getTime());
  });

  it('keeps the local time across the spring-forward DST change (US)', () => {
    const tz = 'America/New_York';
    const fri = at('2024-03-08T09:00', tz); // EST, 14:00Z
    const mon = addBusinessDays(fri, 1, tz, []);
    expect(inZone(mon, tz)).toBe('2024-03-11T09:00 Mon');
    expect(mon.toISOString()).toBe('2024-03-11T13:00:00.000Z'); // EDT
    expect(mon.getTime() - fri.getTime()).toBe(71 * 3_600_000);
  });

  it('keeps the local time across the fall-back DST change (EU)', () => {
    const tz = 'Europe/Berlin';
    const fri = at('2024-10-25T09:00', tz); // CEST, 07:00Z
    const mon = addBusinessDays(fri, 1, tz, []);
    expect(inZone(mon, tz)).toBe('2024-10-28T09:00 Mon');
    expect(mon.toISOString()).toBe('2024-10-28T08:00:00.000Z'); // CET
    expect(mon.getTime() - fri.getTime()).toBe(73 * 3_600_000);
  });

  it('Tokyo and Los Angeles give different answers for the same UTC instant', () => {
    const instant = new Date('2024-06-07T23:00:00Z'); // Fri 16:00 LA, Sat 08:00 Tokyo
    expect(addBusinessDays(instant, 1, 'America/Los_Angeles', []).toISOString()).toBe('2024-06-10T23:00:00.000Z');
    expect(addBusinessDays(instant, 1, 'Asia/Tokyo', []).toISOString()).toBe('2024-06-09T23:00:00.000Z');
  });

  it.each([
    ['a bad zone', () => addBusinessDays(new Date(), 1, 'Nope/Nope', [])],
    ['a fractional n', () => addBusinessDays(new Date(), 1.5, 'UTC', [])],
    ['an invalid Date', () => addBusinessDays(new Date('garbage'), 1, 'UTC', [])],
    ['a malformed holiday', () => addBusinessDays(new Date(), 1, 'UTC', ['12/25/2024'])],
  ])('throws RangeError on %s', (_n, fn) => {
    expect(fn).toThrow(RangeError);
  });
});

describe('businessDaysBetween', () => {
  const tz = 'America/New_York';
  it.each<[string, string, string, string[], number]>([
    ['same moment', '2024-06-03T10:00', '2024-06-03T10:00', [], 0],
    ['to before from', '2024-06-05T10:00', '2024-06-03T10:00', [], 0],
    ['same day later', '2024-06-03T10:00', '2024-06-03T18:00', [], 0],
    ['Mon 10:00 -> Tue 09:59', '2024-06-03T10:00', '2024-06-04T09:59', [], 0],
    ['Mon 10:00 -> Tue 10:00', '2024-06-03T10:00', '2024-06-04T10:00', [], 1],
    ['Mon 10:00 -> Fri 10:00', '2024-06-03T10:00', '2024-06-07T10:00', [], 4],
    ['Fri 10:00 -> Sun 23:00 (weekend does not count)', '2024-06-07T10:00', '2024-06-09T23:00', [], 0],
    ['Fri 10:00 -> Mon 09:59', '2024-06-07T10:00', '2024-06-10T09:59', [], 0],
    ['Fri 10:00 -> Mon 10:00', '2024-06-07T10:00', '2024-06-10T10:00', [], 1],
    ['Sat 10:00 -> Mon 10:00', '2024-06-08T10:00', '2024-06-10T10:00', [], 1],
    ['Mon -> next Mon', '2024-06-03T10:00', '2024-06-10T10:00', [], 5],
    ['Wed -> Fri with Thu holiday', '2024-07-03T10:00', '2024-07-05T10:00', ['2024-07-04'], 1],
    ['Wed -> Thu holiday evening', '2024-07-03T10:00', '2024-07-04T20:00', ['2024-07-04'], 0],
    ['four weeks', '2024-06-03T10:00', '2024-07-01T10:00', [], 20],
    ['four weeks with two holidays', '2024-06-03T10:00', '2024-07-01T10:00', ['2024-06-19', '2024-06-20'], 18],
    ['across a year boundary', '2024-12-20T10:00', '2025-01-03T10:00', ['2024-12-25', '2025-01-01'], 8],
  ])('%s', (_name, from, to, holidays, expected) => {
    expect(businessDaysBetween(at(from, tz), at(to, tz), tz, holidays)).toBe(expected);
  });

  it('counts across the spring-forward DST change by local time of day', () => {
    const tz2 = 'America/Los_Angeles';
    const fri = at('2024-03-08T09:00', tz2);
    expect(businessDaysBetween(fri, at('2024-03-11T08:59', tz2), tz2, [])).toBe(0);
    expect(businessDaysBetween(fri, at('2024-03-11T09:00', tz2), tz2, [])).toBe(1);
    // 72 UTC hours later is already 10:00 local on Monday: one business day.
    expect(businessDaysBetween(fri, new Date(fri.getTime() + 71 * 3_600_000), tz2, [])).toBe(1);
  });

  it('Tokyo and Los Angeles differ for the same UTC instants', () => {
    const from = new Date('2024-06-06T23:30:00Z'); // Thu 16:30 LA, Fri 08:30 Tokyo
    const to = new Date('2024-06-09T23:30:00Z'); // Sun 16:30 LA, Mon 08:30 Tokyo
    expect(businessDaysBetween(from, to, 'America/Los_Angeles', [])).toBe(1); // Friday
    expect(businessDaysBetween(from, to, 'Asia/Tokyo', [])).toBe(1); // Monday 08:30 reached
    const to2 = new Date('2024-06-09T23:00:00Z'); // Mon 08:00 Tokyo: not yet 08:30
    expect(businessDaysBetween(from, to2, 'America/Los_Angeles', [])).toBe(1);
    expect(businessDaysBetween(from, to2, 'Asia/Tokyo', [])).toBe(0);
  });

  it('is consistent with addBusinessDays (property)', () => {
    const zones = ['UTC', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Sydney'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(...zones),
        fc.subarray(['2024-12-25', '2024-12-26', '2025-01-01', '2020-05-01', '2019-07-04']),
        (from, n, tz2, holidays) => {
          const due = addBusinessDays(from, n, tz2, holidays);
          expect(businessDaysBetween(from, due, tz2, holidays)).toBe(n);
          expect(businessDaysBetween(from, new Date(due.getTime() - 1), tz2, holidays)).toBe(n - 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('businessDaysElapsedFraction', () => {
  const tz = 'Europe/Berlin';
  it.each<[string, string, string, string[], number]>([
    ['half a Monday', '2024-06-03T00:00', '2024-06-03T12:00', [], 0.5],
    ['Mon 10:00 -> Tue 10:00', '2024-06-03T10:00', '2024-06-04T10:00', [], 1],
    ['Mon 10:00 -> Tue 16:00', '2024-06-03T10:00', '2024-06-04T16:00', [], 1.25],
    ['Fri 12:00 -> Mon 00:00 (weekend ignored)', '2024-06-07T12:00', '2024-06-10T00:00', [], 0.5],
    ['Fri 12:00 -> Mon 12:00', '2024-06-07T12:00', '2024-06-10T12:00', [], 1],
    ['Sat 10:00 -> Mon 12:00 (starts counting Monday)', '2024-06-08T10:00', '2024-06-10T12:00', [], 0.5],
    ['a whole Saturday', '2024-06-08T00:00', '2024-06-09T00:00', [], 0],
    ['Mon -> Fri over a Wednesday holiday', '2024-06-03T00:00', '2024-06-07T00:00', ['2024-06-05'], 3],
    ['reversed range', '2024-06-04T00:00', '2024-06-03T00:00', [], 0],
  ])('%s', (_name, from, to, holidays, expected) => {
    expect(businessDaysElapsedFraction(at(from, tz), at(to, tz), tz, holidays)).toBeCloseTo(expected, 6);
  });

  it('a 23-hour DST weekday still counts as one whole day by the wall clock', () => {
    // Israel springs forward on Friday 2024-03-29 at 02:00: Thursday noon -> Friday noon is 23 real hours.
    const tz2 = 'Asia/Jerusalem';
    const from = at('2024-03-28T12:00', tz2);
    const to = at('2024-03-29T12:00', tz2);
    expect(to.getTime() - from.getTime()).toBe(23 * 3_600_000);
    expect(businessDaysElapsedFraction(from, to, tz2, [])).toBeCloseTo(1, 6);
    expect(businessDaysBetween(from, to, tz2, [])).toBe(1);
    expect(addBusinessDays(from, 1, tz2, []).getTime()).toBe(to.getTime());
  });

  it('floor(fraction) equals the whole count when starting on a business day (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2028-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 60 * 24 * 30 }),
        fc.constantFrom('UTC', 'Asia/Tokyo', 'America/Los_Angeles'),
        (from, minutes, tz2) => {
          fc.pre(isBusinessDay(from, tz2, []));
          const to = new Date(from.getTime() + minutes * 60_000);
          const frac = businessDaysElapsedFraction(from, to, tz2, []);
          const whole = businessDaysBetween(from, to, tz2, []);
          expect(Math.floor(frac + 1e-9)).toBe(whole);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('HourlyOffsetZone (the per-hour offset cache behind every conversion)', () => {
  // DST zones, half-hour DST (Lord Howe), odd offsets (Kathmandu +05:45, St John's -03:30), and a
  // zone that changed its base offset (Samoa skipped 2011-12-30).
  const zones = [
    'America/Los_Angeles',
    'Europe/Berlin',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'America/St_Johns',
    'Pacific/Apia',
    'America/Sao_Paulo',
  ];

  it("gives the offsets of luxon's own IANAZone at any instant (property)", () => {
    const cached = new Map(zones.map((z) => [z, new HourlyOffsetZone(z)]));
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (d, tz) => {
          expect(cached.get(tz)!.offset(d.getTime())).toBe(IANAZone.create(tz).offset(d.getTime()));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is exact every 5 minutes across the transition days (and a minute before each step)', () => {
    for (const tz of zones) {
      const z = new HourlyOffsetZone(tz);
      const ref = IANAZone.create(tz);
      // Every transition of 2024 (and Samoa's 2011 date-line jump): offsets differ a day apart.
      const year = tz === 'Pacific/Apia' ? 2011 : 2024;
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        if (ref.offset(t) === ref.offset(t + 86_400_000)) continue;
        for (let m = t; m <= t + 86_400_000; m += 5 * 60_000) {
          expect(z.offset(m)).toBe(ref.offset(m));
          expect(z.offset(m - 60_000)).toBe(ref.offset(m - 60_000));
        }
      }
    }
  });
});
