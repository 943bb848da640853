/**
 * The ledger checks shared by the game day and the load bench, read from PostgreSQL and from the
 * SMTP server's log: every accepted submission graded exactly once (one row per upload, one
 * `submission.graded` event, a result that is right for the reference solution), every outbox
 * message sent exactly once at the SMTP server (counted by X-Hiring-Message-Id), no sandbox
 * container left on the engine.
 */
import { GameDaySystem, until } from './harness';
import { TakeHomeCandidate } from './workload';

export interface Ledger {
  submissionsAccepted: number;
  submissionsGraded: number;
  lostSubmissions: string[];
  duplicatedSubmissions: string[];
  wrongResults: string[];
  messages: number;
  lostMessages: string[];
  duplicatedMessages: string[];
  /** Of duplicatedMessages: first received at most 5 s before a mail worker SIGKILL (the documented window). */
  crashWindowDuplicates: string[];
  containersLeft: number;
}

/** Waits until the phase's work is done: submissions graded (hooks run), no message queued/sending. */
export async function settle(
  sys: GameDaySystem,
  applicationIds: string[],
  timeoutMs: number,
): Promise<{ settled: boolean; seconds: number }> {
  const started = performance.now();
  try {
    await until(
      'submissions graded and the outbox drained',
      async () => {
        const [s] = await sys.q<{ open: number }>(
          `SELECT count(*)::int AS open FROM submissions WHERE application_id = ANY($1::uuid[]) AND (status <> 'graded' OR hooks_done_at IS NULL)`,
          [applicationIds],
        );
        const [m] = await sys.q<{ open: number }>(`SELECT count(*)::int AS open FROM messages WHERE status IN ('queued','sending')`);
        return s.open === 0 && m.open === 0;
      },
      timeoutMs,
      1000,
    );
    return { settled: true, seconds: (performance.now() - started) / 1000 };
  } catch {
    return { settled: false, seconds: (performance.now() - started) / 1000 };
  }
}

/**
 * Sandbox containers left behind on the engine: every labelled container except the live grading
 * worker's idle warm pool (containers it started ahead, labelled run-id warm-…, owned by its pid,
 * at most GRADING_CONCURRENCY of them per runtime; called once the work has settled, so none of
 * them is running a grading). Waits up to timeoutMs for the runner and the reaper to remove them.
 */
export async function containersLeft(sys: GameDaySystem, timeoutMs: number): Promise<number> {
  const stray = async () => {
    const all = await sys.docker.sandboxContainers();
    const { grader } = sys.launcher.children();
    const cap = Number(sys.cfg.env?.GRADING_CONCURRENCY ?? 2);
    const pool = new Map<string, number>();
    let left = 0;
    for (const c of all) {
      const idleWarm =
        grader !== undefined &&
        c.State === 'running' &&
        c.Labels?.['hiring.owner']?.endsWith(`:${grader}`) &&
        c.Labels?.['hiring.run-id']?.startsWith('warm-');
      const runtime = c.Labels?.['hiring.sandbox.runtime'] ?? '?';
      if (idleWarm && (pool.get(runtime) ?? 0) < cap) pool.set(runtime, (pool.get(runtime) ?? 0) + 1);
      else left++;
    }
    return left;
  };
  try {
    await until('no sandbox container left', async () => (await stray()) === 0, timeoutMs, 2000);
    return 0;
  } catch {
    return stray().catch(() => -1);
  }
}

/**
 * `workerKills`: instants the worker that sends mail was SIGKILLed. The outbox is at-least-once only in the
 * window between the SMTP server's 250 and the worker's `UPDATE … 'sent'`; a duplicate whose
 * first copy arrived just before a kill is that window, reported as such (still a duplicate).
 */
export async function ledger(
  sys: GameDaySystem,
  candidates: TakeHomeCandidate[],
  messagesSince: Date,
  containerWaitMs: number,
  workerKills: number[] = [],
): Promise<Ledger> {
  const apps = candidates.map((c) => c.applicationId);
  const rows = await sys.q<{
    application_id: string;
    id: string;
    status: string;
    rstatus: string | null;
    passed: number | null;
    total: number | null;
    graded_events: number;
  }>(
    `SELECT s.application_id, s.id, s.status, s.result->>'status' AS rstatus, (s.result->>'passed')::int AS passed, (s.result->>'total')::int AS total,
            (SELECT count(*)::int FROM application_events e WHERE e.application_id = s.application_id AND e.type = 'submission.graded' AND e.data->>'submissionId' = s.id::text) AS graded_events
       FROM submissions s WHERE s.application_id = ANY($1::uuid[])`,
    [apps],
  );
  const byApp = new Map<string, typeof rows>();
  for (const r of rows) byApp.set(r.application_id, [...(byApp.get(r.application_id) ?? []), r]);
  const lostSubmissions: string[] = [];
  const duplicatedSubmissions: string[] = [];
  const wrongResults: string[] = [];
  let graded = 0;
  for (const c of candidates) {
    const mine = byApp.get(c.applicationId) ?? [];
    if (mine.length > 1) duplicatedSubmissions.push(`${c.label}: ${mine.length} submission rows for one upload`);
    if (!c.accepted) {
      lostSubmissions.push(
        `${c.label}: never accepted after ${c.attempts} upload attempts (${c.failures.slice(-3).join(', ')})${mine.length ? `; ${mine.length} row(s) stored anyway` : ''}`,
      );
      continue;
    }
    const row = mine.find((r) => r.id === c.accepted);
    if (!row) {
      lostSubmissions.push(`${c.label}: accepted ${c.accepted} but no such row`);
      continue;
    }
    if (row.status !== 'graded' || row.graded_events === 0)
      lostSubmissions.push(`${c.label}: ${row.id} is ${row.status} with ${row.graded_events} graded event(s)`);
    else graded++;
    if (row.graded_events > 1) duplicatedSubmissions.push(`${c.label}: ${row.id} has ${row.graded_events} submission.graded events`);
    if (row.status === 'graded' && (row.rstatus !== 'passed' || !row.total || row.passed !== row.total))
      wrongResults.push(
        `${c.label}: ${row.id} graded ${row.rstatus} ${row.passed}/${row.total} (the reference solution passes every test)`,
      );
  }

  const msgs = await sys.q<{ id: string; status: string; template: string; attempts: number }>(
    `SELECT id, status, template, attempts FROM messages WHERE created_at >= $1`,
    [messagesSince],
  );
  const lostMessages: string[] = [];
  const duplicatedMessages: string[] = [];
  const crashWindowDuplicates: string[] = [];
  for (const m of msgs) {
    const n = sys.smtp.counts.get(m.id) ?? 0;
    if (m.status === 'cancelled') continue;
    if (m.status !== 'sent') lostMessages.push(`${m.template} ${m.id}: ${m.status} after ${m.attempts} attempt(s)`);
    else if (n === 0) lostMessages.push(`${m.template} ${m.id}: marked sent but never reached the SMTP server`);
    if (n > 1) {
      const times = sys.smtp.received
        .filter((r) => r.id === m.id)
        .map((r) => r.at)
        .sort((a, b) => a - b);
      const kill = workerKills.find((k) => times[0] <= k + 500 && times[0] >= k - 5000);
      const where =
        kill === undefined
          ? 'not near a mail worker kill'
          : `first copy ${((kill - times[0]) / 1000).toFixed(2)} s before the mail worker's SIGKILL: the documented crash window`;
      duplicatedMessages.push(
        `${m.template} ${m.id}: received ${n} times, ${((times[n - 1] - times[0]) / 1000).toFixed(1)} s apart (${m.attempts} delivery attempts; ${where})`,
      );
      if (kill !== undefined) crashWindowDuplicates.push(m.id);
    }
  }
  return {
    submissionsAccepted: candidates.filter((c) => c.accepted).length,
    submissionsGraded: graded,
    lostSubmissions,
    duplicatedSubmissions,
    wrongResults,
    messages: msgs.length,
    lostMessages,
    duplicatedMessages,
    crashWindowDuplicates,
    containersLeft: await containersLeft(sys, containerWaitMs),
  };
}

/** Whole-run message check: any outbox row received more than once, whatever phase made it. */
export function smtpDuplicates(sys: GameDaySystem): string[] {
  return [...sys.smtp.counts.entries()].filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`);
}
