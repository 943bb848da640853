import { evaluateDecision, Recommendation } from './decision-rule';

const R = (s: string) => (s ? (s.split(' ') as Recommendation[]) : []);

describe('evaluateDecision', () => {
  const cases: Array<[string, Parameters<typeof evaluateDecision>[0]['rule'], number, string, boolean, RegExp | null]> = [
    // no strong no and one strong yes
    ['one strong yes alone', 'no_strong_no_and_one_strong_yes', 1, 'strong_yes', true, null],
    ['strong yes with plain noes', 'no_strong_no_and_one_strong_yes', 3, 'strong_yes no no', true, null],
    ['a strong no vetoes two strong yeses', 'no_strong_no_and_one_strong_yes', 3, 'strong_yes strong_yes strong_no', false, /1 strong no/],
    ['all yes but no strong yes', 'no_strong_no_and_one_strong_yes', 2, 'yes yes', false, /Nobody said strong yes/],
    ['waits for the last scorecard', 'no_strong_no_and_one_strong_yes', 3, 'strong_yes yes', false, /Waiting for 1 of 3/],
    // majority
    ['exactly half is not a majority', 'majority_yes', 4, 'yes strong_yes no strong_no', false, /2 of 4 say yes: not a majority/],
    ['three of four is a majority', 'majority_yes', 4, 'yes strong_yes no yes', true, null],
    ['two of three is a majority', 'majority_yes', 3, 'yes yes strong_no', true, null],
    ['one of one', 'majority_yes', 1, 'yes', true, null],
    ['one no of one', 'majority_yes', 1, 'no', false, null],
    ['majority waits for all', 'majority_yes', 4, 'yes yes yes', false, /Waiting for 1 of 4/],
    // unanimous
    ['all yes or strong yes', 'unanimous_yes', 3, 'yes strong_yes yes', true, null],
    ['one plain no breaks unanimity', 'unanimous_yes', 3, 'yes strong_yes no', false, /1 of 3 do not say yes/],
    ['unanimous waits for all', 'unanimous_yes', 2, 'yes', false, /Waiting/],
    // nothing expected
    ['nothing to decide on', 'unanimous_yes', 0, '', false, /No interview or code review/],
    ['nothing to decide on (majority)', 'majority_yes', 0, '', false, null],
  ];
  it.each(cases)('%s', (_name, rule, expected, recs, satisfied, reason) => {
    const d = evaluateDecision({ rule, expected, recommendations: R(recs) });
    expect(d.satisfied).toBe(satisfied);
    if (reason) expect(d.reason).toMatch(reason);
  });

  it('counts recommendations and what is missing', () => {
    expect(evaluateDecision({ rule: 'majority_yes', expected: 5, recommendations: R('yes strong_no yes') })).toMatchObject({
      filed: 3,
      expected: 5,
      missing: 2,
      counts: { strong_no: 1, no: 0, yes: 2, strong_yes: 0 },
      ruleName: 'A majority says yes',
    });
  });

  it('keeps scorecards of a session cancelled after filing', () => {
    const d = evaluateDecision({ rule: 'unanimous_yes', expected: 1, recommendations: R('yes yes') });
    expect(d).toMatchObject({ satisfied: true, expected: 2, missing: 0 });
  });

  it('refuses unknown rules and recommendations', () => {
    expect(() => evaluateDecision({ rule: 'most' as never, expected: 1, recommendations: [] })).toThrow(/unknown decision rule/);
    expect(() => evaluateDecision({ rule: 'majority_yes', expected: 1, recommendations: ['maybe' as never] })).toThrow(
      /unknown recommendation/,
    );
    expect(() => evaluateDecision({ rule: 'majority_yes', expected: -1, recommendations: [] })).toThrow(/expected/);
  });
});
