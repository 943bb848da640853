import { CULTURE_FIT_REASON, LoopSession, LoopSettingsInput, isCultureFitKind, normalizeKind, validateLoop } from './loop-rules';

// Candidate in Berlin; Wednesday 3 March 2027 is CET (UTC+1).
const TZ = 'Europe/Berlin';
const at = (hhmm: string, day = '2027-03-03') => `${day}T${hhmm}:00+01:00`;
const session = (id: string, from: string, to: string, interviewerIds: string[] = ['a'], kind = 'pairing', day?: string): LoopSession => ({
  id,
  kind,
  interviewerIds,
  startsAt: at(from, day),
  endsAt: at(to, day),
});

interface Case {
  name: string;
  sessions: LoopSession[];
  settings?: LoopSettingsInput;
  candidateTz?: string;
  /** undefined = ok; otherwise the rules expected, in order */
  rules?: string[];
  sessionIds?: string[];
  message?: RegExp;
}

const cases: Case[] = [
  {
    name: 'a well-formed loop',
    sessions: [session('s1', '10:00', '11:00', ['a', 'b']), session('s2', '11:15', '12:00', ['c'], 'system_design')],
  },
  // at most 4 distinct interviewers per candidate
  {
    name: 'exactly 4 interviewers is fine',
    sessions: [session('s1', '09:00', '10:00', ['a', 'b']), session('s2', '10:15', '11:00', ['c', 'd'], 'team_conversation')],
  },
  {
    name: '5 interviewers are refused',
    sessions: [
      session('s1', '09:00', '10:00', ['a', 'b']),
      session('s2', '10:15', '11:00', ['c', 'd'], 'team_conversation'),
      session('s3', '11:15', '12:00', ['e'], 'manager_conversation'),
    ],
    rules: ['max_interviewers'],
    message: /5 different interviewers .*at most 4/,
  },
  {
    name: 'the same interviewer in two sessions counts once',
    sessions: [
      session('s1', '09:00', '10:00', ['a', 'b']),
      session('s2', '10:15', '11:00', ['a', 'c'], 'team_conversation'),
      session('s3', '11:15', '12:00', ['d'], 'manager_conversation'),
    ],
  },
  {
    name: 'the interviewer limit is a setting',
    sessions: [
      session('s1', '09:00', '10:00', ['a', 'b']),
      session('s2', '10:15', '11:00', ['c', 'd']),
      session('s3', '11:15', '12:00', ['e']),
    ],
    settings: { maxInterviewers: 5 },
  },
  // at most 2 interviewers per session
  { name: '2 interviewers in a session is fine', sessions: [session('s1', '10:00', '11:00', ['a', 'b'])] },
  {
    name: '3 interviewers in a session are refused',
    sessions: [session('s1', '10:00', '11:00', ['a', 'b', 'c'])],
    rules: ['max_per_session'],
    sessionIds: ['s1'],
  },
  { name: 'a session without an interviewer is refused', sessions: [session('s1', '10:00', '11:00', [])], rules: ['no_interviewer'] },
  // at least 15 minutes between sessions
  { name: 'exactly 15 minutes of break is fine', sessions: [session('s1', '10:00', '11:00'), session('s2', '11:15', '12:00')] },
  {
    name: '14 minutes of break is refused',
    sessions: [session('s1', '10:00', '11:00'), session('s2', '11:14', '12:00')],
    rules: ['min_break'],
    sessionIds: ['s1', 's2'],
    message: /Only 14 min between Session s1 and Session s2/,
  },
  {
    name: 'overlapping sessions are refused',
    sessions: [session('s2', '10:30', '11:30'), session('s1', '10:00', '11:00')],
    rules: ['min_break'],
    sessionIds: ['s1', 's2'],
    message: /overlap/,
  },
  {
    name: 'breaks are measured against the latest end so far',
    sessions: [session('s1', '09:00', '12:00'), session('s2', '09:30', '10:00'), session('s3', '12:05', '12:30')],
    settings: { maxHoursPerDay: 6 },
    rules: ['min_break', 'min_break'],
  },
  // at most 4 hours a day including lunch
  {
    name: 'exactly 4 hours from first start to last end is fine (lunch included)',
    sessions: [session('s1', '09:00', '10:30'), session('s2', '12:00', '13:00')],
  },
  {
    name: '4 h 01 is refused, and the message says to split across days',
    sessions: [session('s1', '09:00', '10:30'), session('s2', '12:00', '13:01')],
    rules: ['max_hours_per_day'],
    sessionIds: ['s1', 's2'],
    message: /Wednesday 3 March 2027 span 4 h 1 min .*lunch.*Split the loop across days/,
  },
  {
    name: 'split across two days is fine',
    sessions: [session('s1', '09:00', '12:00'), session('s2', '09:00', '12:00', ['b'], 'system_design', '2027-03-04')],
  },
  // inside the candidate's 09:00-18:00
  { name: 'a 09:00 start is fine', sessions: [session('s1', '09:00', '10:00')] },
  {
    name: 'an 08:59 start is refused',
    sessions: [session('s1', '08:59', '10:00')],
    rules: ['candidate_hours'],
    message: /08:59–10:00 in the candidate's time zone \(Europe\/Berlin\); interviews must fit within 09:00–18:00/,
  },
  { name: 'an 18:00 end is fine', sessions: [session('s1', '17:00', '18:00')] },
  { name: 'an 18:01 end is refused', sessions: [session('s1', '17:00', '18:01')], rules: ['candidate_hours'] },
  {
    name: 'hours are the candidate’s local hours',
    candidateTz: 'America/New_York',
    sessions: [{ id: 's1', kind: 'pairing', interviewerIds: ['a'], startsAt: '2027-03-03T14:00:00Z', endsAt: '2027-03-03T15:00:00Z' }],
  },
  {
    name: 'a slot fine in Berlin is refused for a candidate in New York',
    candidateTz: 'America/New_York',
    sessions: [session('s1', '10:00', '11:00')],
    rules: ['candidate_hours'],
  },
  // kinds
  {
    name: 'kinds are accepted in any spelling',
    sessions: [session('s1', '10:00', '11:00', ['a'], 'System Design'), session('s2', '11:15', '12:00', ['b'], 'cross-team conversation')],
  },
  {
    name: 'an unknown kind is refused',
    sessions: [session('s1', '10:00', '11:00', ['a'], 'whiteboard_coding')],
    rules: ['unknown_kind'],
    message: /unknown interview kind "whiteboard_coding".*pairing, system_design/,
  },
  ...['culture_fit', 'Culture Fit', 'culture-fit', 'cultural fit', 'CultureFit', 'Team culture fit chat'].map(
    (kind): Case => ({
      name: `a "${kind}" interview is refused with the article's reason`,
      sessions: [session('s1', '10:00', '11:00', ['a'], kind)],
      rules: ['culture_fit'],
      message: /Interviewing with the goal of culture fit is a fast way to a homogeneous team/,
    }),
  ),
  {
    name: 'culture fit is refused even when configured as a kind',
    sessions: [session('s1', '10:00', '11:00', ['a'], 'culture_fit')],
    settings: { kinds: ['pairing', 'culture_fit'] },
    rules: ['culture_fit'],
  },
  { name: 'a session ending before it starts is refused', sessions: [session('s1', '11:00', '10:00')], rules: ['invalid_time'] },
];

describe('validateLoop', () => {
  it.each(cases)('$name', ({ sessions, settings, candidateTz, rules, sessionIds, message }) => {
    const res = validateLoop({ candidateTz: candidateTz ?? TZ, sessions, settings });
    if (!rules) {
      expect(res).toEqual({ ok: true });
      return;
    }
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.violations.map((v) => v.rule)).toEqual(rules);
    if (sessionIds) expect(res.violations[0].sessionIds).toEqual(sessionIds);
    if (message) expect(res.violations[0].message).toMatch(message);
  });

  it('collects every violation at once and labels sessions without ids by position', () => {
    const res = validateLoop({
      candidateTz: TZ,
      sessions: [
        { kind: 'culture fit', interviewerIds: ['a', 'b', 'c'], startsAt: at('08:00'), endsAt: at('09:00') },
        { kind: 'pairing', interviewerIds: ['d', 'e'], startsAt: at('09:05'), endsAt: at('13:00') },
      ],
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.violations.map((v) => [v.rule, v.sessionIds])).toEqual([
      ['culture_fit', ['#1']],
      ['max_per_session', ['#1']],
      ['candidate_hours', ['#1']],
      ['max_interviewers', undefined],
      ['min_break', ['#1', '#2']],
      ['max_hours_per_day', ['#1', '#2']],
    ]);
    expect(res.violations[0].message).toContain(CULTURE_FIT_REASON);
  });

  it('rejects an unknown candidate time zone', () => {
    expect(() => validateLoop({ candidateTz: 'Nowhere/Land', sessions: [] })).toThrow(/Unknown time zone/);
  });

  it('normalises and recognises kinds', () => {
    expect(normalizeKind('  Cross-Team  Conversation ')).toBe('cross_team_conversation');
    expect(['culture_fit', 'Culture Fit', 'culture-fit', 'cultural fit', 'CULTUREFIT', 'fit (culture)'].every(isCultureFitKind)).toBe(true);
    expect(['team_conversation', 'pairing', 'fitness app review', 'agriculture domain'].some(isCultureFitKind)).toBe(false);
  });
});
