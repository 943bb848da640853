/** Candidate feedback on an assignment version, aggregated for the people who maintain it. */
export interface FeedbackEntry {
  clarity: number;
  minutesSpent: number;
}

export interface FeedbackSummary {
  count: number;
  /** Mean clarity (1–5), two decimals; null without feedback. */
  meanClarity: number | null;
  /** Median minutes spent; null without feedback. */
  medianMinutes: number | null;
  /** Share (0–1, two decimals) of candidates who spent longer than the time guidance. */
  shareOverGuidance: number | null;
  timeGuidanceMinutes: number;
  /** The median candidate spent longer than the guidance: the test or its instructions need work. */
  flagged: boolean;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarizeFeedback(entries: readonly FeedbackEntry[], timeGuidanceMinutes: number): FeedbackSummary {
  const count = entries.length;
  if (!count) return { count, meanClarity: null, medianMinutes: null, shareOverGuidance: null, timeGuidanceMinutes, flagged: false };
  const medianMinutes = median(entries.map((e) => e.minutesSpent))!;
  return {
    count,
    meanClarity: round2(entries.reduce((s, e) => s + e.clarity, 0) / count),
    medianMinutes,
    shareOverGuidance: round2(entries.filter((e) => e.minutesSpent > timeGuidanceMinutes).length / count),
    timeGuidanceMinutes,
    flagged: medianMinutes > timeGuidanceMinutes,
  };
}
