import { checkFiling, checkTemplate, competenciesFor, defaultTemplate } from './scorecard-template';
import { visibleScorecards } from './visibility';

describe('scorecard template', () => {
  it('defaults to communication, technical skills and working with others, never culture fit', () => {
    const t = defaultTemplate(['TypeScript', 'PostgreSQL']);
    expect(t.competencies.map((c) => c.name)).toEqual([
      'Communication',
      'Technical skills (TypeScript, PostgreSQL)',
      'Working with others',
    ]);
    expect(t.competencies.every((c) => c.rubric.length === 4)).toBe(true);
  });
  it.each(['Culture fit', 'culture-fit', 'Cultural Fit', 'fit with culture'])('refuses "%s" with 422', (name) => {
    const r = checkTemplate({ competencies: [{ name }] });
    expect(r).toMatchObject({ ok: false, status: 422, rule: 'culture_fit' });
  });
  it('normalises keys and checks rubrics', () => {
    const r = checkTemplate({
      competencies: [{ name: 'System Design', rubric: ['a', 'b', 'c', 'd'], appliesTo: ['System Design'] }],
      decisionRule: 'majority_yes',
    });
    expect(r).toMatchObject({
      ok: true,
      template: { decisionRule: 'majority_yes', competencies: [{ key: 'system_design', appliesTo: ['system_design'] }] },
    });
    expect(checkTemplate({ competencies: [{ name: 'X', rubric: ['a', 'b', 'c'] }] })).toMatchObject({
      ok: false,
      status: 400,
      field: 'competencies[0].rubric',
    });
    expect(checkTemplate({ competencies: [{ name: 'X' }, { name: 'x' }] })).toMatchObject({ ok: false, rule: 'duplicate_competency' });
    expect(checkTemplate({ competencies: [{ name: 'X' }], decisionRule: 'vibes' })).toMatchObject({ ok: false, field: 'decisionRule' });
  });
  it('attaches competencies to session kinds', () => {
    const t = defaultTemplate();
    expect(competenciesFor(t, 'team_conversation').map((c) => c.key)).toEqual(['communication', 'working_with_others']);
    expect(competenciesFor(t, 'code_review').map((c) => c.key)).toEqual(['communication', 'technical_skills', 'working_with_others']);
  });
  it('a filing scores every competency once, 1 to 4', () => {
    const cs = competenciesFor(defaultTemplate(), 'team_conversation');
    expect(
      checkFiling(
        {
          ratings: [
            { competency: 'communication', score: 3 },
            { competency: 'working_with_others', score: 4 },
          ],
          recommendation: 'yes',
        },
        cs,
      ),
    ).toMatchObject({ ok: true });
    expect(checkFiling({ ratings: [{ competency: 'communication', score: 3 }], recommendation: 'yes' }, cs)).toMatchObject({
      ok: false,
      message: /Missing a score for: Working with others/,
    });
    expect(
      checkFiling(
        {
          ratings: [
            { competency: 'communication', score: 5 },
            { competency: 'working_with_others', score: 4 },
          ],
          recommendation: 'yes',
        },
        cs,
      ),
    ).toMatchObject({ ok: false, field: 'ratings[0].score' });
    expect(checkFiling({ ratings: [{ competency: 'technical_skills', score: 3 }], recommendation: 'yes' }, cs)).toMatchObject({
      ok: false,
      message: /not a competency of this session/,
    });
    expect(checkFiling({ ratings: [], recommendation: 'maybe' }, cs)).toMatchObject({ ok: false, field: 'recommendation' });
  });
});

describe('no anchoring', () => {
  const cards = [{ authorId: 'a' }, { authorId: 'b' }];
  it('an interviewer who has not filed sees none of the others', () => {
    expect(visibleScorecards({ id: 'c', isAdmin: false, isHiringManagerOfOpening: false }, cards)).toMatchObject({
      cards: [],
      hidden: 2,
      seesAll: false,
    });
  });
  it("after filing, everyone's", () => {
    expect(visibleScorecards({ id: 'a', isAdmin: false, isHiringManagerOfOpening: false }, cards)).toMatchObject({
      hidden: 0,
      seesAll: true,
    });
  });
  it('the hiring manager and admins see all', () => {
    expect(visibleScorecards({ id: 'm', isAdmin: false, isHiringManagerOfOpening: true }, cards).cards).toHaveLength(2);
    expect(visibleScorecards({ id: 'x', isAdmin: true, isHiringManagerOfOpening: false }, cards).cards).toHaveLength(2);
  });
});
