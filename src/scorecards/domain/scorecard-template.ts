/**
 * An opening's scorecard: the competencies interviewers and the code reviewer score from 1 to 4,
 * each with a short rubric per score, attached to interview kinds and/or the code review.
 * Defaults follow the article: communication, the technical skills the opening names, working
 * with others; never "culture fit" (a fast way to a homogeneous team).
 */
import { DEFAULT_DECISION_RULE, DecisionRule, isDecisionRule, isRecommendation, Recommendation } from './decision-rule';

/** The session kind of a code review, beside the interview kinds. */
export const CODE_REVIEW = 'code_review';

export interface Competency {
  key: string;
  name: string;
  /** What a 1, 2, 3 and 4 mean, in that order. */
  rubric: [string, string, string, string];
  /** Interview kinds (and/or `code_review`) this competency is scored in; empty: every session. */
  appliesTo: string[];
}

export interface ScorecardTemplate {
  competencies: Competency[];
  decisionRule: DecisionRule;
  /** A scorecard is due this many business hours after its session ends. */
  feedbackDueBusinessHours: number;
  /** The code reviewer's packet hides who the candidate is until the review's scorecard is filed. */
  anonymousReview: boolean;
}

export const DEFAULT_FEEDBACK_DUE_BUSINESS_HOURS = 24;

export const CULTURE_FIT_COMPETENCY_REASON =
  '"Culture fit" is not a competency here: interviewing with the goal of culture fit is a fast way to a homogeneous team. ' +
  'Score how well the candidate and the team communicate with one another instead.';

const GENERIC_RUBRIC: Competency['rubric'] = [
  'Clear evidence against: serious gaps seen in this session',
  'Some gaps: would need a lot of support here',
  'Solid: meets what the role needs',
  'Outstanding: would raise the team here',
];

export function defaultCompetencies(technicalSkills: readonly string[] = []): Competency[] {
  const skills = technicalSkills.filter((s) => s.trim()).join(', ');
  return [
    {
      key: 'communication',
      name: 'Communication',
      appliesTo: [],
      rubric: [
        'Hard to follow; did not listen or explain their thinking',
        'Explained some of their thinking, with prompting',
        'Explained their thinking clearly and listened to questions',
        'Made complex ideas easy to follow; asked sharp questions back',
      ],
    },
    {
      key: 'technical_skills',
      name: skills ? `Technical skills (${skills})` : 'Technical skills',
      appliesTo: ['pairing', 'system_design', CODE_REVIEW],
      rubric: [
        'Could not apply the skills the role names',
        'Applied them with significant gaps or help',
        'Applied them well, with sound trade-offs',
        'Deep command; explained why, not just how',
      ],
    },
    {
      key: 'working_with_others',
      name: 'Working with others',
      appliesTo: [],
      rubric: [
        "Dismissive of others' ideas or feedback",
        'Accepted feedback but rarely built on it',
        'Worked with us: took feedback and built on it',
        'Made the people around them better',
      ],
    },
  ];
}

export function defaultTemplate(technicalSkills: readonly string[] = []): ScorecardTemplate {
  return {
    competencies: defaultCompetencies(technicalSkills),
    decisionRule: DEFAULT_DECISION_RULE,
    feedbackDueBusinessHours: DEFAULT_FEEDBACK_DUE_BUSINESS_HOURS,
    anonymousReview: false,
  };
}

export function isCultureFit(text: string): boolean {
  const letters = text.toLowerCase().replace(/[^a-z]/g, '');
  return /cultur(e|al)?(fit|match|add)/.test(letters) || /fit(with|to|in|into)?(the|our|a)?cultur/.test(letters);
}

export function normalizeKey(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s\-./]+/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

export interface TemplateInput {
  competencies: Array<{ key?: string; name: string; rubric?: string[]; appliesTo?: string[] }>;
  decisionRule?: string;
  feedbackDueBusinessHours?: number;
  anonymousReview?: boolean;
}

export type TemplateCheck =
  | { ok: true; template: ScorecardTemplate }
  | { ok: false; status: 400 | 422; rule: string; message: string; field: string };

/** Validate a scorecard from the API (keys normalised, rubric defaulted, culture fit refused). */
export function checkTemplate(input: TemplateInput, fallback: ScorecardTemplate = defaultTemplate()): TemplateCheck {
  const bad = (status: 400 | 422, rule: string, field: string, message: string): TemplateCheck => ({
    ok: false,
    status,
    rule,
    field,
    message,
  });
  if (!Array.isArray(input.competencies) || input.competencies.length < 1)
    return bad(400, 'no_competencies', 'competencies', 'A scorecard needs at least one competency');
  if (input.competencies.length > 20) return bad(400, 'too_many_competencies', 'competencies', 'At most 20 competencies');
  const competencies: Competency[] = [];
  for (const [i, c] of input.competencies.entries()) {
    const field = `competencies[${i}]`;
    const name = String(c.name ?? '').trim();
    if (!name) return bad(400, 'competency_name', `${field}.name`, `${field}.name must not be empty`);
    if (isCultureFit(name) || isCultureFit(c.key ?? ''))
      return bad(422, 'culture_fit', field, `${field} ("${name}"): ${CULTURE_FIT_COMPETENCY_REASON}`);
    const key = normalizeKey(c.key ?? name);
    if (!key) return bad(400, 'competency_key', `${field}.key`, `${field}.key must contain letters or digits`);
    if (competencies.some((x) => x.key === key))
      return bad(400, 'duplicate_competency', `${field}.key`, `Competency "${key}" appears twice`);
    let rubric = GENERIC_RUBRIC;
    if (c.rubric !== undefined) {
      if (!Array.isArray(c.rubric) || c.rubric.length !== 4 || c.rubric.some((r) => typeof r !== 'string' || !r.trim())) {
        return bad(400, 'rubric', `${field}.rubric`, `${field}.rubric must list four short descriptions, for scores 1, 2, 3 and 4`);
      }
      rubric = c.rubric.map((r) => r.trim()) as Competency['rubric'];
    }
    const appliesTo = [...new Set((c.appliesTo ?? []).map(normalizeKey).filter(Boolean))];
    if (appliesTo.some(isCultureFit))
      return bad(422, 'culture_fit', `${field}.appliesTo`, `${field}.appliesTo: ${CULTURE_FIT_COMPETENCY_REASON}`);
    competencies.push({ key, name, rubric, appliesTo });
  }
  const decisionRule = input.decisionRule ?? fallback.decisionRule;
  if (!isDecisionRule(decisionRule)) {
    return bad(
      400,
      'decision_rule',
      'decisionRule',
      'decisionRule must be one of no_strong_no_and_one_strong_yes, majority_yes, unanimous_yes',
    );
  }
  const hours = input.feedbackDueBusinessHours ?? fallback.feedbackDueBusinessHours;
  if (!Number.isInteger(hours) || hours < 1 || hours > 240)
    return bad(400, 'feedback_due', 'feedbackDueBusinessHours', 'feedbackDueBusinessHours must be a whole number from 1 to 240');
  return {
    ok: true,
    template: {
      competencies,
      decisionRule,
      feedbackDueBusinessHours: hours,
      anonymousReview: input.anonymousReview ?? fallback.anonymousReview,
    },
  };
}

/** The competencies scored in a session of this kind (an interview kind or `code_review`). */
export function competenciesFor(template: ScorecardTemplate, sessionKind: string): Competency[] {
  const kind = normalizeKey(sessionKind);
  return template.competencies.filter((c) => c.appliesTo.length === 0 || c.appliesTo.includes(kind));
}

export interface FilingInput {
  ratings: Array<{ competency: string; score: number }>;
  recommendation: string;
  notes?: string;
}

export type FilingCheck =
  | { ok: true; ratings: Array<{ competency: string; score: 1 | 2 | 3 | 4 }>; recommendation: Recommendation; notes: string }
  | { ok: false; message: string; field: string };

/** A scorecard scores every competency of its session exactly once, 1 to 4, with a recommendation. */
export function checkFiling(input: FilingInput, competencies: readonly Competency[]): FilingCheck {
  if (!isRecommendation(input.recommendation))
    return { ok: false, field: 'recommendation', message: 'recommendation must be one of strong_no, no, yes, strong_yes' };
  const wanted = new Map(competencies.map((c) => [c.key, c]));
  const seen = new Set<string>();
  const ratings: Array<{ competency: string; score: 1 | 2 | 3 | 4 }> = [];
  for (const [i, r] of (input.ratings ?? []).entries()) {
    const key = normalizeKey(String(r.competency ?? ''));
    if (!wanted.has(key))
      return {
        ok: false,
        field: `ratings[${i}].competency`,
        message: `"${r.competency}" is not a competency of this session (expected: ${[...wanted.keys()].join(', ')})`,
      };
    if (seen.has(key)) return { ok: false, field: `ratings[${i}].competency`, message: `"${key}" is rated twice` };
    if (!Number.isInteger(r.score) || r.score < 1 || r.score > 4)
      return { ok: false, field: `ratings[${i}].score`, message: `The score for "${key}" must be 1, 2, 3 or 4` };
    seen.add(key);
    ratings.push({ competency: key, score: r.score as 1 | 2 | 3 | 4 });
  }
  const missing = [...wanted.keys()].filter((k) => !seen.has(k));
  if (missing.length)
    return { ok: false, field: 'ratings', message: `Missing a score for: ${missing.map((k) => wanted.get(k)!.name).join(', ')}` };
  return { ok: true, ratings, recommendation: input.recommendation, notes: String(input.notes ?? '').trim() };
}
