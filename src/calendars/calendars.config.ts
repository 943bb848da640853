import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Calendar settings, read from the environment once (a bad value stops the process naming it). */
export const calendarsSchema = z.object({
  /** A calendar last read longer ago than this is stale: its owner is not offered or booked until it is read again. */
  CALENDAR_FRESHNESS_MINUTES: int(1, 24 * 60).default(30),
  /** How far ahead busy times are read. */
  CALENDAR_HORIZON_DAYS: int(7, 366).default(60),
  CALENDAR_TIMEOUT_MS: int(500, 120_000).default(15_000),
  /** The largest answer read from a calendar server (bytes). */
  CALENDAR_MAX_BYTES: int(10_000, 100_000_000).default(5_000_000),
  /** Candidates may move their own review up to this many hours before it starts. */
  SELF_SCHEDULE_NOTICE_HOURS: int(0, 24 * 14).default(24),
  /** "on": CalDAV calendars are read with free-busy-query where the server answers it (calendar-query otherwise). */
  CALDAV_FREE_BUSY: z.enum(['on', 'off']).default('off'),
  /** "on": a graded take-home first gets the candidate a choice of review times (automatic booking is the fallback); "off": booked automatically. */
  SELF_SCHEDULE_OFFERS: z.enum(['on', 'off']).default('off'),
  /** Offered times expire after this many business days (in the candidate's zone) without a pick, and are offered again. */
  SELF_SCHEDULE_OFFER_DAYS: int(1, 30).default(2),
  /** After this many unanswered offers the review is booked automatically (the candidate may still move it). */
  SELF_SCHEDULE_OFFER_ROUNDS: int(1, 10).default(2),
});
export type CalendarsConfig = z.infer<typeof calendarsSchema>;

export function parseCalendarsConfig(source: NodeJS.ProcessEnv): CalendarsConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([k, v]) => k in calendarsSchema.shape && v !== undefined && v !== ''));
  const r = calendarsSchema.safeParse(cleaned);
  if (!r.success)
    throw new Error('Invalid configuration:\n' + r.error.issues.map((i) => `  - ${String(i.path[0])}: ${i.message}`).join('\n'));
  return r.data;
}

export const CALENDARS_CONFIG = Symbol('CALENDARS_CONFIG');
