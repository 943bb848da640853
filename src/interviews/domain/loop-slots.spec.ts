import { listLoopStarts } from './loop-slots';

const hours = (timezone: string) => ({ timezone, workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } });
const local = (d: Date, zone: string) =>
  new Intl.DateTimeFormat('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: zone }).format(d);

describe('listLoopStarts: whole-loop start times a candidate may choose', () => {
  const base = {
    plan: [
      { kind: 'pairing', interviewerIds: ['a'], durationMinutes: 60 },
      { kind: 'team_conversation', interviewerIds: ['b'], durationMinutes: 45 },
    ],
    breakMinutes: 15,
    candidateTz: 'Europe/London',
    interviewers: new Map([
      ['a', hours('Europe/Berlin')],
      ['b', hours('America/New_York')],
    ]),
    commitments: [],
    now: new Date('2027-03-01T08:00:00Z'), // Monday
    kinds: ['pairing', 'team_conversation'],
  };

  it('keeps every session inside each interviewer’s hours with the break between, never on a Friday afternoon', () => {
    const options = listLoopStarts(base);
    expect(options.length).toBeGreaterThanOrEqual(4);
    for (const o of options) {
      const [s1, s2] = o.sessions;
      expect(s2.startsAt.getTime() - s1.endsAt.getTime()).toBe(15 * 60_000);
      // New York opens at 09:00 = 14:00 London; Berlin closes at 17:00 = 16:00 London.
      expect(Number(local(s2.startsAt, 'America/New_York').slice(-5, -3))).toBeGreaterThanOrEqual(9);
      expect(Number(local(s1.startsAt, 'Europe/Berlin').slice(-5, -3))).toBeGreaterThanOrEqual(9);
      expect(
        Number(local(s1.endsAt, 'Europe/Berlin').slice(-5, -3)) * 60 + Number(local(s1.endsAt, 'Europe/Berlin').slice(-2)),
      ).toBeLessThanOrEqual(17 * 60);
      expect(local(o.startsAt, 'Europe/London').startsWith('Fri')).toBe(false); // pairing 13:xx–14:xx Berlin cannot sit before Friday noon with NY after 09:00
      expect(o.startsAt.getTime()).toBeGreaterThanOrEqual(base.now.getTime() + 24 * 3_600_000);
    }
  });

  it('leaves out times when someone on the panel is busy, and finds nothing when the hours never overlap', () => {
    const all = listLoopStarts(base);
    const taken = all[0];
    const busy = listLoopStarts({
      ...base,
      commitments: [{ userId: 'b', what: 'calendar', startsAt: taken.sessions[1].startsAt, endsAt: taken.sessions[1].endsAt }],
    });
    expect(busy.map((o) => o.startsAt.getTime())).not.toContain(taken.startsAt.getTime());
    const apart = listLoopStarts({
      ...base,
      interviewers: new Map([
        ['a', hours('Asia/Tokyo')],
        ['b', hours('America/Los_Angeles')],
      ]),
    });
    expect(apart).toEqual([]);
  });
});
