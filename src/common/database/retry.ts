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

/** A deadlock (40P01) or serialization failure (40001): PostgreSQL cancelled the statement, which changed nothing. */
function isConflict(e: unknown): boolean {
  const code = (e as { driverError?: { code?: string } } | undefined)?.driverError?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs `fn` again, at once, when PostgreSQL cancelled it as a deadlock victim or for a
 * serialization failure (nothing it did stayed), at most `attempts` times in all; any other
 * error, or the last attempt's, is thrown. For a transaction or statement that takes rows in an
 * order another writer may take the other way round.
 */
export async function retryOnConflict<T>(
  fn: () => Promise<T>,
  attempts: number,
  onRetry: (e: Error, attempt: number) => void = () => undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts || !isConflict(e)) throw e;
      onRetry(e as Error, attempt);
    }
  }
}
