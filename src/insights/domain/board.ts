/**
 * The hiring manager's board: per card, business days in the stage and an SLA state.
 *
 * Two deadlines apply to an active application (see communications/domain/sla.ts and
 * alerts/domain/stale.ts): the contact SLA (a check-in is due contactSlaBusinessDays after the
 * later of the last contact and the stage entry, in the CANDIDATE's time zone) and the stale
 * threshold (staleAfterBusinessDays in the stage, in the OPENING's time zone). The card shows the
 * earlier one:
 *   late      now >= the earlier deadline
 *   due_soon  the earlier deadline falls within the next business day (opening's time zone)
 *   ok        otherwise
 * Pure: no clock, no I/O.
 */
import { addBusinessDays, businessDaysBetween } from '../../common/domain/business-days';
import { checkInDueAt } from '../../communications/domain/sla';

export type SlaState = 'ok' | 'due_soon' | 'late';

export interface CardInput {
  now: Date;
  stageEnteredAt: Date;
  lastContactAt?: Date | null;
  candidateTz: string;
  openingTz: string;
  holidays: readonly string[];
  contactSlaBusinessDays: number;
  staleAfterBusinessDays: number;
}

export interface CardAssessment {
  /** Whole business days in the stage (opening's time zone). */
  businessDaysInStage: number;
  state: SlaState;
  contactDueAt: Date;
  staleAt: Date;
  /** Which deadline decides the state. */
  deadline: 'contact' | 'stale';
  deadlineAt: Date;
}

export function assessCard(input: CardInput): CardAssessment {
  const contactDueAt = checkInDueAt({
    lastContactAt: input.lastContactAt ?? null,
    stageEnteredAt: input.stageEnteredAt,
    tz: input.candidateTz,
    holidays: input.holidays,
    contactSlaBusinessDays: input.contactSlaBusinessDays,
  });
  const staleAt = addBusinessDays(input.stageEnteredAt, input.staleAfterBusinessDays, input.openingTz, input.holidays);
  const deadline: 'contact' | 'stale' = contactDueAt.getTime() <= staleAt.getTime() ? 'contact' : 'stale';
  const deadlineAt = deadline === 'contact' ? contactDueAt : staleAt;
  const now = input.now.getTime();
  const horizon = addBusinessDays(input.now, 1, input.openingTz, input.holidays).getTime();
  const state: SlaState = now >= deadlineAt.getTime() ? 'late' : horizon >= deadlineAt.getTime() ? 'due_soon' : 'ok';
  return {
    businessDaysInStage: businessDaysBetween(input.stageEnteredAt, input.now, input.openingTz, input.holidays),
    state,
    contactDueAt,
    staleAt,
    deadline,
    deadlineAt,
  };
}
