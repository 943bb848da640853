import { parseScorecardForm, parseTeamForm } from './opening-settings-pages.controller';

const KINDS = ['pairing', 'system_design', 'code_review'];

describe('the hiring-team form', () => {
  const named = [
    { userId: 'u1', role: 'interviewer' as const },
    { userId: 'u2', role: 'coordinator' as const },
  ];
  it('keeps the named members, changes roles, removes, and adds one person', () => {
    expect(parseTeamForm({ role_u1: 'recruiter', role_u2: 'remove', addUser: 'u3', addRole: 'interviewer' }, named)).toEqual({
      members: [
        { userId: 'u1', role: 'recruiter' },
        { userId: 'u3', role: 'interviewer' },
      ],
      adding: { userId: 'u3', role: 'interviewer' },
    });
  });
  it('adding someone already named replaces their role instead of listing them twice', () => {
    expect(parseTeamForm({ addUser: 'u2', addRole: 'hiring_manager' }, named).members).toEqual([
      { userId: 'u1', role: 'interviewer' },
      { userId: 'u2', role: 'hiring_manager' },
    ]);
  });
  it('without a choice nothing changes', () => {
    expect(parseTeamForm({}, named)).toEqual({ members: named });
  });
});

describe('the scorecard form', () => {
  const base = { rows: '3', decisionRule: 'majority_yes', hours: '24' };
  it('turns the flat fields into the JSON body: a row without a name is left out, four descriptions make a rubric', () => {
    const { input, problems } = parseScorecardForm(
      {
        ...base,
        key_0: 'communication',
        name_0: 'Communication',
        rubric_0_1: 'a',
        rubric_0_2: 'b',
        rubric_0_3: 'c',
        rubric_0_4: 'd',
        applies_0_pairing: 'on',
        key_1: 'working_with_others',
        name_1: '',
        name_2: 'Debugging',
        applies_2_code_review: 'on',
        anonymousReview: 'on',
      },
      KINDS,
    );
    expect(problems).toEqual([]);
    expect(input).toEqual({
      competencies: [
        { key: 'communication', name: 'Communication', rubric: ['a', 'b', 'c', 'd'], appliesTo: ['pairing'] },
        { name: 'Debugging', appliesTo: ['code_review'] },
      ],
      decisionRule: 'majority_yes',
      feedbackDueBusinessHours: 24,
      anonymousReview: true,
    });
  });
  it('names each problem after its field, in plain words', () => {
    const { problems } = parseScorecardForm(
      { rows: '3', name_0: 'Culture fit', name_1: 'Testing', rubric_1_1: 'only one', name_2: 'testing', hours: '0', decisionRule: 'vibes' },
      KINDS,
    );
    expect(problems).toEqual([
      { field: 'name_0', message: expect.stringMatching(/^Competency 1 \("Culture fit"\): .*homogeneous team/) },
      { field: 'rubric_1', message: 'Competency 2: describe all four scores, or leave all four empty for the general descriptions' },
      { field: 'name_2', message: 'Competency 3: the same competency as number 2' },
      { field: 'decisionRule', message: 'Choose when the team may make an offer' },
      { field: 'hours', message: 'Feedback due: a whole number of business hours from 1 to 240' },
    ]);
  });
  it('refuses an empty scorecard and a feedback time that is not a whole number', () => {
    const { problems } = parseScorecardForm({ rows: '1', name_0: '', decisionRule: 'unanimous_yes', hours: '2.5' }, KINDS);
    expect(problems.map((p) => p.field)).toEqual(['competencies', 'hours']);
    expect(parseScorecardForm({ ...base, rows: '1', name_0: 'A', hours: '240' }, KINDS).problems).toEqual([]);
    expect(parseScorecardForm({ ...base, rows: '1', name_0: 'A', hours: '241' }, KINDS).problems.map((p) => p.field)).toEqual(['hours']);
  });
});
