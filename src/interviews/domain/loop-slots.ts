import { DateTime } from 'luxon';
import { Commitment, interviewerConflicts } from './interviewer-conflicts';
import { validateLoop } from './loop-rules';

/** One session of a loop the candidate will choose the time of: who, what, how long (in order). */
export interface LoopPlanSession {
  kind: string;
  interviewerIds: string[];
  durationMinutes: number;
}

export interface InterviewerHours {
  timezone: string;
  /** Local "HH:MM" and ISO weekdays (1 = Monday). */
  workingHours: { start: string; end: string; days: number[] };
}

export interface LoopStartsInput {
  plan: readonly LoopPlanSession[];
  /** Between two sessions (at least the loop rule's minimum break). */
  breakMinutes: number;
  candidateTz: string;
  interviewers: ReadonlyMap<string, InterviewerHours>;
  commitments: readonly Commitment[];
  now: Date;
  kinds: readonly string[];
  /** Earliest start after `now`. */
  noticeHours?: number;
  horizonDays?: number;
  stepMinutes?: number;
  limit?: number;
  perDay?: number;
}

export interface LoopOption {
  startsAt: Date;
  endsAt: Date;
  sessions: Array<{ kind: string; interviewerIds: string[]; startsAt: Date; endsAt: Date }>;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Inside the person's working hours and days, and not on a Friday afternoon (their zone). */
function fitsHours(start: Date, end: Date, h: InterviewerHours): boolean {
  const s = DateTime.fromJSDate(start, { zone: h.timezone });
  const e = DateTime.fromJSDate(end, { zone: h.timezone });
  if (!s.isValid || s.toISODate() !== e.minus({ milliseconds: 1 }).toISODate()) return false;
  if (!h.workingHours.days.includes(s.weekday)) return false;
  const sm = s.hour * 60 + s.minute;
  const em = e.hour * 60 + e.minute + (e.second > 0 ? 1 : 0);
  if (sm < minutesOf(h.workingHours.start) || em > minutesOf(h.workingHours.end)) return false;
  return !(s.weekday === 5 && em > 12 * 60);
}

/**
 * Start times the candidate may choose for a whole interview loop: the sessions back to back with
 * `breakMinutes` between them, every session inside each interviewer's working hours, never on a
 * Friday afternoon (candidate's or interviewer's zone), the loop rules holding (candidate's hours,
 * breaks, hours per day, kinds), and nobody on the panel busy. Earliest first, at most `perDay`
 * per candidate-local day and `limit` in all.
 */
export function listLoopStarts(input: LoopStartsInput): LoopOption[] {
  const step = (input.stepMinutes ?? 30) * 60_000;
  const limit = input.limit ?? 12;
  const perDay = input.perDay ?? 3;
  const earliest = input.now.getTime() + (input.noticeHours ?? 24) * 3_600_000;
  const first = Math.ceil(earliest / step) * step;
  const last = input.now.getTime() + (input.horizonDays ?? 14) * 86_400_000;
  const out: LoopOption[] = [];
  const perDayCount = new Map<string, number>();
  if (!input.plan.length) return out;
  for (let t = first; t <= last && out.length < limit; t += step) {
    const start = DateTime.fromMillis(t, { zone: input.candidateTz });
    const day = start.toISODate()!;
    if ((perDayCount.get(day) ?? 0) >= perDay) continue;
    if (start.weekday > 5 || (start.weekday === 5 && start.hour >= 12)) continue;
    const sessions: LoopOption['sessions'] = [];
    let cursor = t;
    for (const p of input.plan) {
      const s = new Date(cursor);
      const e = new Date(cursor + p.durationMinutes * 60_000);
      sessions.push({ kind: p.kind, interviewerIds: p.interviewerIds, startsAt: s, endsAt: e });
      cursor = e.getTime() + input.breakMinutes * 60_000;
    }
    const endsAt = sessions[sessions.length - 1].endsAt;
    const endLocal = DateTime.fromJSDate(endsAt, { zone: input.candidateTz });
    if (endLocal.weekday === 5 && endLocal.hour * 60 + endLocal.minute > 12 * 60) continue;
    if (
      !sessions.every((x) =>
        x.interviewerIds.every((id) => input.interviewers.has(id) && fitsHours(x.startsAt, x.endsAt, input.interviewers.get(id)!)),
      )
    )
      continue;
    if (!validateLoop({ candidateTz: input.candidateTz, sessions, settings: { kinds: input.kinds } }).ok) continue;
    if (interviewerConflicts(sessions, [...input.commitments]).length) continue;
    out.push({ startsAt: sessions[0].startsAt, endsAt, sessions });
    perDayCount.set(day, (perDayCount.get(day) ?? 0) + 1);
    // Options on one day at least two hours apart, so the list spans the week.
    t += 2 * 3_600_000 - step;
  }
  return out;
}
