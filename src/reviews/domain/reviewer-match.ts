import { DAY_MS, Instant, TimeRange, toMillis } from './zoned-time';

export interface WorkingHours {
  /** Local wall-clock "HH:MM" in the reviewer's time zone. */
  start: string;
  end: string;
  /** ISO weekdays, 1 = Monday .. 7 = Sunday. */
  days: number[];
}

export interface ReviewerProfile {
  id: string;
  languages: string[];
  timezone: string;
  workingHours: WorkingHours;
  /** Booked review sessions (cancelled ones removed by the caller), including the past 14 days. */
  sessions: TimeRange[];
  /** Other busy blocks from the reviewer's calendar. */
  busy: TimeRange[];
  lastBookedAt?: Instant | null;
}

export interface CandidateProfile {
  timezone: string;
  referrerId?: string | null;
}

export const LOAD_WINDOW_DAYS = 14;

const LANGUAGE_NAMES: Record<string, string> = {
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  python: 'Python',
  java: 'Java',
  go: 'Go',
  golang: 'Go',
  ruby: 'Ruby',
  rust: 'Rust',
  kotlin: 'Kotlin',
  csharp: 'C#',
  'c#': 'C#',
  cpp: 'C++',
  'c++': 'C++',
  php: 'PHP',
  scala: 'Scala',
  swift: 'Swift',
  elixir: 'Elixir',
};

export function normalizeLanguage(language: string): string {
  return language.trim().toLowerCase();
}

/** Human name of a language for messages ("python" -> "Python"); unknown names as given. */
export function displayLanguage(language: string): string {
  return LANGUAGE_NAMES[normalizeLanguage(language)] ?? language.trim();
}

/** Other spellings of one language, as reviewers type them and as runtimes name them. */
const LANGUAGE_ALIASES: Record<string, string> = { golang: 'go', 'c++': 'cpp', 'c#': 'csharp' };

/** One name per language: lower case, surrounding spaces ignored, aliases folded ("Golang" -> "go", "C++" -> "cpp"). */
export function canonicalLanguage(language: string): string {
  const n = normalizeLanguage(language);
  return LANGUAGE_ALIASES[n] ?? n;
}

/** Whether the reviewer profile lists the language (case-insensitive, surrounding spaces and aliases ignored). */
export function listsLanguage(reviewer: Pick<ReviewerProfile, 'languages'>, language: string): boolean {
  const wanted = canonicalLanguage(language);
  return reviewer.languages.some((l) => canonicalLanguage(l) === wanted);
}

export interface Eligibility<R extends Pick<ReviewerProfile, 'id' | 'languages'>> {
  /** Reviewers who list the language. */
  listing: R[];
  /** `listing` minus the candidate's referrer. */
  eligible: R[];
  /** True when the referrer was among `listing` and was removed. */
  referrerExcluded: boolean;
}

export function eligibleReviewers<R extends Pick<ReviewerProfile, 'id' | 'languages'>>(
  reviewers: readonly R[],
  language: string,
  candidate: Pick<CandidateProfile, 'referrerId'>,
): Eligibility<R> {
  const listing = reviewers.filter((r) => listsLanguage(r, language));
  const referrer = candidate.referrerId ?? null;
  const eligible = referrer === null ? listing : listing.filter((r) => r.id !== referrer);
  return { listing, eligible, referrerExcluded: eligible.length !== listing.length };
}

/**
 * Review load: number of sessions that started in the `windowDays` before `now`
 * (now - 14 days <= startsAt < now). Upcoming sessions count too when `includeUpcoming` is set.
 */
export function reviewLoad(
  reviewer: Pick<ReviewerProfile, 'sessions'>,
  now: Instant,
  opts: { windowDays?: number; includeUpcoming?: boolean } = {},
): number {
  const nowMs = toMillis(now, 'now');
  const from = nowMs - (opts.windowDays ?? LOAD_WINDOW_DAYS) * DAY_MS;
  let n = 0;
  for (const s of reviewer.sessions) {
    const t = toMillis(s.startsAt, 'session start');
    if (t >= from && (opts.includeUpcoming || t < nowMs)) n += 1;
  }
  return n;
}

function lastBookedMs(r: Pick<ReviewerProfile, 'lastBookedAt'>): number {
  return r.lastBookedAt === undefined || r.lastBookedAt === null ? Number.NEGATIVE_INFINITY : toMillis(r.lastBookedAt, 'lastBookedAt');
}

/**
 * Load order: least loaded over the last 14 days, then least recently booked (never booked
 * first), then id (code-unit order) for determinism. Returns a new array.
 */
export function rankReviewers<R extends Pick<ReviewerProfile, 'id' | 'sessions' | 'lastBookedAt'>>(
  reviewers: readonly R[],
  now: Instant,
  opts: { windowDays?: number; includeUpcoming?: boolean } = {},
): R[] {
  const keyed = reviewers.map((r) => ({ r, load: reviewLoad(r, now, opts), last: lastBookedMs(r) }));
  keyed.sort((a, b) => {
    if (a.load !== b.load) return a.load - b.load;
    if (a.last !== b.last) return a.last < b.last ? -1 : 1;
    return a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0;
  });
  return keyed.map((k) => k.r);
}
