/**
 * Stale applications: an application that sits in one stage too long alerts the hiring manager.
 *
 * Business days are counted in the OPENING's / hiring manager's time zone (passed in), from the
 * moment the application entered its current stage, with businessDaysBetween (whole business
 * days: Friday 10:00 -> Monday 10:00 is one).
 *   elapsed >= 2 * staleAfterBusinessDays -> 'escalated'
 *   elapsed >=     staleAfterBusinessDays -> 'stale'
 *   otherwise                             -> 'none'
 * Callers should only evaluate active applications.
 */
import { addBusinessDays, businessDaysBetween } from '../../common/domain/business-days';

export type StaleLevel = 'none' | 'stale' | 'escalated';

export interface StaleInput {
  stageEnteredAt: Date;
  now: Date;
  staleAfterBusinessDays: number;
  /** Time zone of the opening / hiring manager. */
  tz: string;
  holidays: readonly string[];
}

export interface StaleAssessment {
  level: StaleLevel;
  /** Whole business days in the current stage so far. */
  businessDaysInStage: number;
  /** When the application becomes (or became) stale. */
  staleAt: Date;
  /** When it escalates (twice the threshold). */
  escalatesAt: Date;
}

function assertThreshold(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`staleAfterBusinessDays must be a positive integer, got ${n}`);
}

export function staleLevel(input: StaleInput): StaleLevel {
  return measureStaleness(input).level;
}

/** The level and the whole business days in the stage, without the two future instants (what the sweeps need, per row). */
export function measureStaleness(input: StaleInput): Pick<StaleAssessment, 'level' | 'businessDaysInStage'> {
  const { stageEnteredAt, now, staleAfterBusinessDays: n, tz, holidays } = input;
  assertThreshold(n);
  const days = businessDaysBetween(stageEnteredAt, now, tz, holidays);
  return { level: days >= 2 * n ? 'escalated' : days >= n ? 'stale' : 'none', businessDaysInStage: days };
}

export function assessStaleness(input: StaleInput): StaleAssessment {
  const { stageEnteredAt, staleAfterBusinessDays: n, tz, holidays } = input;
  const { level, businessDaysInStage } = measureStaleness(input);
  return {
    level,
    businessDaysInStage,
    staleAt: addBusinessDays(stageEnteredAt, n, tz, holidays),
    escalatesAt: addBusinessDays(stageEnteredAt, 2 * n, tz, holidays),
  };
}

/**
 * Idempotency key: one alert per application, stage visit and level (a 'stale' alert and a later
 * 'escalated' alert are distinct; re-running the job produces no duplicates).
 */
export function staleAlertKey(applicationId: string, stageVisitId: string, level: Exclude<StaleLevel, 'none'>): string {
  return `stale:${applicationId}:${stageVisitId}:${level}`;
}

// ---------------------------------------------------------------- digest

export interface DigestAlert {
  hiringManagerId: string;
  applicationId: string;
  stageEnteredAt: Date;
  level: StaleLevel;
}

export interface DigestGroup<T extends DigestAlert = DigestAlert> {
  hiringManagerId: string;
  /** Oldest first (earliest stageEnteredAt; ties by applicationId). */
  alerts: T[];
  staleCount: number;
  escalatedCount: number;
}

/**
 * Group alerts per hiring manager for a digest. Alerts at level 'none' are dropped. Within a
 * group alerts are oldest first; groups are ordered by hiringManagerId for a stable output.
 * The input is not mutated; extra fields on the alerts are preserved.
 */
export function groupDigest<T extends DigestAlert>(alerts: readonly T[]): DigestGroup<T>[] {
  const byManager = new Map<string, T[]>();
  for (const a of alerts) {
    if (a.level === 'none') continue;
    const list = byManager.get(a.hiringManagerId);
    if (list) list.push(a);
    else byManager.set(a.hiringManagerId, [a]);
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...byManager.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([hiringManagerId, list]) => {
      const sorted = [...list].sort(
        (a, b) => a.stageEnteredAt.getTime() - b.stageEnteredAt.getTime() || cmp(a.applicationId, b.applicationId),
      );
      return {
        hiringManagerId,
        alerts: sorted,
        staleCount: sorted.filter((a) => a.level === 'stale').length,
        escalatedCount: sorted.filter((a) => a.level === 'escalated').length,
      };
    });
}
