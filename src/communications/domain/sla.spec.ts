import { DateTime } from 'luxon';
import { assessCheckIn, checkInDueAt, checkInKey, checkInReference, isCheckInDue } from './sla';

const at = (isoLocal: string, tz: string): Date => DateTime.fromISO(isoLocal, { zone: tz }).toJSDate();
const local = (d: Date, tz: string) => DateTime.fromJSDate(d, { zone: tz }).toFormat("yyyy-MM-dd'T'HH:mm ccc");

describe('checkInDueAt / isCheckInDue (candidate time zone)', () => {
  const tz = 'Europe/Berlin';
  it.each<[string, string | null, string, number, string[], string]>([
    ['no contact since entering on Monday', null, '2024-06-03T10:00', 3, [], '2024-06-06T10:00 Thu'],
    ['contact on Friday -> Wednesday', '2024-06-07T10:00', '2024-06-03T09:00', 3, [], '2024-06-12T10:00 Wed'],
    ['stage entered after the last contact wins', '2024-06-03T10:00', '2024-06-05T16:00', 3, [], '2024-06-10T16:00 Mon'],
    ['contact on Saturday counts from Monday', '2024-06-08T11:00', '2024-06-03T09:00', 1, [], '2024-06-10T11:00 Mon'],
    ['holiday extends the SLA', '2024-06-03T10:00', '2024-06-03T09:00', 3, ['2024-06-05'], '2024-06-07T10:00 Fri'],
    ['SLA of 1 on Thursday -> Friday', '2024-06-06T14:00', '2024-06-01T09:00', 1, [], '2024-06-07T14:00 Fri'],
    ['SLA of 10 spans two weekends', '2024-06-03T10:00', '2024-06-03T09:00', 10, [], '2024-06-17T10:00 Mon'],
  ])('%s', (_name, lastContact, entered, sla, holidays, expected) => {
    const input = {
      lastContactAt: lastContact ? at(lastContact, tz) : null,
      stageEnteredAt: at(entered, tz),
      tz,
      holidays,
      contactSlaBusinessDays: sla,
    };
    const due = checkInDueAt(input);
    expect(local(due, tz)).toBe(expected);
    expect(isCheckInDue({ ...input, now: new Date(due.getTime() - 1) })).toBe(false);
    expect(isCheckInDue({ ...input, now: due })).toBe(true);
    expect(isCheckInDue({ ...input, now: new Date(due.getTime() + 86_400_000) })).toBe(true);
  });

  it('counts in the candidate time zone: Tokyo vs Los Angeles', () => {
    const contact = new Date('2024-06-06T23:30:00Z'); // Thu 16:30 LA, Fri 08:30 Tokyo
    const now = new Date('2024-06-10T23:30:00Z'); // Mon 16:30 LA, Tue 08:30 Tokyo
    const base = { lastContactAt: contact, stageEnteredAt: new Date('2024-06-01T00:00:00Z'), holidays: [], contactSlaBusinessDays: 3 };
    // LA: Fri, Mon elapsed -> 2 business days; due Tue 16:30.
    expect(isCheckInDue({ ...base, tz: 'America/Los_Angeles', now })).toBe(false);
    // Tokyo: Mon, Tue elapsed -> only 2 (Fri 08:30 -> Wed 08:30 due).
    expect(isCheckInDue({ ...base, tz: 'Asia/Tokyo', now })).toBe(false);
    expect(checkInDueAt({ ...base, tz: 'America/Los_Angeles' }).toISOString()).toBe('2024-06-11T23:30:00.000Z');
    expect(checkInDueAt({ ...base, tz: 'Asia/Tokyo' }).toISOString()).toBe('2024-06-11T23:30:00.000Z');
    // Same UTC instants, different verdicts when a weekend falls differently:
    const fri = new Date('2024-06-07T23:00:00Z'); // Fri 16:00 LA, Sat 08:00 Tokyo
    const mon = new Date('2024-06-10T23:00:00Z'); // Mon 16:00 LA, Tue 08:00 Tokyo
    const b2 = { ...base, lastContactAt: fri, contactSlaBusinessDays: 1 };
    expect(isCheckInDue({ ...b2, tz: 'America/Los_Angeles', now: mon })).toBe(true); // Mon 16:00 reached
    expect(isCheckInDue({ ...b2, tz: 'Asia/Tokyo', now: new Date('2024-06-09T22:59:00Z') })).toBe(false); // Mon 07:59
    expect(isCheckInDue({ ...b2, tz: 'America/Los_Angeles', now: new Date('2024-06-09T22:59:00Z') })).toBe(false);
    expect(isCheckInDue({ ...b2, tz: 'Asia/Tokyo', now: new Date('2024-06-09T23:00:00Z') })).toBe(true); // Mon 08:00 Tokyo
  });

  it('does not fire over a weekend: Friday contact, 1-day SLA, checked Sunday night', () => {
    const tz2 = 'America/New_York';
    const input = {
      lastContactAt: at('2024-06-07T09:00', tz2),
      stageEnteredAt: at('2024-06-03T09:00', tz2),
      tz: tz2,
      holidays: [],
      contactSlaBusinessDays: 1,
    };
    expect(isCheckInDue({ ...input, now: at('2024-06-09T23:59', tz2) })).toBe(false);
    expect(isCheckInDue({ ...input, now: at('2024-06-10T09:00', tz2) })).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects an SLA of %p', (sla) => {
    expect(() => checkInDueAt({ stageEnteredAt: new Date(), tz: 'UTC', holidays: [], contactSlaBusinessDays: sla })).toThrow(RangeError);
  });

  it('rejects an invalid candidate time zone', () => {
    expect(() => checkInDueAt({ stageEnteredAt: new Date(), tz: 'Moon/Base', holidays: [], contactSlaBusinessDays: 3 })).toThrow(
      RangeError,
    );
  });
});

describe('checkInReference', () => {
  const a = new Date('2024-06-03T10:00:00Z');
  const b = new Date('2024-06-04T10:00:00Z');
  it.each([
    [null, a, a],
    [undefined, a, a],
    [b, a, b],
    [a, b, b],
    [a, a, a],
  ])('last contact %p, entered %p -> %p', (last, entered, expected) => {
    expect(checkInReference({ lastContactAt: last, stageEnteredAt: entered })).toBe(expected);
  });
});

describe('checkInKey (one check-in per SLA period)', () => {
  const tz = 'UTC';
  const entered = new Date('2024-06-03T10:00:00Z');
  const base = { stageEnteredAt: entered, tz, holidays: [], contactSlaBusinessDays: 3 };

  it('is stable while nothing changes, whatever time the job runs', () => {
    const k1 = assessCheckIn({ ...base, now: new Date('2024-06-06T10:00:00Z'), applicationId: 'app1', stageVisitId: 'v1' }).key;
    const k2 = assessCheckIn({ ...base, now: new Date('2024-06-07T18:00:00Z'), applicationId: 'app1', stageVisitId: 'v1' }).key;
    expect(k1).toBe('check-in:app1:v1:2024-06-06T10:00:00.000Z');
    expect(k2).toBe(k1);
  });

  it('changes after a new contact (next period) and for a new stage visit', () => {
    const dueA = checkInDueAt(base);
    const dueB = checkInDueAt({ ...base, lastContactAt: dueA });
    expect(checkInKey('app1', 'v1', dueB)).not.toBe(checkInKey('app1', 'v1', dueA));
    expect(checkInKey('app1', 'v2', dueA)).not.toBe(checkInKey('app1', 'v1', dueA));
    expect(checkInKey('app2', 'v1', dueA)).not.toBe(checkInKey('app1', 'v1', dueA));
  });

  it('assessCheckIn reports reference, due time and verdict', () => {
    const r = assessCheckIn({ ...base, lastContactAt: null, now: new Date('2024-06-05T10:00:00Z') });
    expect(r).toEqual({ reference: entered, dueAt: new Date('2024-06-06T10:00:00Z'), due: false });
  });

  it('rejects an invalid due date', () => {
    expect(() => checkInKey('a', 'v', new Date('x'))).toThrow(RangeError);
  });
});
