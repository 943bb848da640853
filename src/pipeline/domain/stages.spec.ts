import {
  afterCodeReview,
  codeReviewEntry,
  APPLICATION_STATUSES,
  DEFAULT_STAGES,
  StageDefinition,
  TERMINAL_STATUSES,
  defaultStages,
  findStage,
  isLastStage,
  isTerminalStatus,
  nextStage,
  validateStages,
} from './stages';

describe('DEFAULT_STAGES', () => {
  it('follows the article process in order', () => {
    expect(DEFAULT_STAGES.map((s) => s.key)).toEqual([
      'recruiter_screen',
      'manager_call',
      'take_home',
      'code_review',
      'team_interviews',
      'offer',
    ]);
  });

  it.each(DEFAULT_STAGES.map((s) => [s.key, s] as const))('%s has kind = key, SLA 3, stale 5 and a one-line description', (key, s) => {
    expect(s.kind).toBe(key);
    expect(s.contactSlaBusinessDays).toBe(3);
    expect(s.staleAfterBusinessDays).toBe(5);
    expect(s.name.length).toBeGreaterThan(0);
    expect(s.description.length).toBeGreaterThan(20);
    expect(s.description).not.toMatch(/\n/);
  });

  it.each([
    ['recruiter_screen', /compensation/],
    ['take_home', /3 hours/],
    ['code_review', /engineer/],
    ['team_interviews', /breaks/],
    ['offer', /fair offer/],
  ])('%s description tells the candidate what happens (%p)', (key, re) => {
    expect(findStage(DEFAULT_STAGES, key)!.description).toMatch(re);
  });

  it('passes its own validation', () => {
    const r = validateStages(DEFAULT_STAGES);
    expect(r).toEqual({ ok: true, stages: defaultStages() });
  });

  it('defaultStages() returns a copy callers may mutate', () => {
    const copy = defaultStages();
    copy[0].name = 'changed';
    expect(DEFAULT_STAGES[0].name).toBe('Recruiter screen');
  });
});

describe('statuses and stage helpers', () => {
  it('active is the only non-terminal status', () => {
    expect(APPLICATION_STATUSES.filter((s) => !isTerminalStatus(s))).toEqual(['active']);
    expect([...TERMINAL_STATUSES].sort()).toEqual(['hired', 'rejected', 'withdrawn']);
  });

  it.each([
    ['recruiter_screen', 'manager_call', false],
    ['team_interviews', 'offer', false],
    ['offer', undefined, true],
    ['nope', undefined, false],
  ])('after %s comes %p (last: %p)', (key, next, last) => {
    expect(nextStage(DEFAULT_STAGES, key)?.key).toBe(next);
    expect(isLastStage(DEFAULT_STAGES, key)).toBe(last);
  });
});

describe('validateStages', () => {
  const ok = (over: Partial<StageDefinition> = {}) => ({ key: 'intro', name: 'Intro', ...over });

  it('fills defaults for omitted fields', () => {
    const r = validateStages([ok(), { key: 'take_home', name: 'Homework' }, { key: 'offer', name: 'Offer' }]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stages[0]).toEqual({
      key: 'intro',
      name: 'Intro',
      kind: 'custom',
      description: '',
      contactSlaBusinessDays: 3,
      staleAfterBusinessDays: 5,
    });
    expect(r.stages[1].kind).toBe('take_home');
    expect(r.stages[2].kind).toBe('offer');
  });

  it('keeps explicit kinds and numbers', () => {
    const r = validateStages([ok({ key: 'homework', kind: 'take_home', contactSlaBusinessDays: 2, staleAfterBusinessDays: 10 })]);
    expect(r).toMatchObject({
      ok: true,
      stages: [{ key: 'homework', kind: 'take_home', contactSlaBusinessDays: 2, staleAfterBusinessDays: 10 }],
    });
  });

  it.each<[string, unknown, string, RegExp]>([
    ['not an array', { key: 'x' }, 'stages', /array/],
    ['empty list', [], 'stages', /at least 1/],
    ['21 stages', Array.from({ length: 21 }, (_, i) => ok({ key: `s${i}` })), 'stages', /at most 20/],
    ['duplicate keys', [ok(), ok()], 'stages[1].key', /duplicate key "intro"/],
    ['uppercase key', [ok({ key: 'Intro' })], 'stages[0].key', /slug/],
    ['key with spaces', [ok({ key: 'intro call' })], 'stages[0].key', /slug/],
    ['key starting with a digit', [ok({ key: '1st' })], 'stages[0].key', /slug/],
    ['key too long', [ok({ key: 'a'.repeat(41) })], 'stages[0].key', /slug/],
    ['missing key', [{ name: 'x' }], 'stages[0].key', /required/],
    ['blank name', [ok({ name: '   ' })], 'stages[0].name', /empty/],
    ['unknown kind', [ok({ kind: 'lunch' as never })], 'stages[0].kind', /one of/],
    ['SLA zero', [ok({ contactSlaBusinessDays: 0 })], 'stages[0].contactSlaBusinessDays', /at least 1/],
    ['SLA fractional', [ok({ contactSlaBusinessDays: 1.5 })], 'stages[0].contactSlaBusinessDays', /whole/],
    ['SLA 61', [ok({ contactSlaBusinessDays: 61 })], 'stages[0].contactSlaBusinessDays', /at most 60/],
    ['SLA as a string', [ok({ contactSlaBusinessDays: '3' as never })], 'stages[0].contactSlaBusinessDays', /number/],
    ['stale zero', [ok({ staleAfterBusinessDays: 0 })], 'stages[0].staleAfterBusinessDays', /at least 1/],
    ['stale negative', [ok({ staleAfterBusinessDays: -5 })], 'stages[0].staleAfterBusinessDays', /at least 1/],
    ['offer not last', [{ key: 'offer', name: 'Offer' }, ok()], 'stages[0].kind', /last/],
    ['unknown field', [{ ...ok(), colour: 'red' }], 'stages[0]', /unknown field.*colour/],
    ['stage not an object', ['intro'], 'stages[0]', /object/],
  ])('rejects %s naming the field', (_name, input, path, message) => {
    const r = validateStages(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
  });

  it('accepts 20 stages and boundary numbers 1 and 60', () => {
    const stages = Array.from({ length: 20 }, (_, i) => ok({ key: `s${i}`, contactSlaBusinessDays: 1, staleAfterBusinessDays: 60 }));
    expect(validateStages(stages).ok).toBe(true);
  });
});

describe('code review entry and exit', () => {
  const stages = defaultStages();
  const custom: StageDefinition[] = [
    { ...stages[0] },
    { ...stages[2] },
    { key: 'chat', name: 'Chat', kind: 'custom' as const, description: '', contactSlaBusinessDays: 3, staleAfterBusinessDays: 5 },
    { ...stages[3] },
    { ...stages[5] },
  ];
  it('a graded take-home (or accepted public code) enters the code-review stage when only the take-home lies between', () => {
    expect(codeReviewEntry(stages, 'take_home')?.key).toBe('code_review');
    expect(codeReviewEntry(stages, 'manager_call')?.key).toBe('code_review');
    expect(codeReviewEntry(stages, 'recruiter_screen')).toBeUndefined(); // would skip the manager call
    expect(codeReviewEntry(stages, 'code_review')).toBeUndefined();
    expect(codeReviewEntry(stages, 'team_interviews')).toBeUndefined();
    expect(codeReviewEntry(custom, 'take_home')).toBeUndefined(); // a custom stage between
  });
  it('a positive review moves on from the code-review stage', () => {
    expect(afterCodeReview(stages, 'code_review')?.key).toBe('team_interviews');
    expect(afterCodeReview(stages, 'team_interviews')).toBeUndefined();
    expect(afterCodeReview(stages, 'recruiter_screen')).toBeUndefined(); // would skip the manager call
    expect(
      afterCodeReview(
        stages.filter((s) => s.kind !== 'code_review'),
        'take_home',
      )?.key,
    ).toBe('team_interviews');
  });
});
