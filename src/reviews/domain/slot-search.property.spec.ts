import fc from 'fast-check';
import { DateTime } from 'luxon';
import { findReviewSlot, DEFAULT_SLOT_SEARCH_SETTINGS } from './slot-search';
import { ReviewerProfile, listsLanguage, reviewLoad } from './reviewer-match';

const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Pacific/Auckland',
];
const LANGS = ['python', 'javascript', 'go'];
const MIN = 60_000;
const DAY = 86_400_000;
const S = DEFAULT_SLOT_SEARCH_SETTINGS;
const BUF = S.bufferMinutes * MIN;

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const rangeArb = (nowMs: number, fromDays: number, toDays: number, minLen: number, maxLen: number) =>
  fc
    .record({
      // minute resolution, deliberately not aligned to the grid
      offsetMin: fc.integer({ min: fromDays * 24 * 60, max: toDays * 24 * 60 }),
      lenMin: fc.integer({ min: minLen, max: maxLen }),
    })
    .map(({ offsetMin, lenMin }) => {
      const start = Math.floor(nowMs / MIN) * MIN + offsetMin * MIN;
      return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + lenMin * MIN).toISOString() };
    });

const reviewerArb = (id: string, nowMs: number): fc.Arbitrary<ReviewerProfile> =>
  fc.record({
    id: fc.constant(id),
    languages: fc
      .tuple(
        fc.oneof({ arbitrary: fc.constant(['python']), weight: 5 }, { arbitrary: fc.constant([] as string[]), weight: 1 }),
        fc.subarray(LANGS.slice(1)),
      )
      .chain(([a, b]) => fc.tuple(...[...a, ...b].map((l) => fc.constantFrom(l, l.toUpperCase(), l[0].toUpperCase() + l.slice(1))))),
    timezone: fc.constantFrom(...ZONES),
    workingHours: fc
      .record({
        start: fc.integer({ min: 12, max: 26 }).map((h) => h * 30), // 06:00 .. 13:00
        len: fc.integer({ min: 6, max: 22 }).map((h) => h * 30), // 3 h .. 11 h
        days: fc.oneof(fc.constant([1, 2, 3, 4, 5]), fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 })),
      })
      .map(({ start, len, days }) => ({ start: hhmm(start), end: hhmm(Math.min(start + len, 23 * 60 + 45)), days })),
    sessions: fc.array(rangeArb(nowMs, -14, 16, 30, 90), { maxLength: 14 }),
    busy: fc.oneof(
      fc.array(rangeArb(nowMs, -2, 16, 30, 2 * 24 * 60), { maxLength: 5 }),
      fc.array(rangeArb(nowMs, -2, 16, 6 * 60, 5 * 24 * 60), { minLength: 3, maxLength: 8 }),
    ),
    lastBookedAt: fc.option(
      fc.integer({ min: 0, max: 60 * 24 * 60 }).map((m) => new Date(nowMs - m * MIN).toISOString()),
      {
        nil: undefined,
      },
    ),
  });

const scenarioArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 31) }).chain((nowMs) =>
  fc.record({
    nowMs: fc.constant(nowMs),
    reviewers: fc
      .integer({ min: 1, max: 4 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => reviewerArb(`r${i + 1}`, nowMs)))),
    candidateTz: fc.constantFrom(...ZONES),
    referrer: fc.constantFrom<string | undefined>(undefined, 'r1', 'r2'),
    language: fc.constantFrom('python', 'python', 'python', 'Python', 'PYTHON', 'go'),
    duration: fc.constantFrom(30, 45, 60, 60, 60, 90),
  }),
);

// ---------------------------------------------------------------------------------------------
// An independent, brute-force oracle written with wall-clock checks (no shared code).

function businessIndex(nowMs: number, slotMs: number, zone: string): number {
  const today = DateTime.fromMillis(nowMs, { zone }).startOf('day');
  const day = DateTime.fromMillis(slotMs, { zone }).startOf('day');
  let idx = 0;
  for (let d = today.plus({ days: 1 }); d.toISODate()! <= day.toISODate()!; d = d.plus({ days: 1 })) {
    if (d.weekday <= 5) idx += 1;
  }
  return idx;
}

function inHours(startMs: number, endMs: number, zone: string, from: string, to: string, days: number[]): boolean {
  const s = DateTime.fromMillis(startMs, { zone });
  const e = DateTime.fromMillis(endMs, { zone });
  if (s.toISODate() !== e.toISODate()) return false;
  if (!days.includes(s.weekday) || s.weekday > 5) return false;
  const toMin = (x: string) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3));
  const sm = s.hour * 60 + s.minute;
  const em = e.hour * 60 + e.minute;
  if (sm < toMin(from) || em > toMin(to)) return false;
  if (s.weekday === 5 && em > 12 * 60) return false; // Friday afternoon
  return true;
}

function staticOk(r: ReviewerProfile, candTz: string, nowMs: number, start: number, end: number): boolean {
  if (start < nowMs) return false;
  if (!inHours(start, end, r.timezone, r.workingHours.start, r.workingHours.end, r.workingHours.days)) return false;
  if (!inHours(start, end, candTz, S.candidateHours.start, S.candidateHours.end, [1, 2, 3, 4, 5])) return false;
  for (const z of [r.timezone, candTz]) {
    const idx = businessIndex(nowMs, start, z);
    if (idx < S.minNoticeBusinessDays || idx > S.searchBusinessDays) return false;
  }
  return true;
}

function bookingsOk(r: ReviewerProfile, start: number, end: number): boolean {
  for (const b of [...r.sessions, ...r.busy]) {
    const bs = Date.parse(b.startsAt as string);
    const be = Date.parse(b.endsAt as string);
    if (start < be + BUF && end > bs - BUF) return false;
  }
  const day = DateTime.fromMillis(start, { zone: r.timezone }).toISODate();
  const count = r.sessions.filter(
    (x) => DateTime.fromMillis(Date.parse(x.startsAt as string), { zone: r.timezone }).toISODate() === day,
  ).length;
  return count < S.maxPerDay;
}

function oracle(r: ReviewerProfile, candTz: string, nowMs: number, durMin: number) {
  const grid = 15 * MIN;
  let anyStatic = false;
  for (let t = Math.ceil(nowMs / grid) * grid; t < nowMs + 20 * DAY; t += grid) {
    const e = t + durMin * MIN;
    if (!staticOk(r, candTz, nowMs, t, e)) continue;
    anyStatic = true;
    if (bookingsOk(r, t, e)) return { anyStatic, first: t };
  }
  return { anyStatic, first: null as number | null };
}

// ---------------------------------------------------------------------------------------------

describe('slot search properties', () => {
  it('every booked slot respects every rule, and the search agrees with a brute-force oracle', () => {
    let oks = 0;
    const reasons = new Map<string, number>();
    fc.assert(
      fc.property(scenarioArb, ({ nowMs, reviewers, candidateTz, referrer, language, duration }) => {
        const res = findReviewSlot({
          reviewers,
          candidate: { timezone: candidateTz, referrerId: referrer },
          language,
          durationMinutes: duration,
          now: new Date(nowMs),
        });
        const eligible = reviewers.filter((r) => listsLanguage(r, language) && r.id !== referrer);
        const truth = new Map(eligible.map((r) => [r.id, oracle(r, candidateTz, nowMs, duration)]));

        if (res.ok) {
          oks += 1;
          const start = res.startsAt.getTime();
          const end = res.endsAt.getTime();
          const chosen = reviewers.find((r) => r.id === res.reviewerId)!;
          // never the referrer; lists the language
          expect(res.reviewerId).not.toBe(referrer);
          expect(listsLanguage(chosen, language)).toBe(true);
          // on the grid, right length, after now
          expect(start % (15 * MIN)).toBe(0);
          expect(end - start).toBe(duration * MIN);
          // inside both parties' hours, on weekdays, never Friday afternoon, notice + horizon
          expect(staticOk(chosen, candidateTz, nowMs, start, end)).toBe(true);
          for (const z of [chosen.timezone, candidateTz]) {
            const s = DateTime.fromMillis(start, { zone: z });
            const e = DateTime.fromMillis(end, { zone: z });
            expect(s.weekday).toBeLessThanOrEqual(5);
            if (s.weekday === 5) expect(e.hour * 60 + e.minute).toBeLessThanOrEqual(12 * 60);
          }
          // never an overlap, buffer included
          for (const b of [...chosen.sessions, ...chosen.busy]) {
            const bs = Date.parse(b.startsAt as string);
            const be = Date.parse(b.endsAt as string);
            expect(start >= be + BUF || end <= bs - BUF).toBe(true);
          }
          // at most 2 per reviewer-local day once booked
          const day = DateTime.fromMillis(start, { zone: chosen.timezone }).toISODate();
          const sameDay = chosen.sessions.filter(
            (x) => DateTime.fromMillis(Date.parse(x.startsAt as string), { zone: chosen.timezone }).toISODate() === day,
          ).length;
          expect(sameDay + 1).toBeLessThanOrEqual(S.maxPerDay);
          // earliest slot for that reviewer
          expect(truth.get(chosen.id)!.first).toBe(start);
          // load balanced: minimal 14-day load among reviewers that had any slot
          const withSlot = eligible.filter((r) => truth.get(r.id)!.first !== null);
          const minLoad = Math.min(...withSlot.map((r) => reviewLoad(r, nowMs)));
          expect(reviewLoad(chosen, nowMs)).toBe(minLoad);
        } else {
          reasons.set(res.reason, (reasons.get(res.reason) ?? 0) + 1);
          expect(res.message.length).toBeGreaterThan(20);
          for (const r of eligible) expect(truth.get(r.id)!.first).toBeNull();
          if (eligible.length === 0) expect(res.reason).toBe('no_reviewer_for_language');
          else if (eligible.every((r) => !truth.get(r.id)!.anyStatic)) expect(res.reason).toBe('no_overlapping_hours');
          else expect(res.reason).toBe('all_reviewers_full');
        }
      }),
      { numRuns: 150, seed: 20270303 },
    );
    // the generator must exercise both outcomes
    expect(oks).toBeGreaterThan(20);
    expect(reasons.size).toBeGreaterThanOrEqual(2);
  });

  it('is deterministic and independent of the order reviewers are given in', () => {
    fc.assert(
      fc.property(scenarioArb, fc.infiniteStream(fc.nat()), ({ nowMs, reviewers, candidateTz, referrer, language }, rnd) => {
        const input = { candidate: { timezone: candidateTz, referrerId: referrer }, language, now: new Date(nowMs) };
        const a = findReviewSlot({ ...input, reviewers });
        const it = rnd[Symbol.iterator]();
        const shuffled = reviewers
          .map((r) => ({ r, k: it.next().value as number }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.r);
        const b = findReviewSlot({ ...input, reviewers: shuffled });
        expect(b).toEqual(a);
      }),
      { numRuns: 60, seed: 42 },
    );
  });
});
