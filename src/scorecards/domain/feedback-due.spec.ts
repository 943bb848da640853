import { addBusinessHours, feedbackState } from './feedback-due';

describe('feedback due in business hours', () => {
  it('counts only business days: Friday 16:00 + 24 h is Monday 16:00', () => {
    expect(addBusinessHours(new Date('2027-03-05T16:00:00Z'), 24, 'UTC').toISOString()).toBe('2027-03-08T16:00:00.000Z');
  });
  it('a session ending on Saturday starts the clock on Monday morning', () => {
    expect(addBusinessHours(new Date('2027-03-06T10:00:00Z'), 8, 'UTC').toISOString()).toBe('2027-03-08T08:00:00.000Z');
  });
  it("skips holidays in the filer's zone", () => {
    expect(addBusinessHours(new Date('2027-03-01T12:00:00Z'), 24, 'UTC', ['2027-03-02']).toISOString()).toBe('2027-03-03T12:00:00.000Z');
  });
  it("works in the filer's time zone", () => {
    // Friday 20:00 in New York is Saturday 01:00 UTC: four hours of Friday count, then Monday.
    expect(addBusinessHours(new Date('2027-03-06T01:00:00Z'), 8, 'America/New_York').toISOString()).toBe('2027-03-08T09:00:00.000Z');
  });
  it('is late exactly at the due instant, escalates at twice the allowance', () => {
    const ended = new Date('2027-03-01T12:00:00Z'); // Monday
    const st = (iso: string) => feedbackState({ sessionEndedAt: ended, now: new Date(iso), dueBusinessHours: 24, tz: 'UTC' });
    expect(st('2027-03-02T11:59:59Z')).toBe('not_due');
    expect(st('2027-03-02T12:00:00Z')).toBe('late');
    expect(st('2027-03-03T11:59:00Z')).toBe('late');
    expect(st('2027-03-03T12:00:00Z')).toBe('escalate');
  });
  it('a weekend does not make feedback late', () => {
    const ended = new Date('2027-03-05T15:00:00Z'); // Friday
    expect(feedbackState({ sessionEndedAt: ended, now: new Date('2027-03-07T23:00:00Z'), dueBusinessHours: 24, tz: 'UTC' })).toBe(
      'not_due',
    );
  });
  it('refuses an unknown zone', () => {
    expect(() => addBusinessHours(new Date(), 1, 'Nowhere/Land')).toThrow(/Unknown time zone/);
  });
});
