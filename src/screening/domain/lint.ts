/**
 * Screening-form authoring: lint (does this question suit a non-technical recruiter?),
 * structural validation, and the default question bank from the article.
 *
 * Lint rules (severity):
 *  - empty-prompt (error): the prompt is empty or whitespace.
 *  - missing-answer (error): no canonical answer (empty/whitespace, or only articles/punctuation).
 *  - needs-judgment (warning): the prompt asks for judgment or nuance (explain, describe,
 *    difference between, how does/do, why, compare, what do you think, discuss, tell me
 *    about, ...). The article's bad examples: "What is the difference between a map and an
 *    array?", "Explain how the Domain Name System works."
 *  - long-answer (warning): the canonical answer has more than 5 words (articles not counted).
 *  - no-accepted-variants (warning): a multi-word canonical answer without any accepted variant.
 *  - duplicate-question (warning): same prompt as an earlier question after normalization
 *    (case, punctuation, diacritics, whitespace); reported on the later question.
 *  - blank-variant (warning): an accepted answer that is empty.
 *  - duplicate-variant (warning): an accepted answer that normalizes to the same tokens as the
 *    canonical answer or an earlier variant (it adds nothing: e.g. "Web Browser" next to
 *    "web browsers").
 */
import { z } from 'zod';
import { ScreeningForm, normalizeText, tokenize } from './scoring';

export type LintSeverity = 'error' | 'warning';
export type LintRule =
  | 'empty-prompt'
  | 'missing-answer'
  | 'needs-judgment'
  | 'long-answer'
  | 'no-accepted-variants'
  | 'duplicate-question'
  | 'blank-variant'
  | 'duplicate-variant';

export interface LintIssue {
  /** 0-based index in the questions array. */
  questionIndex: number;
  severity: LintSeverity;
  rule: LintRule;
  message: string;
}

export interface LintableQuestion {
  prompt: string;
  answer: string;
  acceptedAnswers?: readonly string[] | null;
}

export const MAX_CANONICAL_ANSWER_WORDS = 5;

/** Phrases that signal a question needing judgment; matched on whole words of the normalized prompt. */
export const JUDGMENT_PHRASES: readonly string[] = [
  'explain',
  'describe',
  'difference between',
  'differences between',
  'different from',
  'how does',
  'how do',
  'how would',
  'how should',
  'how can',
  'why',
  'compare',
  'contrast',
  'what do you think',
  'what would you',
  'discuss',
  'tell me about',
  'talk about',
  'walk me through',
  'in your opinion',
  'your experience',
  'pros and cons',
  'advantages',
  'disadvantages',
  'best way',
  'best practice',
  'best practices',
];

const JUDGMENT_RE = new RegExp(`(?:^| )(${JUDGMENT_PHRASES.map((p) => p.replace(/ /g, ' +')).join('|')})(?= |$)`);

const tokenKey = (s: string) => [...new Set(tokenize(s))].sort().join(' ');

export function lintForm(questions: readonly LintableQuestion[]): LintIssue[] {
  const issues: LintIssue[] = [];
  const seenPrompts = new Map<string, number>();
  questions.forEach((q, i) => {
    const add = (severity: LintSeverity, rule: LintRule, message: string) => issues.push({ questionIndex: i, severity, rule, message });
    const prompt = typeof q.prompt === 'string' ? q.prompt : '';
    const answer = typeof q.answer === 'string' ? q.answer : '';
    const accepted = Array.isArray(q.acceptedAnswers) ? q.acceptedAnswers : [];
    const normPrompt = normalizeText(prompt);

    if (prompt.trim() === '') add('error', 'empty-prompt', `question ${i + 1} has no prompt`);
    const answerTokens = tokenize(answer);
    if (answerTokens.length === 0) {
      add('error', 'missing-answer', `question ${i + 1} has no canonical answer; a recruiter cannot grade it`);
    }

    const judgment = JUDGMENT_RE.exec(normPrompt);
    if (judgment) {
      add(
        'warning',
        'needs-judgment',
        `question ${i + 1} asks for judgment ("${judgment[1]}"); a non-technical recruiter cannot grade it. ` +
          'Ask for a short, specific fact instead (e.g. "Firefox, Mozilla, and Safari are all examples of what?")',
      );
    }
    if (answerTokens.length > MAX_CANONICAL_ANSWER_WORDS) {
      add(
        'warning',
        'long-answer',
        `question ${i + 1}'s answer has ${answerTokens.length} words; answers of at most ${MAX_CANONICAL_ANSWER_WORDS} words leave no room for interpretation`,
      );
    }
    const nonBlank = accepted.filter((a) => typeof a === 'string' && a.trim() !== '');
    if (answerTokens.length > 1 && nonBlank.length === 0) {
      add(
        'warning',
        'no-accepted-variants',
        `question ${i + 1}'s answer has several words but no accepted variants; add the other ways candidates will say it`,
      );
    }
    if (nonBlank.length !== accepted.length) {
      add('warning', 'blank-variant', `question ${i + 1} has an empty accepted answer`);
    }
    const seenVariants = new Set<string>(answerTokens.length > 0 ? [tokenKey(answer)] : []);
    for (const v of nonBlank) {
      const key = tokenKey(v);
      if (key === '') continue;
      if (seenVariants.has(key)) {
        add('warning', 'duplicate-variant', `question ${i + 1}'s accepted answer "${v}" is the same as another answer after normalization`);
      }
      seenVariants.add(key);
    }

    if (normPrompt !== '') {
      const first = seenPrompts.get(normPrompt);
      if (first !== undefined) {
        add('warning', 'duplicate-question', `question ${i + 1} duplicates question ${first + 1}`);
      } else {
        seenPrompts.set(normPrompt, i);
      }
    }
  });
  return issues;
}

export function hasLintErrors(issues: readonly LintIssue[]): boolean {
  return issues.some((x) => x.severity === 'error');
}

// ---------------------------------------------------------------- structural validation

export const FORM_LIMITS = Object.freeze({
  minQuestions: 1,
  maxQuestions: 50,
  maxPromptChars: 500,
  maxAnswerChars: 200,
  maxAcceptedAnswers: 20,
  minWeight: 1,
  maxWeight: 10,
  minThreshold: 0,
  maxThreshold: 100,
});

export const DEFAULT_PASS_THRESHOLD = 80;

const L = FORM_LIMITS;
const str = (max: number) =>
  z.string({ required_error: 'is required', invalid_type_error: 'must be a string' }).max(max, `must be at most ${max} characters`);

export const screeningQuestionSchema = z.object({
  id: z.string().optional(),
  prompt: str(L.maxPromptChars),
  answer: str(L.maxAnswerChars),
  acceptedAnswers: z
    .array(str(L.maxAnswerChars), { invalid_type_error: 'must be an array of strings' })
    .max(L.maxAcceptedAnswers, `must have at most ${L.maxAcceptedAnswers} entries`)
    .default([]),
  knockout: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
  weight: z
    .number({ invalid_type_error: 'must be a number' })
    .int('must be a whole number')
    .min(L.minWeight, `must be at least ${L.minWeight}`)
    .max(L.maxWeight, `must be at most ${L.maxWeight}`)
    .default(1),
});

export const screeningFormSchema = z.object({
  passThreshold: z
    .number({ required_error: 'is required', invalid_type_error: 'must be a number' })
    .min(L.minThreshold, `must be at least ${L.minThreshold}`)
    .max(L.maxThreshold, `must be at most ${L.maxThreshold}`),
  questions: z
    .array(screeningQuestionSchema, { required_error: 'is required', invalid_type_error: 'must be an array' })
    .min(L.minQuestions, `must have at least ${L.minQuestions} question`)
    .max(L.maxQuestions, `must have at most ${L.maxQuestions} questions`),
});

export type ScreeningQuestionDraft = z.output<typeof screeningQuestionSchema>;
export type ScreeningFormDraft = z.output<typeof screeningFormSchema>;

export interface FormValidationError {
  /** e.g. 'questions[3].weight' */
  path: string;
  message: string;
}

export type FormValidationResult = { ok: true; form: ScreeningFormDraft } | { ok: false; errors: FormValidationError[] };

/**
 * Structural limits only (types, 1..50 questions, prompt <= 500 chars, answers <= 200 chars,
 * <= 20 accepted answers, weight integer 1..10, threshold 0..100); defaults: acceptedAnswers [],
 * knockout false, weight 1. Unknown fields are dropped. Content problems (empty prompt or
 * answer, judgment questions) are lintForm's job.
 */
export function validateForm(input: unknown): FormValidationResult {
  const r = screeningFormSchema.safeParse(input);
  if (r.success) return { ok: true, form: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((issue) => ({
      path: issue.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || 'form',
      message: issue.message,
    })),
  };
}

// ---------------------------------------------------------------- default bank

/**
 * Blatantly specific questions in the style of the article's good examples. Scorable as-is
 * (questions carry stable ids); lints clean.
 */
export const DEFAULT_SCREENING_BANK: Readonly<ScreeningForm> = Object.freeze({
  passThreshold: DEFAULT_PASS_THRESHOLD,
  questions: [
    {
      id: 'web-browsers',
      prompt: 'Firefox, Mozilla, and Safari are all examples of what?',
      answer: 'web browsers',
      acceptedAnswers: ['browsers', 'internet browsers'],
      knockout: false,
      weight: 1,
    },
    {
      id: 'loops',
      prompt: 'In programming, "for" and "while" are examples of what?',
      answer: 'loops',
      acceptedAnswers: ['loop statements', 'looping constructs'],
      knockout: false,
      weight: 1,
    },
    {
      id: 'dns',
      prompt: 'What does DNS stand for?',
      answer: 'Domain Name System',
      acceptedAnswers: ['Domain Name System (DNS)', 'Internet Domain Name System'],
      knockout: true,
      weight: 2,
    },
    {
      id: 'protocols',
      prompt: 'HTTP, FTP and SMTP are examples of what?',
      answer: 'protocols',
      acceptedAnswers: ['network protocols', 'internet protocols', 'communication protocols'],
      knockout: false,
      weight: 1,
    },
    {
      id: 'databases',
      prompt: 'PostgreSQL, MySQL and Oracle are examples of what?',
      answer: 'databases',
      acceptedAnswers: ['relational databases', 'database management systems', 'RDBMS', 'SQL databases'],
      knockout: false,
      weight: 1,
    },
    {
      id: 'programming-languages',
      prompt: 'Python, Java and Go are examples of what?',
      answer: 'programming languages',
      acceptedAnswers: ['languages', 'coding languages'],
      knockout: false,
      weight: 1,
    },
  ],
});

/** A deep, mutable copy of the default bank (to seed a new opening's form). */
export function defaultScreeningForm(): ScreeningForm {
  return {
    passThreshold: DEFAULT_SCREENING_BANK.passThreshold,
    questions: DEFAULT_SCREENING_BANK.questions.map((q) => ({ ...q, acceptedAnswers: [...q.acceptedAnswers] })),
  };
}
