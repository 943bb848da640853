/**
 * Runs `fn` until it succeeds or `forMs` passes, waiting 250 ms, 500 ms, ... (at most 5 s)
 * between tries. For the write that records something already done outside the database (an
 * e-mail the SMTP server accepted, a sandbox run that finished): failing the job instead would
 * do that thing again, so a database restart or failover is waited out. The write must be
 * idempotent (a try whose commit succeeded but whose answer was lost is tried again).
 */
export async function retryWrite<T>(
  fn: () => Promise<T>,
  forMs: number,
  onRetry: (e: Error, attempt: number) => void = () => undefined,
): Promise<T> {
  const deadline = Date.now() + forMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      onRetry(e as Error, attempt);
      await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** (attempt - 1), 5000)));
    }
  }
}
