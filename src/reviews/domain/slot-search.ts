import { CandidateProfile, ReviewerProfile, displayLanguage, eligibleReviewers, rankReviewers } from './reviewer-match';
import {
  Instant,
  MINUTE_MS,
  assertZone,
  businessDatesWindow,
  dateKey,
  formatClock,
  isoWeekday,
  localDate,
  parseClock,
  toMillis,
  zonedMillis,
} from './zoned-time';

export interface SlotSearchSettings {
  /** Free minutes required before and after every other session or busy block. */
  bufferMinutes: number;
  /** Review sessions per reviewer per reviewer-local day. */
  maxPerDay: number;
  /** Nothing on Friday after 12:00 local, in either party's zone. */
  noFridayAfternoon: boolean;
  /** Search horizon: business days after today (Mon-Fri, counted in each party's zone). */
  searchBusinessDays: number;
  /** The slot's local date must be at least this many business days after today, in both zones. */
  minNoticeBusinessDays: number;
  /** The candidate's acceptable local hours (Mon-Fri). */
  candidateHours: { start: string; end: string };
  /** Start-time grid, aligned to multiples of this many minutes since the epoch (UTC). */
  gridMinutes: number;
  /** Load window for balancing. */
  loadWindowDays: number;
  /** Count already-booked upcoming sessions in the load too (default: only the last 14 days). */
  loadIncludesUpcoming: boolean;
}

export const DEFAULT_SLOT_SEARCH_SETTINGS: Readonly<SlotSearchSettings> = Object.freeze({
  bufferMinutes: 15,
  maxPerDay: 2,
  noFridayAfternoon: true,
  searchBusinessDays: 10,
  minNoticeBusinessDays: 1,
  candidateHours: Object.freeze({ start: '09:00', end: '18:00' }),
  gridMinutes: 15,
  loadWindowDays: 14,
  loadIncludesUpcoming: false,
});

export const DEFAULT_REVIEW_DURATION_MINUTES = 60;

export type SlotSearchSettingsInput = Partial<Omit<SlotSearchSettings, 'candidateHours'>> & {
  candidateHours?: Partial<SlotSearchSettings['candidateHours']>;
};

export interface SlotSearchInput {
  reviewers: readonly ReviewerProfile[];
  candidate: CandidateProfile;
  language: string;
  durationMinutes?: number;
  now: Instant;
  settings?: SlotSearchSettingsInput;
}

export type SlotSearchFailureReason = 'no_reviewer_for_language' | 'no_overlapping_hours' | 'all_reviewers_full';

export type SlotSearchResult =
  | { ok: true; reviewerId: string; startsAt: Date; endsAt: Date }
  | { ok: false; reason: SlotSearchFailureReason; message: string };

export function resolveSlotSettings(input?: SlotSearchSettingsInput): SlotSearchSettings {
  const s: SlotSearchSettings = {
    ...DEFAULT_SLOT_SEARCH_SETTINGS,
    ...(input ?? {}),
    candidateHours: { ...DEFAULT_SLOT_SEARCH_SETTINGS.candidateHours, ...(input?.candidateHours ?? {}) },
  };
  if (!(s.gridMinutes > 0)) throw new RangeError('gridMinutes must be positive');
  if (!(s.bufferMinutes >= 0)) throw new RangeError('bufferMinutes must be >= 0');
  return s;
}

/** [startMs, endMs) with the reviewer-local date it belongs to. */
interface DayWindow {
  start: number;
  end: number;
  reviewerDate: string;
}

interface HoursSpec {
  zone: string;
  startMin: number;
  endMin: number;
  days: ReadonlySet<number>;
}

function windowsFor(spec: HoursSpec, nowMs: number, s: SlotSearchSettings): Array<DayWindow> {
  const out: DayWindow[] = [];
  if (spec.endMin <= spec.startMin) return out;
  const dates = businessDatesWindow(nowMs, spec.zone, s.minNoticeBusinessDays, s.searchBusinessDays);
  for (const d of dates) {
    if (!spec.days.has(isoWeekday(d))) continue;
    const start = zonedMillis(d, spec.startMin, spec.zone);
    let end = zonedMillis(d, spec.endMin, spec.zone);
    if (s.noFridayAfternoon && isoWeekday(d) === 5) end = Math.min(end, zonedMillis(d, 12 * 60, spec.zone));
    if (end > start) out.push({ start, end, reviewerDate: dateKey(d) });
  }
  return out;
}

function intersect(a: DayWindow[], b: DayWindow[]): DayWindow[] {
  // `a` carries the reviewer date; both lists are sorted and internally disjoint.
  const out: DayWindow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (end > start) out.push({ start, end, reviewerDate: a[i].reviewerDate });
    if (a[i].end < b[j].end) i += 1;
    else j += 1;
  }
  return out;
}

function alignUp(ms: number, gridMs: number): number {
  return Math.ceil(ms / gridMs) * gridMs;
}

/** Whether at least one grid-aligned slot of the duration fits in a window, after `nowMs`. */
function fitsAny(windows: DayWindow[], nowMs: number, durMs: number, gridMs: number): boolean {
  return windows.some((w) => alignUp(Math.max(w.start, nowMs), gridMs) + durMs <= w.end);
}

interface ReviewerContext {
  windows: DayWindow[];
}

function candidateSpec(candidate: CandidateProfile, s: SlotSearchSettings): HoursSpec {
  assertZone(candidate.timezone, 'the candidate');
  return {
    zone: candidate.timezone,
    startMin: parseClock(s.candidateHours.start, 'candidate hours start'),
    endMin: parseClock(s.candidateHours.end, 'candidate hours end'),
    days: new Set([1, 2, 3, 4, 5]),
  };
}

function reviewerSpec(r: ReviewerProfile): HoursSpec {
  assertZone(r.timezone, `reviewer ${r.id}`);
  return {
    zone: r.timezone,
    startMin: parseClock(r.workingHours.start, `working hours start of reviewer ${r.id}`),
    endMin: parseClock(r.workingHours.end, `working hours end of reviewer ${r.id}`),
    days: new Set(r.workingHours.days),
  };
}

/**
 * The windows (UTC ms) in which both the reviewer's working hours and the candidate's hours hold,
 * on weekdays in both zones, outside Friday afternoons, with the required notice, within the
 * horizon. Bookings are not considered.
 */
function staticWindows(r: ReviewerProfile, candidateWindows: DayWindow[], nowMs: number, s: SlotSearchSettings): ReviewerContext {
  return { windows: intersect(windowsFor(reviewerSpec(r), nowMs, s), candidateWindows) };
}

function earliestFreeSlot(
  r: ReviewerProfile,
  ctx: ReviewerContext,
  nowMs: number,
  durMs: number,
  s: SlotSearchSettings,
): { start: number; end: number } | null {
  const bufMs = s.bufferMinutes * MINUTE_MS;
  const gridMs = s.gridMinutes * MINUTE_MS;
  const blocks = [...r.sessions, ...r.busy]
    .map((b) => ({
      start: toMillis(b.startsAt, `busy start of reviewer ${r.id}`) - bufMs,
      end: toMillis(b.endsAt, `busy end of reviewer ${r.id}`) + bufMs,
    }))
    .sort((a, b) => a.start - b.start);
  const perDay = new Map<string, number>();
  for (const sess of r.sessions) {
    const key = dateKey(localDate(toMillis(sess.startsAt), r.timezone));
    perDay.set(key, (perDay.get(key) ?? 0) + 1);
  }
  for (const w of ctx.windows) {
    if ((perDay.get(w.reviewerDate) ?? 0) >= s.maxPerDay) continue;
    let start = alignUp(Math.max(w.start, nowMs), gridMs);
    while (start + durMs <= w.end) {
      const end = start + durMs;
      // A slot [start, end) clashes with a buffered block when they overlap; touching is fine.
      const clash = blocks.find((b) => start < b.end && end > b.start);
      if (!clash) return { start, end };
      start = Math.max(start + gridMs, alignUp(clash.end, gridMs));
    }
  }
  return null;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The earliest free slot for one given reviewer (same rules as `findReviewSlot`, without reviewer
 * choice), or null.
 */
export function findEarliestSlot(input: {
  reviewer: ReviewerProfile;
  candidate: CandidateProfile;
  durationMinutes?: number;
  now: Instant;
  settings?: SlotSearchSettingsInput;
}): { startsAt: Date; endsAt: Date } | null {
  const s = resolveSlotSettings(input.settings);
  const nowMs = toMillis(input.now, 'now');
  const durMs = (input.durationMinutes ?? DEFAULT_REVIEW_DURATION_MINUTES) * MINUTE_MS;
  const cand = windowsFor(candidateSpec(input.candidate, s), nowMs, s);
  const ctx = staticWindows(input.reviewer, cand, nowMs, s);
  const slot = earliestFreeSlot(input.reviewer, ctx, nowMs, durMs, s);
  return slot ? { startsAt: new Date(slot.start), endsAt: new Date(slot.end) } : null;
}

/**
 * Chooses a reviewer and a slot for a code review.
 *
 * Reviewers: those whose profile lists the language (case-insensitive), never the candidate's
 * referrer, tried in load order (fewest sessions in the last 14 days, then least recently
 * booked with never-booked first, then id); the first reviewer with any free slot wins, at their
 * earliest slot.
 *
 * Slots: on a UTC-aligned grid, inside the reviewer's working hours (their zone) and the
 * candidate's hours (candidate zone), on weekdays in both zones, not on Friday after 12:00 in
 * either zone, on a local date at least `minNoticeBusinessDays` business days after today and at
 * most `searchBusinessDays` business days ahead (both zones), with `bufferMinutes` free around
 * every other session and busy block, and fewer than `maxPerDay` sessions that reviewer-local day.
 */
export function findReviewSlot(input: SlotSearchInput): SlotSearchResult {
  const s = resolveSlotSettings(input.settings);
  const nowMs = toMillis(input.now, 'now');
  const duration = input.durationMinutes ?? DEFAULT_REVIEW_DURATION_MINUTES;
  if (!(duration > 0)) throw new RangeError('durationMinutes must be positive');
  const durMs = duration * MINUTE_MS;
  const gridMs = s.gridMinutes * MINUTE_MS;
  const lang = displayLanguage(input.language);

  const { listing, eligible, referrerExcluded } = eligibleReviewers(input.reviewers, input.language, input.candidate);
  if (eligible.length === 0) {
    const message =
      listing.length > 0 && referrerExcluded
        ? `The only engineer who lists ${lang} in their reviewer profile referred this candidate, ` +
          `and referrers never review their own referrals. Add ${lang} to another engineer's reviewer profile.`
        : `No engineer lists ${lang} in their reviewer profile. Add ${lang} to an engineer's reviewer profile ` +
          `so this submission can be reviewed.`;
    return { ok: false, reason: 'no_reviewer_for_language', message };
  }

  const cand = windowsFor(candidateSpec(input.candidate, s), nowMs, s);
  const ranked = rankReviewers(eligible, nowMs, {
    windowDays: s.loadWindowDays,
    includeUpcoming: s.loadIncludesUpcoming,
  });
  const contexts = ranked.map((r) => ({ r, ctx: staticWindows(r, cand, nowMs, s) }));

  const horizon = `the next ${plural(s.searchBusinessDays, 'business day', 'business days')}`;
  const candHours = `${formatClock(parseClock(s.candidateHours.start))}–${formatClock(parseClock(s.candidateHours.end))}`;
  const who =
    eligible.length === 1 ? `The only engineer who reviews ${lang}` : `None of the ${eligible.length} engineers who review ${lang}`;

  if (!contexts.some(({ ctx }) => fitsAny(ctx.windows, nowMs, durMs, gridMs))) {
    const verb = eligible.length === 1 ? 'has no' : 'has';
    return {
      ok: false,
      reason: 'no_overlapping_hours',
      message:
        `${who} ${verb} working hours that overlap the candidate's ${candHours} (${input.candidate.timezone}) ` +
        `for ${plural(duration, 'minute', 'minutes')} on a weekday in ${horizon}` +
        `${s.noFridayAfternoon ? ' (Friday afternoons excluded)' : ''}` +
        `${s.minNoticeBusinessDays > 0 ? `, with ${plural(s.minNoticeBusinessDays, "business day's", "business days'")} notice` : ''}. ` +
        `Widen a reviewer's working hours or add a ${lang} reviewer in a closer time zone.`,
    };
  }

  for (const { r, ctx } of contexts) {
    const slot = earliestFreeSlot(r, ctx, nowMs, durMs, s);
    if (slot) return { ok: true, reviewerId: r.id, startsAt: new Date(slot.start), endsAt: new Date(slot.end) };
  }

  const everyone =
    eligible.length === 1 ? `The only engineer who reviews ${lang} is` : `All ${eligible.length} engineers who review ${lang} are`;
  return {
    ok: false,
    reason: 'all_reviewers_full',
    message:
      `${everyone} fully booked in ${horizon}: their hours overlap the candidate's, but existing reviews, ` +
      `busy blocks (with ${plural(s.bufferMinutes, 'minute', 'minutes')} of buffer) and the limit of ` +
      `${plural(s.maxPerDay, 'review', 'reviews')} a day leave no free ${duration}-minute slot. ` +
      `Try again later or add another ${lang} reviewer.`,
  };
}

/** Exposed for tests and for explaining a choice: the date key used for the per-day limit. */
export function reviewerLocalDateKey(instant: Instant, timezone: string): string {
  return dateKey(localDate(toMillis(instant), timezone));
}

/**
 * Several free slots for a candidate to choose from (self-scheduling): across every eligible
 * reviewer, by the same rules as `findReviewSlot` (hours in both zones, notice, horizon, no Friday
 * afternoon, buffers, per-day limit), distinct start times, at most `perDay` a candidate-local day
 * and `limit` in all, earliest first, at least `spacingMinutes` apart for one reviewer. Each slot
 * names the reviewer it would go to (the least loaded one free at that time).
 */
export function listFreeSlots(input: SlotSearchInput & { limit?: number; perDay?: number; spacingMinutes?: number }): Array<{
  reviewerId: string;
  startsAt: Date;
  endsAt: Date;
}> {
  const s = resolveSlotSettings(input.settings);
  const nowMs = toMillis(input.now, 'now');
  const durMs = (input.durationMinutes ?? DEFAULT_REVIEW_DURATION_MINUTES) * MINUTE_MS;
  const limit = input.limit ?? 12;
  const perDay = input.perDay ?? 3;
  const spacingMs = (input.spacingMinutes ?? 60) * MINUTE_MS;
  const { eligible } = eligibleReviewers(input.reviewers, input.language, input.candidate);
  if (!eligible.length) return [];
  const cand = windowsFor(candidateSpec(input.candidate, s), nowMs, s);
  const ranked = rankReviewers(eligible, nowMs, { windowDays: s.loadWindowDays, includeUpcoming: s.loadIncludesUpcoming });
  const byStart = new Map<number, { reviewerId: string; start: number; end: number }>();
  for (const r of ranked) {
    const ctx = staticWindows(r, cand, nowMs, s);
    // Repeatedly take the earliest free slot, then treat it (and the spacing after it) as taken.
    let probe: ReviewerProfile = { ...r, busy: [...r.busy] };
    for (let i = 0; i < limit * 4; i += 1) {
      const slot = earliestFreeSlot(probe, ctx, nowMs, durMs, { ...s, bufferMinutes: s.bufferMinutes });
      if (!slot) break;
      if (!byStart.has(slot.start)) byStart.set(slot.start, { reviewerId: r.id, start: slot.start, end: slot.end });
      probe = { ...probe, busy: [...probe.busy, { startsAt: new Date(slot.start), endsAt: new Date(slot.start + spacingMs) }] };
    }
  }
  const days = new Map<string, number>();
  const out: Array<{ reviewerId: string; startsAt: Date; endsAt: Date }> = [];
  for (const x of [...byStart.values()].sort((a, b) => a.start - b.start)) {
    const day = dateKey(localDate(x.start, input.candidate.timezone));
    if ((days.get(day) ?? 0) >= perDay) continue;
    days.set(day, (days.get(day) ?? 0) + 1);
    out.push({ reviewerId: x.reviewerId, startsAt: new Date(x.start), endsAt: new Date(x.end) });
    if (out.length >= limit) break;
  }
  return out;
}
