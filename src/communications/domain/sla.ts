/**
 * Candidate contact SLA ("never ghost a candidate").
 *
 * Definition: a check-in is due when `contactSlaBusinessDays` business days, counted in the
 * CANDIDATE's time zone (weekends and the given holidays skipped), have elapsed since the
 * reference instant, where the reference is the later of the last contact with the candidate
 * (`lastContactAt`) and the moment the application entered its current stage
 * (`stageEnteredAt`); with no message since the stage was entered the reference is
 * `stageEnteredAt`. Precisely:
 *
 *   dueAt = addBusinessDays(max(lastContactAt, stageEnteredAt), contactSlaBusinessDays, tz, holidays)
 *   due   <=> now >= dueAt
 *
 * dueAt keeps the reference's local time of day (contact Friday 10:00, SLA 3 -> due Wednesday
 * 10:00). A sent check-in IS a contact: record it as lastContactAt, which starts the next SLA
 * period (and yields a new dueAt, hence a new idempotency key).
 * Callers should only evaluate active applications (terminal statuses get no check-ins).
 */
import { addBusinessDays } from '../../common/domain/business-days';

export interface CheckInInput {
  /** Last message sent to (or received from) the candidate; null/undefined when none. */
  lastContactAt?: Date | null;
  /** When the application entered its current stage. */
  stageEnteredAt: Date;
  /** The candidate's IANA time zone. */
  tz: string;
  /** Local dates 'YYYY-MM-DD' that are not business days. */
  holidays: readonly string[];
  /** From the current stage definition. */
  contactSlaBusinessDays: number;
}

/** The instant the SLA clock counts from: the later of lastContactAt and stageEnteredAt. */
export function checkInReference(input: Pick<CheckInInput, 'lastContactAt' | 'stageEnteredAt'>): Date {
  const { lastContactAt, stageEnteredAt } = input;
  if (lastContactAt && lastContactAt.getTime() > stageEnteredAt.getTime()) return lastContactAt;
  return stageEnteredAt;
}

/** When the next check-in becomes due. Throws RangeError for an invalid zone/holiday/SLA. */
export function checkInDueAt(input: CheckInInput): Date {
  const n = input.contactSlaBusinessDays;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`contactSlaBusinessDays must be a positive integer, got ${n}`);
  return addBusinessDays(checkInReference(input), n, input.tz, input.holidays);
}

/** True when `now` is at or after checkInDueAt(input). */
export function isCheckInDue(input: CheckInInput & { now: Date }): boolean {
  return input.now.getTime() >= checkInDueAt(input).getTime();
}

export interface CheckInAssessment {
  reference: Date;
  dueAt: Date;
  due: boolean;
  /** Idempotency key of this SLA period (see checkInKey); only meaningful with stageVisitId. */
  key?: string;
}

/** All of the above in one call; pass applicationId + stageVisitId to get the key. */
export function assessCheckIn(input: CheckInInput & { now: Date; applicationId?: string; stageVisitId?: string }): CheckInAssessment {
  const reference = checkInReference(input);
  const dueAt = checkInDueAt(input);
  const out: CheckInAssessment = { reference, dueAt, due: input.now.getTime() >= dueAt.getTime() };
  if (input.applicationId !== undefined && input.stageVisitId !== undefined) {
    out.key = checkInKey(input.applicationId, input.stageVisitId, dueAt);
  }
  return out;
}

/**
 * Idempotency key for one check-in per SLA period: the period is identified by the stage visit
 * and its due instant (which only changes when a new contact is recorded or a new stage visit
 * starts). Use it as a unique constraint / job id so retries and concurrent workers send at most
 * one check-in per period. Format: `check-in:<applicationId>:<stageVisitId>:<dueAt ISO>`.
 */
export function checkInKey(applicationId: string, stageVisitId: string, dueAt: Date): string {
  if (Number.isNaN(dueAt.getTime())) throw new RangeError('dueAt is not a valid Date');
  return `check-in:${applicationId}:${stageVisitId}:${dueAt.toISOString()}`;
}
