/**
 * An interviewer cannot be in two places at once: a proposed interview session conflicts with any
 * other commitment of one of its interviewers (another application's interview, a code review, a
 * busy block) that overlaps it. Touching ends (10:00-11:00 then 11:00-12:00) do not overlap.
 */
export interface Commitment {
  userId: string;
  what: 'interview' | 'code_review' | 'busy_block' | 'calendar';
  startsAt: Date;
  endsAt: Date;
}

export interface ProposedSlot {
  interviewerIds: string[];
  startsAt: Date;
  endsAt: Date;
}

export interface InterviewerConflict {
  /** 0-based position of the proposed session. */
  session: number;
  userId: string;
  commitment: Commitment;
}

export function interviewerConflicts(proposed: ProposedSlot[], commitments: Commitment[]): InterviewerConflict[] {
  const out: InterviewerConflict[] = [];
  proposed.forEach((p, session) => {
    for (const userId of new Set(p.interviewerIds)) {
      for (const c of commitments) {
        if (c.userId !== userId) continue;
        if (c.startsAt.getTime() < p.endsAt.getTime() && p.startsAt.getTime() < c.endsAt.getTime())
          out.push({ session, userId, commitment: c });
      }
    }
  });
  return out;
}

const WHAT: Record<Commitment['what'], string> = {
  interview: 'another interview',
  code_review: 'a code review',
  busy_block: 'a busy block',
  calendar: 'an event in their calendar',
};

/** "Session 2: Grace Hopper has a code review from 2026-11-24T14:00Z to 2026-11-24T15:00Z." */
export function describeConflict(c: InterviewerConflict, nameOf: (id: string) => string): string {
  const iso = (d: Date) => d.toISOString().replace(/:00\.000Z$/, 'Z');
  return `Session ${c.session + 1}: ${nameOf(c.userId)} has ${WHAT[c.commitment.what]} from ${iso(c.commitment.startsAt)} to ${iso(c.commitment.endsAt)}.`;
}
