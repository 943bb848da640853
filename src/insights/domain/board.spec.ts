import { assessCard } from './board';

const base = {
  stageEnteredAt: new Date('2027-01-04T09:00:00Z'), // Monday
  candidateTz: 'UTC',
  openingTz: 'UTC',
  holidays: [] as string[],
  contactSlaBusinessDays: 3,
  staleAfterBusinessDays: 5,
};

describe('assessCard', () => {
  it.each([
    ['2027-01-04T09:00:00Z', 0, 'ok'],
    ['2027-01-05T08:59:00Z', 0, 'ok'], // contact due Thu 09:00, next business day is Wed
    ['2027-01-06T09:00:00Z', 2, 'due_soon'], // Thu 09:00 is exactly one business day away
    ['2027-01-07T08:59:00Z', 2, 'due_soon'],
    ['2027-01-07T09:00:00Z', 3, 'late'],
  ])('at %s: %d business days in stage, %s', (now, days, state) => {
    const a = assessCard({ ...base, now: new Date(now) });
    expect(a.businessDaysInStage).toBe(days);
    expect(a.state).toBe(state);
    expect(a.deadline).toBe('contact');
  });

  it('a recent contact moves the check-in; the stale threshold then decides', () => {
    const a = assessCard({ ...base, lastContactAt: new Date('2027-01-08T09:00:00Z'), now: new Date('2027-01-10T12:00:00Z') }); // Sunday
    // contact due Wed 13th 09:00; stale at Mon 11th 09:00 (5 business days) -> next business day from Sunday noon is Monday noon
    expect(a.deadline).toBe('stale');
    expect(a.staleAt.toISOString()).toBe('2027-01-11T09:00:00.000Z');
    expect(a.state).toBe('due_soon');
    expect(a.businessDaysInStage).toBe(4);
  });

  it('skips weekends when counting down to a deadline', () => {
    // Entered Wednesday 09:00 -> contact due Monday 09:00. Friday 10:00 + 1 business day = Monday 10:00 >= due -> due soon.
    const a = assessCard({ ...base, stageEnteredAt: new Date('2027-01-06T09:00:00Z'), now: new Date('2027-01-08T10:00:00Z') });
    expect(a.contactDueAt.toISOString()).toBe('2027-01-11T09:00:00.000Z');
    expect(a.state).toBe('due_soon');
    const earlier = assessCard({ ...base, stageEnteredAt: new Date('2027-01-06T09:00:00Z'), now: new Date('2027-01-07T08:00:00Z') });
    expect(earlier.state).toBe('ok');
  });

  it('counts the contact SLA in the candidate time zone', () => {
    // Entered Friday 2027-01-08 20:00Z = Saturday 05:00 in Tokyo: due Wednesday 05:00 JST = Tuesday 20:00Z.
    const a = assessCard({
      ...base,
      candidateTz: 'Asia/Tokyo',
      stageEnteredAt: new Date('2027-01-08T20:00:00Z'),
      now: new Date('2027-01-12T20:00:00Z'),
    });
    expect(a.contactDueAt.toISOString()).toBe('2027-01-12T20:00:00.000Z');
    expect(a.state).toBe('late');
  });
});
