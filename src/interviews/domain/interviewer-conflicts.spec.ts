import { Commitment, describeConflict, interviewerConflicts } from './interviewer-conflicts';

const at = (hhmm: string) => new Date(`2026-11-24T${hhmm}:00Z`);
const review: Commitment = { userId: 'grace', what: 'code_review', startsAt: at('14:00'), endsAt: at('15:00') };
const busy: Commitment = { userId: 'alan', what: 'busy_block', startsAt: at('09:00'), endsAt: at('12:00') };

describe('interviewerConflicts', () => {
  it('finds each interviewer whose other commitment overlaps a proposed session', () => {
    const found = interviewerConflicts(
      [
        { interviewerIds: ['grace', 'alan'], startsAt: at('14:30'), endsAt: at('15:30') },
        { interviewerIds: ['alan'], startsAt: at('11:00'), endsAt: at('12:30') },
      ],
      [review, busy],
    );
    expect(found.map((c) => [c.session, c.userId, c.commitment.what])).toEqual([
      [0, 'grace', 'code_review'],
      [1, 'alan', 'busy_block'],
    ]);
  });

  it('touching ends, other people and free time are no conflict', () => {
    expect(interviewerConflicts([{ interviewerIds: ['grace'], startsAt: at('15:00'), endsAt: at('16:00') }], [review])).toEqual([]);
    expect(interviewerConflicts([{ interviewerIds: ['grace'], startsAt: at('13:00'), endsAt: at('14:00') }], [review])).toEqual([]);
    expect(interviewerConflicts([{ interviewerIds: ['ada'], startsAt: at('14:00'), endsAt: at('15:00') }], [review, busy])).toEqual([]);
  });

  it('a session inside or around the commitment conflicts; a repeated interviewer id counts once', () => {
    expect(
      interviewerConflicts([{ interviewerIds: ['grace', 'grace'], startsAt: at('14:15'), endsAt: at('14:45') }], [review]),
    ).toHaveLength(1);
    expect(interviewerConflicts([{ interviewerIds: ['grace'], startsAt: at('13:00'), endsAt: at('16:00') }], [review])).toHaveLength(1);
  });

  it('says who, what and when', () => {
    const [c] = interviewerConflicts([{ interviewerIds: ['grace'], startsAt: at('14:30'), endsAt: at('15:30') }], [review]);
    expect(describeConflict(c, () => 'Grace Hopper')).toBe(
      'Session 1: Grace Hopper has a code review from 2026-11-24T14:00Z to 2026-11-24T15:00Z.',
    );
  });
});
