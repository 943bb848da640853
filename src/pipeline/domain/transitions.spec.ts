import { ApplicationStatus, DEFAULT_STAGES, StageDefinition, validateStages } from './stages';
import { TransitionErrorCode, decideTerminal, decideTransition, transitionErrorHttpStatus } from './transitions';

type Row = [
  string, // description
  { current: string; to: string; status?: ApplicationStatus; note?: string | null; exemption?: boolean },
  { kind: 'forward' | 'back' | 'skip'; skipped?: string[] } | { code: TransitionErrorCode; http: number; reason?: RegExp },
];

const rows: Row[] = [
  ['forward one stage', { current: 'recruiter_screen', to: 'manager_call' }, { kind: 'forward' }],
  ['forward into the take-home', { current: 'manager_call', to: 'take_home' }, { kind: 'forward' }],
  ['forward out of the take-home', { current: 'take_home', to: 'code_review' }, { kind: 'forward' }],
  ['forward into the offer', { current: 'team_interviews', to: 'offer' }, { kind: 'forward' }],
  ['back one stage without a note', { current: 'code_review', to: 'take_home' }, { kind: 'back' }],
  ['back to the very first stage', { current: 'offer', to: 'recruiter_screen' }, { kind: 'back' }],
  [
    'skip manager call with a note',
    { current: 'recruiter_screen', to: 'take_home', note: 'referral, already spoke' },
    { kind: 'skip', skipped: ['manager_call'] },
  ],
  [
    'skip manager call without a note',
    { current: 'recruiter_screen', to: 'take_home' },
    { code: 'SKIP_REQUIRES_NOTE', http: 422, reason: /manager_call/ },
  ],
  [
    'skip with a whitespace-only note',
    { current: 'recruiter_screen', to: 'take_home', note: '   ' },
    { code: 'SKIP_REQUIRES_NOTE', http: 422 },
  ],
  ['skip with a null note', { current: 'recruiter_screen', to: 'take_home', note: null }, { code: 'SKIP_REQUIRES_NOTE', http: 422 }],
  [
    'skip the take-home with a note only',
    { current: 'manager_call', to: 'code_review', note: 'great GitHub' },
    { code: 'SKIP_TAKE_HOME_REQUIRES_EXEMPTION', http: 422, reason: /exemption/ },
  ],
  [
    'skip the take-home with nothing',
    { current: 'manager_call', to: 'code_review' },
    { code: 'SKIP_TAKE_HOME_REQUIRES_EXEMPTION', http: 422 },
  ],
  [
    'skip the take-home with an exemption',
    { current: 'manager_call', to: 'code_review', exemption: true },
    { kind: 'skip', skipped: ['take_home'] },
  ],
  [
    'skip take-home + code review with an exemption but no note',
    { current: 'manager_call', to: 'team_interviews', exemption: true },
    { code: 'SKIP_REQUIRES_NOTE', http: 422, reason: /code_review/ },
  ],
  [
    'skip take-home + code review with exemption and note',
    { current: 'manager_call', to: 'team_interviews', exemption: true, note: 'reviewed their library with them on the call' },
    { kind: 'skip', skipped: ['take_home', 'code_review'] },
  ],
  [
    'skip from the start straight to the offer without exemption',
    { current: 'recruiter_screen', to: 'offer', note: 'founder' },
    { code: 'SKIP_TAKE_HOME_REQUIRES_EXEMPTION', http: 422 },
  ],
  [
    'skip from the start to the offer with everything',
    { current: 'recruiter_screen', to: 'offer', note: 'creator of the framework', exemption: true },
    { kind: 'skip', skipped: ['manager_call', 'take_home', 'code_review', 'team_interviews'] },
  ],
  [
    'skip after the take-home needs only a note',
    { current: 'code_review', to: 'offer', note: 'panel done at previous opening' },
    { kind: 'skip', skipped: ['team_interviews'] },
  ],
  ['same stage', { current: 'take_home', to: 'take_home' }, { code: 'SAME_STAGE', http: 409, reason: /already in stage "take_home"/ }],
  ['unknown target stage', { current: 'take_home', to: 'lunch' }, { code: 'UNKNOWN_STAGE', http: 400, reason: /"lunch"/ }],
  ['target given as a display name', { current: 'take_home', to: 'Offer' }, { code: 'UNKNOWN_STAGE', http: 400 }],
  ['current stage missing from the opening', { current: 'ghost', to: 'offer' }, { code: 'UNKNOWN_CURRENT_STAGE', http: 409 }],
  [
    'rejected application',
    { current: 'manager_call', to: 'take_home', status: 'rejected' },
    { code: 'TERMINAL_STATUS', http: 409, reason: /rejected/ },
  ],
  [
    'withdrawn application moving back',
    { current: 'manager_call', to: 'recruiter_screen', status: 'withdrawn' },
    { code: 'TERMINAL_STATUS', http: 409, reason: /withdrawn/ },
  ],
  [
    'hired application',
    { current: 'offer', to: 'team_interviews', status: 'hired' },
    { code: 'TERMINAL_STATUS', http: 409, reason: /hired/ },
  ],
  ['terminal wins over unknown stage', { current: 'offer', to: 'nope', status: 'rejected' }, { code: 'TERMINAL_STATUS', http: 409 }],
];

describe('decideTransition (default stages)', () => {
  it.each(rows)('%s', (_name, input, expected) => {
    const d = decideTransition({
      stages: DEFAULT_STAGES,
      currentStage: input.current,
      status: input.status ?? 'active',
      to: input.to,
      note: input.note,
      hasPublicCodeExemption: input.exemption ?? false,
    });
    if ('kind' in expected) {
      expect(d).toMatchObject({ ok: true, kind: expected.kind, skipped: expected.skipped ?? [], from: input.current, to: input.to });
    } else {
      expect(d).toMatchObject({ ok: false, code: expected.code, httpStatus: expected.http });
      if (!d.ok) {
        expect(transitionErrorHttpStatus(d.code)).toBe(expected.http);
        if (expected.reason) expect(d.reason).toMatch(expected.reason);
      }
    }
  });

  it('reports the exemption as used and keeps the trimmed note', () => {
    const d = decideTransition({
      stages: DEFAULT_STAGES,
      currentStage: 'manager_call',
      status: 'active',
      to: 'code_review',
      note: '  see github.com/x  ',
      hasPublicCodeExemption: true,
    });
    expect(d).toEqual({
      ok: true,
      kind: 'skip',
      from: 'manager_call',
      to: 'code_review',
      skipped: ['take_home'],
      usedPublicCodeExemption: true,
      note: 'see github.com/x',
    });
  });
});

describe('decideTransition (custom stages)', () => {
  const r = validateStages([
    { key: 'intro', name: 'Intro' },
    { key: 'homework', name: 'Homework', kind: 'take_home' },
    { key: 'pairing', name: 'Pairing' },
    { key: 'offer', name: 'Offer' },
  ]);
  const stages = (r.ok ? r.stages : []) as StageDefinition[];

  it('the take-home rule follows the stage kind, not the key', () => {
    expect(
      decideTransition({ stages, currentStage: 'intro', status: 'active', to: 'pairing', note: 'x', hasPublicCodeExemption: false }),
    ).toMatchObject({
      ok: false,
      code: 'SKIP_TAKE_HOME_REQUIRES_EXEMPTION',
    });
    expect(
      decideTransition({ stages, currentStage: 'intro', status: 'active', to: 'pairing', hasPublicCodeExemption: true }),
    ).toMatchObject({
      ok: true,
      kind: 'skip',
      skipped: ['homework'],
    });
  });
});

describe('decideTerminal', () => {
  it.each<
    [string, ApplicationStatus, 'reject' | 'withdraw' | 'hire', string, { status: string } | { code: TransitionErrorCode; http: number }]
  >([
    ['reject from the first stage', 'active', 'reject', 'recruiter_screen', { status: 'rejected' }],
    ['reject after the take-home', 'active', 'reject', 'code_review', { status: 'rejected' }],
    ['reject at the offer', 'active', 'reject', 'offer', { status: 'rejected' }],
    ['withdraw mid-process', 'active', 'withdraw', 'team_interviews', { status: 'withdrawn' }],
    ['hire from the offer stage', 'active', 'hire', 'offer', { status: 'hired' }],
    ['hire before the offer', 'active', 'hire', 'team_interviews', { code: 'HIRE_REQUIRES_FINAL_STAGE', http: 409 }],
    ['hire from the first stage', 'active', 'hire', 'recruiter_screen', { code: 'HIRE_REQUIRES_FINAL_STAGE', http: 409 }],
    ['reject twice', 'rejected', 'reject', 'manager_call', { code: 'TERMINAL_STATUS', http: 409 }],
    ['withdraw after hire', 'hired', 'withdraw', 'offer', { code: 'TERMINAL_STATUS', http: 409 }],
    ['hire after withdrawal', 'withdrawn', 'hire', 'offer', { code: 'TERMINAL_STATUS', http: 409 }],
    ['unknown current stage', 'active', 'reject', 'ghost', { code: 'UNKNOWN_CURRENT_STAGE', http: 409 }],
  ])('%s', (_name, status, action, currentStage, expected) => {
    const d = decideTerminal({ status, action, currentStage, stages: DEFAULT_STAGES });
    if ('status' in expected) expect(d).toEqual({ ok: true, status: expected.status, stage: currentStage });
    else expect(d).toMatchObject({ ok: false, code: expected.code, httpStatus: expected.http });
  });

  it('names the current status when refusing', () => {
    const d = decideTerminal({ status: 'withdrawn', action: 'reject', currentStage: 'offer', stages: DEFAULT_STAGES });
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(/already withdrawn/);
  });
});
