import { addBusinessDays } from '../../common/domain/business-days';

/**
 * The reply SLA: a candidate's unanswered mail is due an answer `days` business days (in the
 * opening's time zone and holidays) after it arrived; past that the recruiter is alerted, and past
 * twice that the hiring manager too (escalated), as with stale candidates.
 */
export function assessReply(input: { receivedAt: Date; now: Date; days: number; tz: string; holidays: readonly string[] }): {
  level: 'none' | 'overdue' | 'escalated';
  dueAt: Date;
  escalateAt: Date;
} {
  const dueAt = addBusinessDays(input.receivedAt, input.days, input.tz, input.holidays);
  const escalateAt = addBusinessDays(input.receivedAt, 2 * input.days, input.tz, input.holidays);
  const level = input.now >= escalateAt ? 'escalated' : input.now >= dueAt ? 'overdue' : 'none';
  return { level, dueAt, escalateAt };
}
