/**
 * Interview loop rules. Each refusal names its rule so the UI can point at it; the messages
 * explain why in the article's terms (few interviewers, breaks, short days, no culture-fit).
 */
import { DateTime } from 'luxon';
import { Instant, assertZone, formatClock, formatDuration, parseClock, toMillis } from './local-time';

export const DEFAULT_INTERVIEW_KINDS = [
  'pairing',
  'system_design',
  'team_conversation',
  'cross_team_conversation',
  'manager_conversation',
] as const;

export type DefaultInterviewKind = (typeof DEFAULT_INTERVIEW_KINDS)[number];

/** The article's reason, quoted, for refusing a culture-fit interview. */
export const CULTURE_FIT_REASON =
  'Interviewing with the goal of culture fit is a fast way to a homogeneous team. ' +
  'Instead, make sure the candidate and the team are able to communicate well with one another ' +
  '(for example with a team_conversation).';

export interface LoopSession {
  id?: string;
  kind: string;
  interviewerIds: string[];
  startsAt: Instant;
  endsAt: Instant;
}

export interface LoopSettings {
  /** Distinct interviewers per candidate, over the whole loop. */
  maxInterviewers: number;
  /** Interviewers in one session. */
  maxPerSession: number;
  /** Minimum break between two sessions on the same (candidate-local) day. */
  minBreakMinutes: number;
  /** From the first start to the last end of a candidate-local day, lunch and breaks included. */
  maxHoursPerDay: number;
  candidateHours: { start: string; end: string };
  /** Allowed kinds (normalised: lower case, words joined by "_"). */
  kinds: readonly string[];
}

export const DEFAULT_LOOP_SETTINGS: Readonly<LoopSettings> = Object.freeze({
  maxInterviewers: 4,
  maxPerSession: 2,
  minBreakMinutes: 15,
  maxHoursPerDay: 4,
  candidateHours: Object.freeze({ start: '09:00', end: '18:00' }),
  kinds: DEFAULT_INTERVIEW_KINDS,
});

export type LoopRule =
  | 'culture_fit'
  | 'unknown_kind'
  | 'invalid_time'
  | 'no_interviewer'
  | 'max_per_session'
  | 'max_interviewers'
  | 'candidate_hours'
  | 'min_break'
  | 'max_hours_per_day';

export interface LoopViolation {
  rule: LoopRule;
  message: string;
  /** The sessions concerned: their ids, or "#n" (1-based position) for sessions without an id. */
  sessionIds?: string[];
}

export type LoopValidation = { ok: true } | { ok: false; violations: LoopViolation[] };

export type LoopSettingsInput = Partial<Omit<LoopSettings, 'candidateHours'>> & {
  candidateHours?: Partial<LoopSettings['candidateHours']>;
};

export interface ValidateLoopInput {
  candidateTz: string;
  sessions: readonly LoopSession[];
  settings?: LoopSettingsInput;
}

/** "Culture Fit", "culture-fit", " System  Design " -> "culture_fit", "system_design". */
export function normalizeKind(kind: string): string {
  return kind
    .trim()
    .toLowerCase()
    .replace(/[\s\-./]+/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Any spelling of a culture-fit interview: culture_fit, "Culture Fit", culture-fit, cultural fit, CultureFit ... */
export function isCultureFitKind(kind: string): boolean {
  const letters = kind.toLowerCase().replace(/[^a-z]/g, '');
  return /cultur(e|al)?fit/.test(letters) || /fitcultur/.test(letters);
}

export function resolveLoopSettings(input?: LoopSettingsInput): LoopSettings {
  return {
    ...DEFAULT_LOOP_SETTINGS,
    ...(input ?? {}),
    candidateHours: { ...DEFAULT_LOOP_SETTINGS.candidateHours, ...(input?.candidateHours ?? {}) },
  };
}

interface Timed {
  index: number;
  label: string;
  ref: string;
  start: number;
  end: number;
  day: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function validateLoop(input: ValidateLoopInput): LoopValidation {
  const s = resolveLoopSettings(input.settings);
  const tz = input.candidateTz;
  assertZone(tz, 'the candidate');
  const hoursStart = parseClock(s.candidateHours.start, 'candidate hours start');
  const hoursEnd = parseClock(s.candidateHours.end, 'candidate hours end');
  const allowed = new Set(s.kinds.map(normalizeKind));
  const violations: LoopViolation[] = [];
  const timed: Timed[] = [];

  input.sessions.forEach((session, index) => {
    const ref = session.id ?? `#${index + 1}`;
    const label = session.id ? `Session ${session.id}` : `Session ${index + 1}`;
    const kind = normalizeKind(session.kind);
    if (isCultureFitKind(session.kind)) {
      violations.push({
        rule: 'culture_fit',
        sessionIds: [ref],
        message: `${label} is a "${session.kind}" interview, which is not allowed. ${CULTURE_FIT_REASON}`,
      });
    } else if (!allowed.has(kind)) {
      violations.push({
        rule: 'unknown_kind',
        sessionIds: [ref],
        message: `${label} has an unknown interview kind "${session.kind}". Use one of: ${[...allowed].join(', ')}.`,
      });
    }

    const interviewers = new Set(session.interviewerIds);
    if (interviewers.size === 0) {
      violations.push({ rule: 'no_interviewer', sessionIds: [ref], message: `${label} has no interviewer.` });
    } else if (interviewers.size > s.maxPerSession) {
      violations.push({
        rule: 'max_per_session',
        sessionIds: [ref],
        message:
          `${label} has ${interviewers.size} interviewers; at most ${s.maxPerSession} may join one session, ` +
          'so the candidate does not face a panel. Trust your team to interview separately.',
      });
    }

    const start = toMillis(session.startsAt, `${label} start`);
    const end = toMillis(session.endsAt, `${label} end`);
    if (end <= start) {
      violations.push({ rule: 'invalid_time', sessionIds: [ref], message: `${label} ends before it starts.` });
      return;
    }
    const ls = DateTime.fromMillis(start, { zone: tz });
    const le = DateTime.fromMillis(end, { zone: tz });
    const startMin = ls.hour * 60 + ls.minute + ls.second / 60;
    const nextMidnight = ls.startOf('day').plus({ days: 1 }).toMillis();
    const endMin = le.hasSame(ls, 'day') ? le.hour * 60 + le.minute + le.second / 60 : end === nextMidnight ? 24 * 60 : Infinity;
    if (startMin < hoursStart || endMin > hoursEnd) {
      violations.push({
        rule: 'candidate_hours',
        sessionIds: [ref],
        message:
          `${label} runs ${ls.toFormat('HH:mm')}–${le.toFormat('HH:mm')} in the candidate's time zone (${tz}); ` +
          `interviews must fit within ${formatClock(hoursStart)}–${formatClock(hoursEnd)} there.`,
      });
    }
    timed.push({ index, label, ref, start, end, day: ls.toISODate()! });
  });

  const everyone = new Set(input.sessions.flatMap((x) => x.interviewerIds));
  if (everyone.size > s.maxInterviewers) {
    violations.push({
      rule: 'max_interviewers',
      message:
        `The loop has ${everyone.size} different interviewers (${[...everyone].join(', ')}); at most ${s.maxInterviewers} ` +
        'may interview one candidate. Limit yourself to a few people: a large panel is not fair to the candidate.',
    });
  }

  const byDay = new Map<string, Timed[]>();
  for (const t of timed) byDay.set(t.day, [...(byDay.get(t.day) ?? []), t]);
  for (const [day, list] of [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => a.start - b.start || a.index - b.index);
    // breaks between consecutive sessions (against the latest end so far)
    let latest = list[0];
    for (const next of list.slice(1)) {
      const gap = next.start - latest.end;
      if (gap < s.minBreakMinutes * 60_000) {
        violations.push({
          rule: 'min_break',
          sessionIds: [latest.ref, next.ref],
          message:
            gap < 0
              ? `${latest.label} and ${next.label} overlap; leave at least ${plural(s.minBreakMinutes, 'minute', 'minutes')} between sessions.`
              : `Only ${formatDuration(gap)} between ${latest.label} and ${next.label}; allow at least ` +
                `${plural(s.minBreakMinutes, 'minute', 'minutes')} of break so the candidate can rest.`,
        });
      }
      if (next.end > latest.end) latest = next;
    }
    const first = list[0].start;
    const last = Math.max(...list.map((t) => t.end));
    if (last - first > s.maxHoursPerDay * 3_600_000) {
      const d = DateTime.fromISO(day, { zone: tz }).setLocale('en-GB');
      violations.push({
        rule: 'max_hours_per_day',
        sessionIds: list.map((t) => t.ref),
        message:
          `Interviews on ${d.toFormat('cccc d LLLL yyyy')} span ${formatDuration(last - first)} from the first start ` +
          `(${DateTime.fromMillis(first, { zone: tz }).toFormat('HH:mm')}) to the last end ` +
          `(${DateTime.fromMillis(last, { zone: tz }).toFormat('HH:mm')}), breaks and lunch included; at most ` +
          `${s.maxHoursPerDay} h a day is realistic for the candidate. Split the loop across days.`,
      });
    }
  }

  return violations.length === 0 ? { ok: true } : { ok: false, violations };
}
