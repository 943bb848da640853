import { findEarliestSlot, findReviewSlot, SlotSearchInput } from './slot-search';
import { ReviewerProfile, rankReviewers, reviewLoad } from './reviewer-match';

const WEEKDAYS = [1, 2, 3, 4, 5];

function reviewer(id: string, over: Partial<ReviewerProfile> = {}): ReviewerProfile {
  return {
    id,
    languages: ['python'],
    timezone: 'Europe/London',
    workingHours: { start: '09:00', end: '17:00', days: WEEKDAYS },
    sessions: [],
    busy: [],
    ...over,
  };
}

function search(over: Partial<SlotSearchInput> & Pick<SlotSearchInput, 'reviewers'>): ReturnType<typeof findReviewSlot> {
  return findReviewSlot({
    candidate: { timezone: 'Europe/London' },
    language: 'Python',
    now: '2027-03-01T08:00:00Z', // Monday, GMT
    ...over,
  });
}

function okSlot(r: ReturnType<typeof findReviewSlot>): { reviewerId: string; startsAt: string; endsAt: string } {
  if (!r.ok) throw new Error(`expected a slot, got ${r.reason}: ${r.message}`);
  return { reviewerId: r.reviewerId, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString() };
}

describe('reviewer choice', () => {
  it('matches the language case-insensitively and books the earliest slot with a business day of notice', () => {
    const r = search({ reviewers: [reviewer('a', { languages: [' PyThOn '] })], language: 'PYTHON' });
    expect(okSlot(r)).toEqual({ reviewerId: 'a', startsAt: '2027-03-02T09:00:00.000Z', endsAt: '2027-03-02T10:00:00.000Z' });
  });

  it('prefers the least loaded reviewer over the last 14 days', () => {
    const busyA = reviewer('a', {
      sessions: [
        { startsAt: '2027-02-20T10:00:00Z', endsAt: '2027-02-20T11:00:00Z' },
        { startsAt: '2027-02-24T10:00:00Z', endsAt: '2027-02-24T11:00:00Z' },
      ],
    });
    const b = reviewer('b', {
      sessions: [
        { startsAt: '2027-02-10T10:00:00Z', endsAt: '2027-02-10T11:00:00Z' }, // older than 14 days: not counted
        { startsAt: '2027-02-25T10:00:00Z', endsAt: '2027-02-25T11:00:00Z' },
      ],
    });
    expect(reviewLoad(busyA, '2027-03-01T08:00:00Z')).toBe(2);
    expect(reviewLoad(b, '2027-03-01T08:00:00Z')).toBe(1);
    expect(okSlot(search({ reviewers: [busyA, b] })).reviewerId).toBe('b');
  });

  it('breaks load ties by least recently booked (never booked first), then by id', () => {
    const now = '2027-03-01T08:00:00Z';
    const rs = [
      reviewer('d', { lastBookedAt: '2027-02-01T00:00:00Z' }),
      reviewer('c', { lastBookedAt: '2027-01-01T00:00:00Z' }),
      reviewer('b'),
      reviewer('a', { lastBookedAt: null }),
    ];
    expect(rankReviewers(rs, now).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(okSlot(search({ reviewers: rs })).reviewerId).toBe('a');
  });

  it('never picks the candidate’s referrer, even when least loaded', () => {
    const referrer = reviewer('ref');
    const other = reviewer('z', { sessions: [{ startsAt: '2027-02-26T10:00:00Z', endsAt: '2027-02-26T11:00:00Z' }] });
    const r = search({ reviewers: [referrer, other], candidate: { timezone: 'Europe/London', referrerId: 'ref' } });
    expect(okSlot(r).reviewerId).toBe('z');
  });

  it('takes the next reviewer in load order when the least loaded one has no slot', () => {
    const full = reviewer('a', { busy: [{ startsAt: '2027-02-28T00:00:00Z', endsAt: '2027-04-01T00:00:00Z' }] });
    const loaded = reviewer('b', { sessions: [{ startsAt: '2027-02-26T10:00:00Z', endsAt: '2027-02-26T11:00:00Z' }] });
    expect(okSlot(search({ reviewers: [full, loaded] })).reviewerId).toBe('b');
  });
});

describe('failure reasons', () => {
  it('no_reviewer_for_language when nobody lists the language', () => {
    const r = search({ reviewers: [reviewer('a', { languages: ['javascript'] })] });
    expect(r).toMatchObject({ ok: false, reason: 'no_reviewer_for_language' });
    if (!r.ok) expect(r.message).toContain('No engineer lists Python in their reviewer profile');
  });

  it('no_reviewer_for_language when the only reviewer is the referrer, and says so', () => {
    const r = search({ reviewers: [reviewer('ref')], candidate: { timezone: 'Europe/London', referrerId: 'ref' } });
    expect(r).toMatchObject({ ok: false, reason: 'no_reviewer_for_language' });
    if (!r.ok) expect(r.message).toMatch(/referred this candidate/);
  });

  it('no_overlapping_hours when working hours never meet the candidate’s 09:00–18:00', () => {
    // Kolkata 09:00-17:00 = 03:30-11:30 UTC; Los Angeles 09:00-18:00 = 17:00-02:00 UTC (PST).
    const r = search({
      reviewers: [reviewer('a', { timezone: 'Asia/Kolkata' }), reviewer('b', { timezone: 'Asia/Kolkata' })],
      candidate: { timezone: 'America/Los_Angeles' },
    });
    expect(r).toMatchObject({ ok: false, reason: 'no_overlapping_hours' });
    if (!r.ok) expect(r.message).toMatch(/None of the 2 engineers who review Python/);
  });

  it('no_overlapping_hours when the overlap is shorter than the session', () => {
    const r = search({
      reviewers: [reviewer('a', { workingHours: { start: '17:15', end: '20:00', days: WEEKDAYS } })],
      candidate: { timezone: 'Europe/London' },
    });
    expect(r).toMatchObject({ ok: false, reason: 'no_overlapping_hours' });
    expect(
      okSlot(
        search({
          reviewers: [reviewer('a', { workingHours: { start: '17:00', end: '20:00', days: WEEKDAYS } })],
        }),
      ).startsAt,
    ).toBe('2027-03-02T17:00:00.000Z');
  });

  it('no_overlapping_hours when the reviewer only works weekends', () => {
    const r = search({ reviewers: [reviewer('a', { workingHours: { start: '09:00', end: '17:00', days: [6, 7] } })] });
    expect(r).toMatchObject({ ok: false, reason: 'no_overlapping_hours' });
  });

  it('all_reviewers_full when hours overlap but every slot is taken', () => {
    const r = search({
      reviewers: [
        reviewer('a', { busy: [{ startsAt: '2027-03-01T00:00:00Z', endsAt: '2027-03-31T00:00:00Z' }] }),
        reviewer('b', { busy: [{ startsAt: '2027-03-01T00:00:00Z', endsAt: '2027-03-31T00:00:00Z' }] }),
      ],
    });
    expect(r).toMatchObject({ ok: false, reason: 'all_reviewers_full' });
    if (!r.ok) expect(r.message).toMatch(/All 2 engineers who review Python are fully booked/);
  });
});

describe('slot rules', () => {
  it('keeps a 15-minute buffer on each side of other sessions and busy blocks (exactly 15 is fine)', () => {
    const a = reviewer('a', {
      sessions: [{ startsAt: '2027-03-02T08:00:00Z', endsAt: '2027-03-02T10:00:00Z' }],
      busy: [{ startsAt: '2027-03-02T11:30:00Z', endsAt: '2027-03-02T17:00:00Z' }],
    });
    // 10:00 violates the buffer after the session; 10:15-11:15 leaves exactly 15 minutes before 11:30.
    expect(okSlot(search({ reviewers: [a] })).startsAt).toBe('2027-03-02T10:15:00.000Z');
    const b = reviewer('a', {
      sessions: [{ startsAt: '2027-03-02T08:00:00Z', endsAt: '2027-03-02T10:00:00Z' }],
      busy: [{ startsAt: '2027-03-02T11:14:00Z', endsAt: '2027-03-02T17:00:00Z' }],
    });
    expect(okSlot(search({ reviewers: [b] })).startsAt).toBe('2027-03-03T09:00:00.000Z');
  });

  it('allows at most 2 reviews per reviewer-local day', () => {
    const a = reviewer('a', {
      sessions: [
        { startsAt: '2027-03-02T09:00:00Z', endsAt: '2027-03-02T10:00:00Z' },
        { startsAt: '2027-03-02T13:00:00Z', endsAt: '2027-03-02T14:00:00Z' },
      ],
    });
    expect(okSlot(search({ reviewers: [a] })).startsAt).toBe('2027-03-03T09:00:00.000Z');
    const one = reviewer('a', { sessions: [{ startsAt: '2027-03-02T09:00:00Z', endsAt: '2027-03-02T10:00:00Z' }] });
    expect(okSlot(search({ reviewers: [one] })).startsAt).toBe('2027-03-02T10:15:00.000Z');
  });

  it('counts the per-day limit in the reviewer’s own day, not the UTC day', () => {
    // 19:00 and 20:00 UTC on Monday are Tuesday 00:30 and 01:30 in Kolkata.
    const a = reviewer('a', {
      timezone: 'Asia/Kolkata',
      sessions: [
        { startsAt: '2027-03-01T19:00:00Z', endsAt: '2027-03-01T19:30:00Z' },
        { startsAt: '2027-03-01T20:00:00Z', endsAt: '2027-03-01T20:30:00Z' },
      ],
    });
    // Kolkata 09:00-17:00 = 03:30-11:30 UTC; London 09:00-18:00 GMT = 09:00-18:00 UTC.
    const slot = okSlot(search({ reviewers: [a] }));
    expect(slot.startsAt).toBe('2027-03-03T09:00:00.000Z');
  });

  it('requires one business day of notice: Friday afternoon -> Monday, Saturday -> Monday', () => {
    const a = reviewer('a');
    expect(okSlot(search({ reviewers: [a], now: '2027-03-05T15:00:00Z' })).startsAt).toBe('2027-03-08T09:00:00.000Z');
    expect(okSlot(search({ reviewers: [a], now: '2027-03-06T10:00:00Z' })).startsAt).toBe('2027-03-08T09:00:00.000Z');
    expect(okSlot(search({ reviewers: [a], now: '2027-03-01T08:00:00Z', settings: { minNoticeBusinessDays: 0 } })).startsAt).toBe(
      '2027-03-01T09:00:00.000Z',
    );
  });

  it('never books Friday afternoon (a 11:00-12:00 Friday slot is fine, 11:15 is not)', () => {
    const busyMonThu = { startsAt: '2027-03-08T00:00:00Z', endsAt: '2027-03-12T00:00:00Z' };
    const a = reviewer('a', { busy: [busyMonThu, { startsAt: '2027-03-12T00:00:00Z', endsAt: '2027-03-12T10:45:00Z' }] });
    // now Friday 5 March -> first business day is Monday 8 March.
    expect(okSlot(search({ reviewers: [a], now: '2027-03-05T12:00:00Z' })).startsAt).toBe('2027-03-12T11:00:00.000Z');
    const b = reviewer('a', { busy: [busyMonThu, { startsAt: '2027-03-12T00:00:00Z', endsAt: '2027-03-12T11:00:00Z' }] });
    expect(okSlot(search({ reviewers: [b], now: '2027-03-05T12:00:00Z' })).startsAt).toBe('2027-03-15T09:00:00.000Z');
  });

  it('honours Friday afternoon in the candidate’s zone too', () => {
    // Reviewer in New York works 06:00-17:00; candidate in London. Friday 12 March 2027 (both on standard time):
    // NY 06:00-07:00 = London 11:00-12:00 is the only Friday slot.
    const a = reviewer('a', {
      timezone: 'America/New_York',
      workingHours: { start: '06:00', end: '17:00', days: WEEKDAYS },
      busy: [{ startsAt: '2027-03-08T00:00:00Z', endsAt: '2027-03-12T00:00:00Z' }],
    });
    expect(okSlot(search({ reviewers: [a], now: '2027-03-05T12:00:00Z' })).startsAt).toBe('2027-03-12T11:00:00.000Z');
  });

  it('searches no more than 10 business days ahead', () => {
    const a = reviewer('a', { busy: [{ startsAt: '2027-03-01T00:00:00Z', endsAt: '2027-03-15T17:00:00Z' }] });
    // Business days 1..10 after Mon 1 March are 2..15 March; the 15th is blocked until 17:00.
    expect(search({ reviewers: [a] })).toMatchObject({ ok: false, reason: 'all_reviewers_full' });
    expect(okSlot(search({ reviewers: [a], settings: { searchBusinessDays: 11 } })).startsAt).toBe('2027-03-16T09:00:00.000Z');
  });

  it('uses a 15-minute UTC grid even for half-hour zones', () => {
    const a = reviewer('a', { timezone: 'Asia/Kathmandu', workingHours: { start: '09:00', end: '23:00', days: WEEKDAYS } });
    // Kathmandu is UTC+5:45; London candidate hours start 09:00 UTC.
    const s = okSlot(search({ reviewers: [a] }));
    expect(s.startsAt).toBe('2027-03-02T09:00:00.000Z');
    const b = reviewer('b', { timezone: 'Asia/Kathmandu', workingHours: { start: '15:00', end: '23:00', days: WEEKDAYS } });
    expect(okSlot(search({ reviewers: [b] })).startsAt).toBe('2027-03-02T09:15:00.000Z');
  });

  it('supports other durations and exposes the single-reviewer search', () => {
    const a = reviewer('a', { sessions: [{ startsAt: '2027-03-02T10:00:00Z', endsAt: '2027-03-02T11:00:00Z' }] });
    // 90 minutes from 09:00 would run into the buffer before 10:00.
    const slot = findEarliestSlot({
      reviewer: a,
      candidate: { timezone: 'Europe/London' },
      durationMinutes: 90,
      now: '2027-03-01T08:00:00Z',
    });
    expect(slot?.startsAt.toISOString()).toBe('2027-03-02T11:15:00.000Z');
    expect(slot?.endsAt.toISOString()).toBe('2027-03-02T12:45:00.000Z');
  });

  it('rejects an unknown time zone loudly', () => {
    expect(() => search({ reviewers: [reviewer('a', { timezone: 'Mars/Olympus' })] })).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });
});

describe('daylight saving time', () => {
  it('follows the wall clock across the US spring-forward', () => {
    const a = reviewer('a', { timezone: 'America/New_York' });
    // Friday 12 March 2027 (EST); Monday 15 March is EDT, so 09:00 local is 13:00 UTC, not 14:00.
    const r = search({ reviewers: [a], candidate: { timezone: 'America/New_York' }, now: '2027-03-12T15:00:00Z' });
    expect(okSlot(r).startsAt).toBe('2027-03-15T13:00:00.000Z');
  });

  it('finds a two-hour overlap only in the weeks when the US has switched and Europe has not', () => {
    // London 09:00-15:00: GMT = 09-15 UTC, BST (from 28 March) = 08-14 UTC.
    // New York 09:00-18:00: EST = 14-23 UTC, EDT (from 14 March) = 13-22 UTC.
    // Overlap: 1 h before 14 March, 2 h from 15 to 26 March, 1 h after 28 March.
    const a = reviewer('a', { workingHours: { start: '09:00', end: '15:00', days: WEEKDAYS } });
    const input = { reviewers: [a], candidate: { timezone: 'America/New_York' }, durationMinutes: 120 };
    expect(okSlot(search({ ...input, now: '2027-03-08T12:00:00Z' }))).toMatchObject({
      startsAt: '2027-03-15T13:00:00.000Z',
      endsAt: '2027-03-15T15:00:00.000Z',
    });
    expect(search({ ...input, now: '2027-03-29T12:00:00Z' })).toMatchObject({ ok: false, reason: 'no_overlapping_hours' });
    expect(okSlot(search({ ...input, durationMinutes: 60, now: '2027-03-29T12:00:00Z' })).startsAt).toBe('2027-03-30T13:00:00.000Z');
  });

  it('handles the southern-hemisphere autumn change (Adelaide, 4 April 2027)', () => {
    // Adelaide: ACDT (+10:30) until Sunday 4 April 2027 03:00, then ACST (+9:30).
    const a = reviewer('a', { timezone: 'Australia/Adelaide' });
    const r = search({ reviewers: [a], candidate: { timezone: 'Australia/Adelaide' }, now: '2027-04-02T00:00:00Z' });
    // Monday 5 April 09:00 ACST = Sunday 4 April 23:30 UTC.
    expect(okSlot(r).startsAt).toBe('2027-04-04T23:30:00.000Z');
  });
});
