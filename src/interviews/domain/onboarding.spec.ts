import { buildOnboardingPlan, DEFAULT_ONBOARDING_TEMPLATE, lintOnboardingTemplate, OnboardingTemplateItem } from './onboarding';

describe('DEFAULT_ONBOARDING_TEMPLATE', () => {
  it('covers the first two months with a plan, learning style, a buddy, first commits and check-ins', () => {
    const keys = DEFAULT_ONBOARDING_TEMPLATE.map((t) => t.key);
    expect(keys).toEqual(expect.arrayContaining(['write-plan', 'learning-style', 'assign-buddy', 'first-commit', 'two-month-review']));
    expect(Math.max(...DEFAULT_ONBOARDING_TEMPLATE.map((t) => t.weekOffset))).toBe(7);
    expect(DEFAULT_ONBOARDING_TEMPLATE.filter((t) => /check-in/.test(t.key)).length).toBeGreaterThanOrEqual(6);
    expect(new Set(keys).size).toBe(keys.length);
    for (const t of DEFAULT_ONBOARDING_TEMPLATE) expect(['hiring_manager', 'buddy']).toContain(t.ownerRole);
    expect(lintOnboardingTemplate(DEFAULT_ONBOARDING_TEMPLATE)).toEqual([]);
  });
});

describe('buildOnboardingPlan', () => {
  const owners = { hiring_manager: 'hm-1', buddy: 'bud-7' };

  it('dates items in business days from the start date', () => {
    const plan = buildOnboardingPlan({ startDate: '2027-03-01', owners, tz: 'Europe/Berlin' }); // a Monday
    const by = Object.fromEntries(plan.map((p) => [p.key, p]));
    expect(by['write-plan'].dueDate).toBe('2027-02-22'); // the Monday before
    expect(by['assign-buddy'].dueDate).toBe('2027-02-24');
    expect(by['day-one-welcome'].dueDate).toBe('2027-03-01');
    expect(by['first-commit'].dueDate).toBe('2027-03-05');
    expect(by['manager-check-in-week-1'].dueDate).toBe('2027-03-05');
    expect(by['two-month-review'].dueDate).toBe('2027-04-23'); // Friday of week 8
    expect(by['two-month-review'].dueAt.toISOString()).toBe('2027-04-23T15:00:00.000Z'); // 17:00 CEST
    for (const p of plan) {
      expect(new Date(`${p.dueDate}T12:00:00Z`).getUTCDay()).not.toBe(0);
      expect(new Date(`${p.dueDate}T12:00:00Z`).getUTCDay()).not.toBe(6);
    }
    const dates = plan.map((p) => p.dueDate);
    expect([...dates].sort()).toEqual(dates);
    expect(by['first-commit']).toMatchObject({ ownerRole: 'buddy', ownerId: 'bud-7', ownerFallback: false });
    expect(by['write-plan']).toMatchObject({ ownerRole: 'hiring_manager', ownerId: 'hm-1' });
  });

  it('moves a weekend start to Monday and reads an instant in the plan’s zone', () => {
    const sat = buildOnboardingPlan({ startDate: '2027-03-06', owners, tz: 'UTC' });
    expect(sat.find((p) => p.key === 'day-one-welcome')!.dueDate).toBe('2027-03-08');
    // 23:30 UTC on Sunday 7 March is already Monday 8 March in Tokyo
    const tokyo = buildOnboardingPlan({ startDate: new Date('2027-03-07T23:30:00Z'), owners, tz: 'Asia/Tokyo' });
    expect(tokyo.find((p) => p.key === 'day-one-welcome')!.dueDate).toBe('2027-03-08');
  });

  it('falls back to the hiring manager when there is no buddy, and flags it', () => {
    const plan = buildOnboardingPlan({ startDate: '2027-03-01', owners: { hiring_manager: 'hm-1' }, tz: 'UTC' });
    expect(plan.find((p) => p.key === 'first-commit')).toMatchObject({ ownerRole: 'buddy', ownerId: 'hm-1', ownerFallback: true });
  });

  it('accepts a custom template and lints thin ones', () => {
    const template: OnboardingTemplateItem[] = [
      { key: 'b', title: 'Second', description: '', weekOffset: 0, dayOffset: 2, ownerRole: 'hiring_manager' },
      { key: 'a', title: 'First', description: '', weekOffset: 0, dayOffset: 0, ownerRole: 'hiring_manager' },
      { key: 'c', title: 'Also first', description: '', weekOffset: 0, dayOffset: 0, ownerRole: 'hiring_manager' },
    ];
    expect(buildOnboardingPlan({ startDate: '2027-03-03', template, owners, tz: 'UTC' }).map((p) => [p.key, p.dueDate])).toEqual([
      ['a', '2027-03-03'],
      ['c', '2027-03-03'],
      ['b', '2027-03-05'],
    ]);
    expect(lintOnboardingTemplate(template)).toEqual([
      'The plan covers 1 week(s); have a clear plan for at least the first two months (8 weeks).',
      'No item involves a buddy.',
      'No check-ins are planned.',
      'Nothing adapts the plan to the learning style noted in the interviews.',
    ]);
    expect(() => buildOnboardingPlan({ startDate: '2027-03-03', template: [template[0], template[0]], owners, tz: 'UTC' })).toThrow(
      /Duplicate/,
    );
  });
});
