/**
 * Rules of the take-home: how long it may take, who may submit when, what to call the upload.
 * Pure: no Nest, no TypeORM.
 */

/** The article: "a coding test that they can do at home in no more than 3 hours". */
export const MAX_TIME_GUIDANCE_MINUTES = 180;
export const DEFAULT_TIME_GUIDANCE_MINUTES = 120;
export const TIME_GUIDANCE_REASON =
  'a take-home must take no more than 3 hours (180 minutes): that is already a very long time to ask someone to give to your interview on their own';
export const DEFAULT_INVITATION_DAYS = 7;
export const DEFAULT_MAX_SUBMISSION_BYTES = 10 * 1024 * 1024;
/** Without an Idempotency-Key, the same bytes uploaded again within this window are the same submission. */
export const DUPLICATE_WINDOW_MS = 5 * 60_000;

export const RESUBMISSION_POLICIES = ['until_deadline', 'until_first_graded'] as const;
export type ResubmissionPolicy = (typeof RESUBMISSION_POLICIES)[number];
export const CANDIDATE_SEES = ['status_only', 'summary'] as const;
export type CandidateSees = (typeof CANDIDATE_SEES)[number];

/** The statement the candidate signs before the starter code opens. */
export const ATTESTATION_STATEMENT = 'I did this work myself within the rules, I may use references, and I can explain every line.';

/** What the candidate is told before starting (shown on the portal page). */
export const RULES = [
  'Work on your own. Looking things up is expected: documentation, search engines, Stack Overflow and similar references are all fine.',
  'Write the code the way you would at work: clear, tested and maintainable. Add your own tests.',
  'Keep to the time guidance. Stop when it is up and upload what you have; a note on what you would do next is welcome.',
  'Afterwards you will walk through your code with one of our engineers and explain your choices, line by line where asked.',
];

export type SubmissionRefusal =
  | { ok: false; code: 'expired'; message: string; httpStatus?: 409 }
  | { ok: false; code: 'already_graded'; message: string; httpStatus?: 409 }
  | { ok: false; code: 'grading_in_progress'; message: string; httpStatus?: 409 }
  | { ok: false; code: 'byte_quota_reached'; message: string; httpStatus?: 409 }
  | { ok: false; code: 'rate_limited'; message: string; httpStatus: 429; retryAfterSeconds: number };

/** Per link: at most this many uploads within UPLOAD_RATE_WINDOW_MS (429 beyond). */
export const UPLOAD_RATE_MAX = 10;
export const UPLOAD_RATE_WINDOW_MS = 60 * 60_000;
/** Per link: all uploads together may hold at most this many times the assignment's upload cap. */
export const UPLOAD_QUOTA_FACTOR = 20;

export function linkByteQuota(maxSubmissionBytes: number): number {
  return maxSubmissionBytes * UPLOAD_QUOTA_FACTOR;
}

/**
 * May the candidate upload (again)? `until_deadline`: any time before the invitation expires;
 * `until_first_graded`: until one of their uploads has been graded. Under both, only one upload
 * at a time may wait for grading (the next one is refused until it is graded), a link takes at
 * most UPLOAD_RATE_MAX uploads an hour, and all its uploads together stay within
 * linkByteQuota(cap). Decided under the invitation's row lock, so concurrent uploads take turns.
 */
export function decideSubmission(input: {
  policy: ResubmissionPolicy;
  now: Date;
  expiresAt: Date;
  previous: ReadonlyArray<{ status: 'queued' | 'grading' | 'graded'; createdAt?: Date; sizeBytes?: number }>;
  /** The size of the upload being decided (absent when only asking whether uploads are open). */
  incomingBytes?: number;
  maxSubmissionBytes?: number;
}): { ok: true } | SubmissionRefusal {
  if (input.now.getTime() >= input.expiresAt.getTime()) {
    return { ok: false, code: 'expired', message: 'The deadline for this take-home has passed; ask the recruiter for more time.' };
  }
  if (input.policy === 'until_first_graded' && input.previous.some((s) => s.status === 'graded')) {
    return {
      ok: false,
      code: 'already_graded',
      message: 'Your upload has already been graded, and this assignment accepts no further uploads after that.',
    };
  }
  const pending = input.previous.find((s) => s.status !== 'graded');
  if (pending) {
    return {
      ok: false,
      code: 'grading_in_progress',
      message: 'Your previous upload is still being graded; wait for its result (usually within a minute), then upload again.',
    };
  }
  const since = input.now.getTime() - UPLOAD_RATE_WINDOW_MS;
  const recent = input.previous
    .filter((s) => s.createdAt && s.createdAt.getTime() > since)
    .map((s) => s.createdAt!.getTime())
    .sort((a, b) => a - b);
  if (recent.length >= UPLOAD_RATE_MAX) {
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((recent[recent.length - UPLOAD_RATE_MAX] + UPLOAD_RATE_WINDOW_MS - input.now.getTime()) / 1000),
    );
    return {
      ok: false,
      code: 'rate_limited',
      httpStatus: 429,
      retryAfterSeconds,
      message: `This link takes at most ${UPLOAD_RATE_MAX} uploads an hour; try again in ${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? 's' : ''}.`,
    };
  }
  if (input.maxSubmissionBytes !== undefined) {
    const quota = linkByteQuota(input.maxSubmissionBytes);
    const used = input.previous.reduce((n, s) => n + (s.sizeBytes ?? 0), 0);
    if (used + (input.incomingBytes ?? 1) > quota) {
      return {
        ok: false,
        code: 'byte_quota_reached',
        message: `Your uploads on this link together reached the ${formatBytes(quota)} allowed; ask the recruiter if you need to upload again.`,
      };
    }
  }
  return { ok: true };
}

/** "2 hours", "90 minutes", "1 hour 30 minutes". */
export function describeMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h ? `${h} hour${h === 1 ? '' : 's'}` : '';
  const mins = m ? `${m} minute${m === 1 ? '' : 's'}` : '';
  return [hours, mins].filter(Boolean).join(' ') || '0 minutes';
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** Staff archives (hidden tests, starter, reference solution): caps when reading them. */
export const STAFF_ARCHIVE_LIMITS = { maxEntries: 1000, maxTotalBytes: 50 * 1024 * 1024 };
export const STAFF_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

/** Archive checks on a candidate upload: entries and expanded bytes (bombs stop early). */
export function submissionArchiveLimits(maxUploadBytes: number) {
  return { maxEntries: 2000, maxTotalBytes: Math.max(50 * 1024 * 1024, maxUploadBytes * 5) };
}

/** Idempotency-Key header: 1–200 visible ASCII characters. */
export function validIdempotencyKey(key: string): boolean {
  return /^[\x21-\x7e]{1,200}$/.test(key);
}

/**
 * A zipped project folder usually has one top folder ("my-solution/src/..."), which is dropped.
 * But when that folder is one the assignment's own layout has at its top (e.g. everything under
 * "src/" because the candidate only zipped src), it is kept, or the hidden tests would not find it.
 */
export function stripProjectRoot<T extends { path: string }>(files: T[], layoutTopLevel: readonly string[]): T[] {
  if (!files.length) return files;
  const first = files[0].path.split('/')[0];
  const shared = files.every((f) => f.path.includes('/') && f.path.split('/')[0] === first);
  if (!shared || layoutTopLevel.includes(first)) return files;
  return files.map((f) => ({ ...f, path: f.path.slice(first.length + 1) }));
}

/** The top-level names of an archive's files ("src", "README.md"). */
export function topLevelNames(paths: readonly string[]): string[] {
  return [...new Set(paths.map((p) => p.split('/')[0]))].sort();
}
