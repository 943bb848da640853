/**
 * Pipeline stages and application statuses.
 *
 * An opening has an ordered list of stages; an application sits in exactly one stage and has
 * a status. Terminal outcomes (rejected, withdrawn, hired) are statuses, not stages.
 *
 * `kind` carries behaviour, `key` is the opening's own identifier: custom stage lists may use
 * any keys, and rules such as "skipping the take-home needs a public-code exemption" look at
 * `kind === 'take_home'`. For the default stages key === kind.
 */
import { z } from 'zod';

export const STAGE_KINDS = ['recruiter_screen', 'manager_call', 'take_home', 'code_review', 'team_interviews', 'offer', 'custom'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export interface StageDefinition {
  /** Slug, unique within the opening: lowercase letters, digits, '_' or '-', starting with a letter. */
  key: string;
  name: string;
  kind: StageKind;
  /** One line shown to the candidate explaining what happens in this stage. */
  description: string;
  /** Check in with the candidate when this many business days pass without contact. */
  contactSlaBusinessDays: number;
  /** Alert the hiring manager when an application sits in the stage this many business days. */
  staleAfterBusinessDays: number;
}

export const DEFAULT_CONTACT_SLA_BUSINESS_DAYS = 3;
export const DEFAULT_STALE_AFTER_BUSINESS_DAYS = 5;
export const MAX_STAGES = 20;
export const MAX_SLA_BUSINESS_DAYS = 60;
export const STAGE_KEY_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

const stage = (key: StageKind, name: string, description: string): StageDefinition => ({
  key,
  name,
  kind: key,
  description,
  contactSlaBusinessDays: DEFAULT_CONTACT_SLA_BUSINESS_DAYS,
  staleAfterBusinessDays: DEFAULT_STALE_AFTER_BUSINESS_DAYS,
});

/** The process from the reference article, in order. */
export const DEFAULT_STAGES: readonly StageDefinition[] = Object.freeze([
  stage(
    'recruiter_screen',
    'Recruiter screen',
    'A short first conversation to answer your questions about compensation ranges and benefits, with a few simple, specific technical questions.',
  ),
  stage(
    'manager_call',
    'Hiring manager call',
    'A conversation with the hiring manager about your background, what you would like to be doing in your next job, and the whole hiring process.',
  ),
  stage(
    'take_home',
    'Take-home coding test',
    'A coding test that reflects the actual work, done at home in no more than 3 hours (or we review public code you recommend instead).',
  ),
  stage(
    'code_review',
    'Coding test review',
    'You and an engineer well versed in the language review a piece of your coding test together and talk through your choices.',
  ),
  stage(
    'team_interviews',
    'Team interviews',
    'A few one-on-one conversations, with breaks, with the people you would work with, so you can get to know each other.',
  ),
  stage('offer', 'Offer', 'We make you a fair offer; compensation was discussed early, so there should be no surprises.'),
]);

/** A fresh mutable copy of the default stages. */
export function defaultStages(): StageDefinition[] {
  return DEFAULT_STAGES.map((s) => ({ ...s }));
}

export const APPLICATION_STATUSES = ['active', 'rejected', 'withdrawn', 'hired'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const TERMINAL_STATUSES: readonly ApplicationStatus[] = ['rejected', 'withdrawn', 'hired'];
export type TerminalStatus = Exclude<ApplicationStatus, 'active'>;

export function isTerminalStatus(status: ApplicationStatus): status is TerminalStatus {
  return status !== 'active';
}

export function stageIndex(stages: readonly StageDefinition[], key: string): number {
  return stages.findIndex((s) => s.key === key);
}

export function findStage(stages: readonly StageDefinition[], key: string): StageDefinition | undefined {
  return stages.find((s) => s.key === key);
}

/** The stage after `key`, or undefined at the last stage or for an unknown key. */
export function nextStage(stages: readonly StageDefinition[], key: string): StageDefinition | undefined {
  const i = stageIndex(stages, key);
  return i < 0 ? undefined : stages[i + 1];
}

/**
 * Where a graded take-home (or accepted public code) puts the application: the opening's
 * code-review stage, when the application is before it and only take-home stages lie between
 * (so the move skips nothing but the take-home). Undefined when there is nothing to move.
 */
export function codeReviewEntry(stages: readonly StageDefinition[], key: string): StageDefinition | undefined {
  const review = stages.findIndex((s) => s.kind === 'code_review');
  const i = stageIndex(stages, key);
  if (review < 0 || i < 0 || i >= review) return undefined;
  return stages.slice(i + 1, review).every((s) => s.kind === 'take_home') ? stages[review] : undefined;
}

/**
 * Where a positive code review moves the application: the stage after the code-review stage
 * (the next stage when the opening has none). Undefined once the application is past it, and
 * while it is still before it (callers first enter it with codeReviewEntry where only the
 * take-home lies between): jumping from, say, the recruiter screen over a manager call not yet
 * held is a skip the transition rules refuse without a note, and a review must not make it.
 */
export function afterCodeReview(stages: readonly StageDefinition[], key: string): StageDefinition | undefined {
  const review = stages.findIndex((s) => s.kind === 'code_review');
  const i = stageIndex(stages, key);
  if (i < 0) return undefined;
  if (review < 0) return stages[i + 1];
  return i === review ? stages[review + 1] : undefined;
}

export function isLastStage(stages: readonly StageDefinition[], key: string): boolean {
  const i = stageIndex(stages, key);
  return i >= 0 && i === stages.length - 1;
}

// ---------------------------------------------------------------- validation

const slaNumber = z
  .number({ invalid_type_error: 'must be a number' })
  .int('must be a whole number of business days')
  .min(1, 'must be at least 1')
  .max(MAX_SLA_BUSINESS_DAYS, `must be at most ${MAX_SLA_BUSINESS_DAYS}`);

export const stageInputSchema = z
  .object({
    key: z
      .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
      .regex(STAGE_KEY_PATTERN, 'must be a slug: lowercase letters, digits, "_" or "-", starting with a letter, at most 40 characters'),
    name: z
      .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters'),
    kind: z.enum(STAGE_KINDS, { errorMap: () => ({ message: `must be one of ${STAGE_KINDS.join(', ')}` }) }).optional(),
    description: z.string({ invalid_type_error: 'must be a string' }).trim().max(500, 'must be at most 500 characters').optional(),
    contactSlaBusinessDays: slaNumber.optional(),
    staleAfterBusinessDays: slaNumber.optional(),
  })
  .strict();

export type StageInput = z.input<typeof stageInputSchema>;

export interface StageValidationError {
  /** e.g. 'stages[2].key' or 'stages'. */
  path: string;
  message: string;
}

export type StageValidationResult = { ok: true; stages: StageDefinition[] } | { ok: false; errors: StageValidationError[] };

function formatPath(prefix: string, path: ReadonlyArray<string | number>): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${p}`;
  return out;
}

/**
 * Validate an opening's custom stage list (HTTP input, hence `unknown`). Rules: 1..20 stages;
 * keys are unique slugs; names non-empty; SLA and stale thresholds whole numbers 1..60;
 * at most one `offer` stage and, when present, it is last (hire happens from the last stage).
 * Missing kind defaults to the key when the key is a known kind, else 'custom'; missing
 * description to ''; missing SLA/stale numbers to 3/5.
 * Error paths name the offending field, e.g. `stages[1].key`.
 */
export function validateStages(input: unknown, pathPrefix = 'stages'): StageValidationResult {
  if (!Array.isArray(input)) return { ok: false, errors: [{ path: pathPrefix, message: 'must be an array of stages' }] };
  const errors: StageValidationError[] = [];
  if (input.length < 1) errors.push({ path: pathPrefix, message: 'must contain at least 1 stage' });
  if (input.length > MAX_STAGES) errors.push({ path: pathPrefix, message: `must contain at most ${MAX_STAGES} stages` });
  const stages: StageDefinition[] = [];
  const firstIndexOfKey = new Map<string, number>();
  input.forEach((raw, i) => {
    const parsed = stageInputSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({
          path: formatPath(`${pathPrefix}[${i}]`, issue.path),
          message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
        });
      }
      return;
    }
    const v = parsed.data;
    const prev = firstIndexOfKey.get(v.key);
    if (prev !== undefined) {
      errors.push({ path: `${pathPrefix}[${i}].key`, message: `duplicate key "${v.key}" (also used by ${pathPrefix}[${prev}])` });
    } else {
      firstIndexOfKey.set(v.key, i);
    }
    const kind: StageKind = v.kind ?? ((STAGE_KINDS as readonly string[]).includes(v.key) ? (v.key as StageKind) : 'custom');
    stages.push({
      key: v.key,
      name: v.name,
      kind,
      description: v.description ?? '',
      contactSlaBusinessDays: v.contactSlaBusinessDays ?? DEFAULT_CONTACT_SLA_BUSINESS_DAYS,
      staleAfterBusinessDays: v.staleAfterBusinessDays ?? DEFAULT_STALE_AFTER_BUSINESS_DAYS,
    });
    if (kind === 'offer' && i !== input.length - 1) {
      errors.push({ path: `${pathPrefix}[${i}].kind`, message: 'an offer stage must be the last stage' });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, stages };
}
