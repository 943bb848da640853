import { DateTime } from 'luxon';
import { DigestAlert, assessStaleness, groupDigest, staleAlertKey, staleLevel } from './stale';

const at = (isoLocal: string, tz: string): Date => DateTime.fromISO(isoLocal, { zone: tz }).toJSDate();

describe('staleLevel', () => {
  const tz = 'America/Chicago';
  const entered = '2024-06-03T09:00'; // Monday
  it.each<[string, string, number, string[], 'none' | 'stale' | 'escalated']>([
    ['same day', '2024-06-03T17:00', 5, [], 'none'],
    ['4 business days', '2024-06-07T09:00', 5, [], 'none'],
    ['a weekend does not count', '2024-06-09T23:00', 5, [], 'none'],
    ['one minute before 5 business days', '2024-06-10T08:59', 5, [], 'none'],
    ['exactly 5 business days', '2024-06-10T09:00', 5, [], 'stale'],
    ['9 business days', '2024-06-14T09:00', 5, [], 'stale'],
    ['exactly 10 business days (twice)', '2024-06-17T09:00', 5, [], 'escalated'],
    ['long forgotten', '2024-09-01T09:00', 5, [], 'escalated'],
    ['holiday delays staleness', '2024-06-10T09:00', 5, ['2024-06-05'], 'none'],
    ['holiday then stale a day later', '2024-06-11T09:00', 5, ['2024-06-05'], 'stale'],
    ['threshold 1: next business day', '2024-06-04T09:00', 1, [], 'stale'],
    ['threshold 1: two business days escalates', '2024-06-05T09:00', 1, [], 'escalated'],
    ['now before entry (clock skew)', '2024-06-01T09:00', 5, [], 'none'],
  ])('%s', (_name, now, threshold, holidays, expected) => {
    expect(staleLevel({ stageEnteredAt: at(entered, tz), now: at(now, tz), staleAfterBusinessDays: threshold, tz, holidays })).toBe(
      expected,
    );
  });

  it('counts in the hiring manager time zone: Tokyo vs Los Angeles', () => {
    const stageEnteredAt = new Date('2024-06-06T23:30:00Z'); // Thu 16:30 LA, Fri 08:30 Tokyo
    const now = new Date('2024-06-07T23:30:00Z'); // Fri 16:30 LA, Sat 08:30 Tokyo
    const base = { stageEnteredAt, now, staleAfterBusinessDays: 1, holidays: [] };
    expect(staleLevel({ ...base, tz: 'America/Los_Angeles' })).toBe('stale');
    expect(staleLevel({ ...base, tz: 'Asia/Tokyo' })).toBe('none');
  });

  it('assessStaleness tells when it turns stale and escalates', () => {
    const tz2 = 'UTC';
    const r = assessStaleness({
      stageEnteredAt: at('2024-06-06T12:00', tz2),
      now: at('2024-06-10T12:00', tz2),
      staleAfterBusinessDays: 3,
      tz: tz2,
      holidays: [],
    });
    expect(r).toEqual({
      level: 'none',
      businessDaysInStage: 2,
      staleAt: at('2024-06-11T12:00', tz2),
      escalatesAt: at('2024-06-14T12:00', tz2),
    });
  });

  it.each([0, -2, 2.5])('rejects a threshold of %p', (n) => {
    expect(() => staleLevel({ stageEnteredAt: new Date(), now: new Date(), staleAfterBusinessDays: n, tz: 'UTC', holidays: [] })).toThrow(
      RangeError,
    );
  });

  it('staleAlertKey distinguishes level and stage visit', () => {
    expect(staleAlertKey('a1', 'v1', 'stale')).toBe('stale:a1:v1:stale');
    expect(
      new Set([staleAlertKey('a1', 'v1', 'stale'), staleAlertKey('a1', 'v1', 'escalated'), staleAlertKey('a1', 'v2', 'stale')]).size,
    ).toBe(3);
  });
});

describe('groupDigest', () => {
  const d = (iso: string) => new Date(iso);
  const alerts: (DigestAlert & { candidateName: string })[] = [
    { hiringManagerId: 'hm-b', applicationId: 'a3', stageEnteredAt: d('2024-06-05T00:00:00Z'), level: 'stale', candidateName: 'Cy' },
    { hiringManagerId: 'hm-a', applicationId: 'a2', stageEnteredAt: d('2024-06-04T00:00:00Z'), level: 'stale', candidateName: 'Bo' },
    { hiringManagerId: 'hm-a', applicationId: 'a1', stageEnteredAt: d('2024-05-20T00:00:00Z'), level: 'escalated', candidateName: 'Al' },
    { hiringManagerId: 'hm-b', applicationId: 'a4', stageEnteredAt: d('2024-06-05T00:00:00Z'), level: 'escalated', candidateName: 'Di' },
    { hiringManagerId: 'hm-c', applicationId: 'a5', stageEnteredAt: d('2024-06-01T00:00:00Z'), level: 'none', candidateName: 'Ed' },
  ];

  it('groups per hiring manager, oldest first, with counts, dropping level none', () => {
    const groups = groupDigest(alerts);
    expect(groups.map((g) => [g.hiringManagerId, g.alerts.map((a) => a.applicationId), g.staleCount, g.escalatedCount])).toEqual([
      ['hm-a', ['a1', 'a2'], 1, 1],
      ['hm-b', ['a3', 'a4'], 1, 1], // same entry time: tie broken by application id
    ]);
    expect(groups[0].alerts[0].candidateName).toBe('Al'); // extra fields preserved
  });

  it('does not mutate its input and handles empty input', () => {
    const copy = [...alerts];
    groupDigest(alerts);
    expect(alerts).toEqual(copy);
    expect(groupDigest([])).toEqual([]);
  });
});
