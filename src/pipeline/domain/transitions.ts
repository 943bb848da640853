/**
 * Stage moves and terminal outcomes for an application.
 *
 * Rules (checked in this order):
 *  1. Nothing moves out of a terminal status (rejected, withdrawn, hired)    -> TERMINAL_STATUS 409
 *  2. The application's current stage must exist in the opening's stages      -> UNKNOWN_CURRENT_STAGE 409
 *  3. The target must be a stage of the opening                               -> UNKNOWN_STAGE 400
 *  4. The target must differ from the current stage                           -> SAME_STAGE 409
 *  5. Back to any earlier stage: always allowed (no note needed)              -> kind 'back'
 *  6. Forward by exactly one stage: always allowed                            -> kind 'forward'
 *  7. Forward by more than one stage is a skip; every skipped stage needs a justification:
 *     - a skipped take-home (kind 'take_home') needs a recorded public-code exemption; a note
 *       alone does not suffice                                               -> SKIP_TAKE_HOME_REQUIRES_EXEMPTION 422
 *     - any other skipped stage needs a non-blank note                        -> SKIP_REQUIRES_NOTE 422
 *     The exemption check comes first (a note cannot fix it). Skipping only the take-home with
 *     an exemption needs no note: the exemption is the recorded reason.
 */
import { ApplicationStatus, StageDefinition, TerminalStatus, isLastStage, isTerminalStatus, stageIndex } from './stages';

export type TransitionErrorCode =
  | 'TERMINAL_STATUS'
  | 'UNKNOWN_CURRENT_STAGE'
  | 'UNKNOWN_STAGE'
  | 'SAME_STAGE'
  | 'SKIP_REQUIRES_NOTE'
  | 'SKIP_TAKE_HOME_REQUIRES_EXEMPTION'
  | 'HIRE_REQUIRES_FINAL_STAGE';

const HTTP_STATUS: Record<TransitionErrorCode, number> = {
  TERMINAL_STATUS: 409,
  UNKNOWN_CURRENT_STAGE: 409,
  UNKNOWN_STAGE: 400,
  SAME_STAGE: 409,
  SKIP_REQUIRES_NOTE: 422,
  SKIP_TAKE_HOME_REQUIRES_EXEMPTION: 422,
  HIRE_REQUIRES_FINAL_STAGE: 409,
};

/** HTTP status to answer with for a refused transition or terminal action. */
export function transitionErrorHttpStatus(code: TransitionErrorCode): number {
  return HTTP_STATUS[code];
}

export interface TransitionFailure {
  ok: false;
  code: TransitionErrorCode;
  /** Human-readable, safe to show to staff. */
  reason: string;
  /** Same as transitionErrorHttpStatus(code). */
  httpStatus: number;
}

export type TransitionKind = 'forward' | 'back' | 'skip';

export interface TransitionSuccess {
  ok: true;
  kind: TransitionKind;
  from: string;
  to: string;
  /** Keys of the stages jumped over (only for 'skip'), in pipeline order. */
  skipped: string[];
  /** True when a skipped take-home is justified by the public-code exemption. */
  usedPublicCodeExemption: boolean;
  /** The trimmed note, when one was given. */
  note?: string;
}

export type TransitionDecision = TransitionSuccess | TransitionFailure;

export interface TransitionRequest {
  stages: readonly StageDefinition[];
  currentStage: string;
  status: ApplicationStatus;
  to: string;
  note?: string | null;
  /** The application has a recorded exemption of kind 'public_code'. */
  hasPublicCodeExemption: boolean;
}

function fail(code: TransitionErrorCode, reason: string): TransitionFailure {
  return { ok: false, code, reason, httpStatus: HTTP_STATUS[code] };
}

function trimmedNote(note: string | null | undefined): string | undefined {
  const t = typeof note === 'string' ? note.trim() : '';
  return t === '' ? undefined : t;
}

export function decideTransition(req: TransitionRequest): TransitionDecision {
  const { stages, currentStage, status, to } = req;
  if (isTerminalStatus(status)) {
    return fail('TERMINAL_STATUS', `the application is ${status}; it can no longer move between stages`);
  }
  const from = stageIndex(stages, currentStage);
  if (from < 0) {
    return fail('UNKNOWN_CURRENT_STAGE', `the application's current stage "${currentStage}" is not a stage of this opening`);
  }
  const target = stageIndex(stages, to);
  if (target < 0) {
    return fail('UNKNOWN_STAGE', `"${to}" is not a stage of this opening (stages: ${stages.map((s) => s.key).join(', ')})`);
  }
  if (target === from) return fail('SAME_STAGE', `the application is already in stage "${to}"`);
  const note = trimmedNote(req.note);
  const base = { ok: true as const, from: currentStage, to, ...(note !== undefined ? { note } : {}) };
  if (target < from) return { ...base, kind: 'back', skipped: [], usedPublicCodeExemption: false };
  if (target === from + 1) return { ...base, kind: 'forward', skipped: [], usedPublicCodeExemption: false };

  const skippedStages = stages.slice(from + 1, target);
  const takeHomes = skippedStages.filter((s) => s.kind === 'take_home');
  const others = skippedStages.filter((s) => s.kind !== 'take_home');
  if (takeHomes.length > 0 && !req.hasPublicCodeExemption) {
    return fail(
      'SKIP_TAKE_HOME_REQUIRES_EXEMPTION',
      `skipping the take-home stage "${takeHomes[0].key}" requires a recorded public-code exemption; a note is not enough`,
    );
  }
  if (others.length > 0 && note === undefined) {
    return fail('SKIP_REQUIRES_NOTE', `skipping ${others.map((s) => `"${s.key}"`).join(', ')} requires a note explaining why`);
  }
  return {
    ...base,
    kind: 'skip',
    skipped: skippedStages.map((s) => s.key),
    usedPublicCodeExemption: takeHomes.length > 0,
  };
}

// ---------------------------------------------------------------- terminal outcomes

export type TerminalAction = 'reject' | 'withdraw' | 'hire';

export const TERMINAL_ACTION_STATUS: Record<TerminalAction, TerminalStatus> = {
  reject: 'rejected',
  withdraw: 'withdrawn',
  hire: 'hired',
};

export interface TerminalRequest {
  status: ApplicationStatus;
  action: TerminalAction;
  currentStage: string;
  stages: readonly StageDefinition[];
}

export type TerminalDecision = { ok: true; status: TerminalStatus; stage: string } | TransitionFailure;

/**
 * Reject or withdraw from any stage while active; hire only from the last stage (the offer).
 * The application keeps its current stage (so reports can show where it ended).
 */
export function decideTerminal(req: TerminalRequest): TerminalDecision {
  const { status, action, currentStage, stages } = req;
  if (isTerminalStatus(status)) {
    return fail('TERMINAL_STATUS', `the application is already ${status}; it cannot be ${TERMINAL_ACTION_STATUS[action]}`);
  }
  if (stageIndex(stages, currentStage) < 0) {
    return fail('UNKNOWN_CURRENT_STAGE', `the application's current stage "${currentStage}" is not a stage of this opening`);
  }
  if (action === 'hire' && !isLastStage(stages, currentStage)) {
    const last = stages[stages.length - 1];
    return fail(
      'HIRE_REQUIRES_FINAL_STAGE',
      `a candidate can only be hired from the last stage "${last.key}"; the application is in "${currentStage}"`,
    );
  }
  return { ok: true, status: TERMINAL_ACTION_STATUS[action], stage: currentStage };
}
