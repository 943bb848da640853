/**
 * The decision rule of an opening: when the team has enough confidence to make an offer
 * ("different companies have different standards as to how consensus is reached").
 *
 * Pure: the scorecards expected (one per person per interview or code review that was not
 * cancelled) and the recommendations filed so far. Every rule waits for every expected
 * scorecard: a missing one could be the strong no, and "every interview and review ends in a
 * scorecard". Then:
 *  - no_strong_no_and_one_strong_yes: nobody said strong no, and at least one said strong yes;
 *  - majority_yes: more than half said yes or strong yes (exactly half is not a majority);
 *  - unanimous_yes: everyone said yes or strong yes.
 * With no scorecard expected at all, no rule holds (there is nothing to be confident about).
 */
export const DECISION_RULES = ['no_strong_no_and_one_strong_yes', 'majority_yes', 'unanimous_yes'] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];

export const RECOMMENDATIONS = ['strong_no', 'no', 'yes', 'strong_yes'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export const DEFAULT_DECISION_RULE: DecisionRule = 'no_strong_no_and_one_strong_yes';

/** Plain words for pages and messages. */
export const RULE_NAMES: Record<DecisionRule, string> = {
  no_strong_no_and_one_strong_yes: 'No strong no, and at least one strong yes',
  majority_yes: 'A majority says yes',
  unanimous_yes: 'Everyone says yes',
};
export const RECOMMENDATION_NAMES: Record<Recommendation, string> = {
  strong_no: 'Strong no',
  no: 'No',
  yes: 'Yes',
  strong_yes: 'Strong yes',
};

export function isDecisionRule(v: unknown): v is DecisionRule {
  return typeof v === 'string' && (DECISION_RULES as readonly string[]).includes(v);
}
export function isRecommendation(v: unknown): v is Recommendation {
  return typeof v === 'string' && (RECOMMENDATIONS as readonly string[]).includes(v);
}

export interface DecisionInput {
  rule: DecisionRule;
  /** How many scorecards are expected (people × sessions not cancelled). */
  expected: number;
  /** The current recommendation of each scorecard filed (amendments replace, never add). */
  recommendations: readonly Recommendation[];
}

export interface Decision {
  rule: DecisionRule;
  ruleName: string;
  satisfied: boolean;
  /** Why, in plain words (shown on the pages and in the 422). */
  reason: string;
  expected: number;
  filed: number;
  missing: number;
  counts: Record<Recommendation, number>;
}

export function evaluateDecision(input: DecisionInput): Decision {
  if (!isDecisionRule(input.rule)) throw new RangeError(`unknown decision rule ${String(input.rule)}`);
  if (!Number.isInteger(input.expected) || input.expected < 0) throw new RangeError('expected must be a whole number >= 0');
  const counts: Record<Recommendation, number> = { strong_no: 0, no: 0, yes: 0, strong_yes: 0 };
  for (const r of input.recommendations) {
    if (!isRecommendation(r)) throw new RangeError(`unknown recommendation ${String(r)}`);
    counts[r]++;
  }
  const filed = input.recommendations.length;
  // Filed scorecards can outnumber the expected ones when a session was cancelled after filing;
  // they still count, and nothing is missing then.
  const expected = Math.max(input.expected, filed);
  const missing = expected - filed;
  const base = { rule: input.rule, ruleName: RULE_NAMES[input.rule], expected, filed, missing, counts };
  if (expected === 0) return { ...base, satisfied: false, reason: 'No interview or code review has a scorecard to wait for yet.' };
  if (missing > 0)
    return { ...base, satisfied: false, reason: `Waiting for ${missing} of ${expected} scorecard${expected === 1 ? '' : 's'}.` };
  const yes = counts.yes + counts.strong_yes;
  switch (input.rule) {
    case 'no_strong_no_and_one_strong_yes':
      if (counts.strong_no > 0) return { ...base, satisfied: false, reason: `${counts.strong_no} strong no.` };
      if (counts.strong_yes === 0) return { ...base, satisfied: false, reason: 'Nobody said strong yes.' };
      return { ...base, satisfied: true, reason: `No strong no, and ${counts.strong_yes} strong yes.` };
    case 'majority_yes':
      return 2 * yes > filed
        ? { ...base, satisfied: true, reason: `${yes} of ${filed} say yes: a majority.` }
        : { ...base, satisfied: false, reason: `${yes} of ${filed} say yes: not a majority.` };
    case 'unanimous_yes':
      return yes === filed
        ? { ...base, satisfied: true, reason: `All ${filed} say yes.` }
        : { ...base, satisfied: false, reason: `${filed - yes} of ${filed} do not say yes.` };
  }
}
