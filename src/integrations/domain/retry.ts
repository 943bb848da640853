export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  windowMs: number;
}

export type NextStep = { kind: 'retry'; at: Date } | { kind: 'fail' };

/**
 * After failed attempt number `attempts` (1-based): wait base·2^(attempts-1), capped at maxMs;
 * the last retry is placed at the end of the window; once the window (from the delivery's
 * creation) has passed, the delivery fails.
 */
export function nextAttempt(p: RetryPolicy, attempts: number, createdAt: Date, now: Date): NextStep {
  const deadline = createdAt.getTime() + p.windowMs;
  if (now.getTime() >= deadline) return { kind: 'fail' };
  const delay = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  return { kind: 'retry', at: new Date(Math.min(now.getTime() + delay, deadline)) };
}
