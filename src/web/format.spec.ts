import { describeEvent, formatTime, fromLocalInput, humanize, roleName, stageName, toLocalInput } from './format';

const stages = [
  { key: 'recruiter_screen', name: 'Recruiter screen' },
  { key: 'manager_call', name: 'Hiring manager call' },
  { key: 'take_home', name: 'Take-home coding test' },
];

describe('plain words for pages', () => {
  it("writes an instant in the viewer's zone and names the zone", () => {
    expect(formatTime('2027-02-10T12:00:00Z', 'Europe/Berlin')).toBe('Wed 10 Feb 2027, 13:00 (Europe/Berlin)');
    expect(formatTime(new Date('2027-07-10T12:00:00Z'), 'America/New_York')).toBe('Sat 10 Jul 2027, 08:00 (America/New_York)');
    expect(formatTime('2027-02-10T12:00:00Z', 'Not/AZone')).toBe('Wed 10 Feb 2027, 12:00 (UTC)');
    expect(formatTime(null, 'UTC')).toBe('');
  });

  it("reads a datetime-local value in the viewer's zone and writes one back", () => {
    expect(fromLocalInput('2027-03-03T14:00', 'Europe/Berlin')).toBe('2027-03-03T13:00:00Z');
    expect(fromLocalInput('', 'UTC')).toBeNull();
    expect(toLocalInput(new Date('2027-03-03T13:00:00Z'), 'Europe/Berlin')).toBe('2027-03-03T14:00');
  });

  it('names stages, roles and keys without showing the key', () => {
    expect(stageName('manager_call', stages)).toBe('Hiring manager call');
    expect(stageName('team_interviews', stages)).toBe('Team interviews');
    expect(roleName('hiring_manager')).toBe('Hiring manager');
    expect(humanize('message.queued')).toBe('Message queued');
  });

  it('turns timeline events into sentences with stage names', () => {
    const at = '2027-02-10T12:00:00Z';
    const actor = { kind: 'user', id: 'u1' };
    expect(
      describeEvent(
        { type: 'stage.changed', at, actor, data: { from: 'recruiter_screen', to: 'manager_call', kind: 'forward', skipped: [] } },
        { stages },
      ),
    ).toBe('Moved from Recruiter screen to Hiring manager call');
    expect(
      describeEvent(
        {
          type: 'stage.changed',
          at,
          actor,
          data: { from: 'manager_call', to: 'recruiter_screen', kind: 'back', skipped: [], note: 'oops' },
        },
        { stages },
      ),
    ).toBe('Moved back from Hiring manager call to Recruiter screen (“oops”)');
    expect(describeEvent({ type: 'message.queued', at, actor, data: { template: 'first_contact', subject: 'Hello' } })).toBe(
      'Message “Hello” written to the candidate',
    );
    expect(
      describeEvent({ type: 'application.rejected', at, actor, data: { stage: 'take_home', reason: 'Prefers frontend' } }, { stages }),
    ).toBe('Rejected in Take-home coding test (“Prefers frontend”)');
    expect(describeEvent({ type: 'submission.graded', at, actor, data: { passed: 7, total: 9 } })).toBe(
      'Take-home graded: 7 of 9 tests passed',
    );
    expect(describeEvent({ type: 'something.new', at, actor, data: {} })).toBe('Something new');
  });
});
