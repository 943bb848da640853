import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { timed } from '../common/timing/step-times';
import { retryWrite } from '../common/database/retry';
import { rowsOf } from '../common/database/rows';
import { QueueService } from '../common/queues/queue.service';
import { JobName, QueueName } from '../common/queues/queues';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { Application } from '../pipeline/application.entity';
import { EventType, SYSTEM } from '../timeline/timeline.entity';
import { recordEvent } from '../timeline/timeline.repository';
import {
  ArchiveError,
  getRuntime,
  readArchive,
  RUNTIMES,
  RuntimeDefinition,
  resolveLimits,
  SandboxResult,
  SandboxService,
} from '../sandbox';
import { compareTestIds, testId } from '../sandbox/domain/integrity';
import { isProtectedPath } from '../sandbox/domain/work-files';
import type { TestCaseResult } from '../sandbox/domain/junit';
import { EventBus } from '../common/events/event-bus';
import './assessments.events';
import { Assignment, AssignmentVersion } from './assignment.entity';
import { IntegrityNote, isExamplePath, scanSubmission, STAFF_ARCHIVE_LIMITS, stripProjectRoot, submissionArchiveLimits } from './domain';
import { GradingResult, Submission, TestTally } from './submission.entity';

/** Another run holds the submission's lease; BullMQ retries the job later (with backoff). */
export class GradingBusyError extends Error {}

const PAGE = 500;
/**
 * A run's claim on a submission lasts LEASE_MS and the running worker renews it every
 * HEARTBEAT_MS while the run is alive, so the claim of a worker that died (SIGKILL, host lost)
 * runs out within LEASE_MS of its last renewal and the submission is graded again (the BullMQ
 * retry or the sweep) about a minute later instead of after the whole sandbox timeout.
 */
export const LEASE_MS = 45_000;
export const HEARTBEAT_MS = 15_000;
/** Renewals never carry a claim past the sandbox's wall-clock deadline plus this much. */
const LEASE_MARGIN_MS = 2 * 60_000;
/** Rows left queued (or graded with hooks not run) this long are assumed to have lost their job. */
const LOST_AFTER_MS = 60_000;

/**
 * Grades submissions: claims the row (queued → grading, with a lease and a run id), runs the
 * hidden tests in the sandbox, then writes the result and its `submission.graded` event in one
 * transaction, fenced by the run id, so a submission is graded exactly once. A second run after
 * that does nothing (beyond finishing the onGraded hooks if they had not completed).
 */
@Injectable()
export class GradingService implements OnModuleInit {
  private readonly logger = new Logger('Grading');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly sandbox: SandboxService,
    private readonly queues: QueueService,
    private readonly clock: Clock,
    private readonly sweeps: SweepRegistry,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.sweeps.register({ name: 'grading-requeue', run: (now) => this.requeueLost(now) });
  }

  async grade(submissionId: string): Promise<'graded' | 'already_graded' | 'missing'> {
    const log = { submissionId };
    const current = await timed('db: read submission', () => this.ds.getRepository(Submission).findOne({ where: { id: submissionId } }));
    if (!current) {
      this.logger.warn(log, 'grading job for a submission that does not exist');
      return 'missing';
    }
    if (current.status === 'graded') {
      if (!current.hooksDoneAt) await this.runHooks(current);
      return 'already_graded';
    }
    const runId = randomUUID();
    const version = await timed('db: read version', () =>
      this.ds.getRepository(AssignmentVersion).findOneOrFail({ where: { id: current.versionId } }),
    );
    const assignment = await timed('db: read assignment', () =>
      this.ds.getRepository(Assignment).findOneOrFail({ where: { id: version.assignmentId } }),
    );
    const limits = resolveLimits(getRuntime(assignment.runtime).defaultLimits, version.limits);
    const now = this.clock.now();
    // The runs are bounded by the sandbox timeout (the graded run, then at most one run of the
    // candidate's own tests); the claim never outlives them (plus a margin).
    const deadline = now.getTime() + 2 * limits.timeoutMs + LEASE_MARGIN_MS;
    const claimed = rowsOf<{ id: string }>(
      await timed('db: claim', () =>
        this.ds.query(
          `UPDATE submissions SET status = 'grading', grading_run_id = $2, grading_started_at = $3, lease_expires_at = $4, attempts = attempts + 1, updated_at = $3
        WHERE id = $1 AND (status = 'queued' OR (status = 'grading' AND lease_expires_at < $3)) RETURNING id`,
          [submissionId, runId, now, new Date(Math.min(now.getTime() + LEASE_MS, deadline))],
        ),
      ),
    );
    if (!claimed.length) {
      const again = await this.ds.getRepository(Submission).findOneOrFail({ where: { id: submissionId } });
      if (again.status === 'graded') {
        if (!again.hooksDoneAt) await this.runHooks(again);
        return 'already_graded';
      }
      throw new GradingBusyError(
        `submission ${submissionId} is being graded by another run (lease until ${again.leaseExpiresAt?.toISOString()})`,
      );
    }
    this.logger.log({ ...log, runId }, 'grading');
    const stopHeartbeat = this.heartbeat(submissionId, runId, deadline);
    // The sandbox returns a run's result before its container is removed; the job ends (and frees
    // its slot) only once they are gone, so a backlog never piles up containers.
    const runIds: string[] = [];
    try {
      return await this.runAndRecord(current, version, assignment, runId, log, stopHeartbeat, runIds);
    } finally {
      await timed('removal wait', () => Promise.all(runIds.map((id) => this.sandbox.removal(id)))).finally(stopHeartbeat);
    }
  }

  private async runAndRecord(
    current: Submission,
    version: AssignmentVersion,
    assignment: Assignment,
    runId: string,
    log: { submissionId: string },
    stopHeartbeat: () => void,
    runIds: string[],
  ): Promise<'graded' | 'already_graded'> {
    const submissionId = current.id;
    let result: GradingResult;
    try {
      result = await timed('run (reads, archives, sandbox, result)', () => this.run(submissionId, version, assignment, runId, runIds));
    } catch (e) {
      // The sandbox could not run (Docker down, image missing): not the candidate's fault. Give
      // the claim back; BullMQ retries, and the sweep re-enqueues after the last attempt.
      await this.ds.query(
        `UPDATE submissions SET status = 'queued', grading_run_id = NULL, lease_expires_at = NULL, updated_at = $3 WHERE id = $1 AND grading_run_id = $2`,
        [submissionId, runId, this.clock.now()],
      );
      this.logger.error({ ...log, runId, err: (e as Error).message }, 'grading could not run; will retry');
      throw e;
    }

    // The run is done: record it, waiting out a database restart (the heartbeat keeps the claim
    // meanwhile) rather than failing the job, whose retry would run the sandbox again.
    const saved = await timed('db: record result', () =>
      retryWrite(
        () =>
          this.ds.transaction(async (m) => {
            const gradedAt = this.clock.now();
            const updated = rowsOf<{ id: string }>(
              await m.query(
                `UPDATE submissions SET status = 'graded', result = $3, graded_at = $4, lease_expires_at = NULL, updated_at = $4
          WHERE id = $1 AND status = 'grading' AND grading_run_id = $2 RETURNING id`,
                [submissionId, runId, JSON.stringify(result), gradedAt],
              ),
            );
            if (!updated.length) return null; // another run took over after our lease expired; its result counts
            await recordEvent(m, current.applicationId, EventType.SubmissionGraded, SYSTEM, gradedAt, {
              submissionId,
              seq: current.seq,
              status: result.status,
              reason: result.reason,
              total: result.total,
              passed: result.passed,
              failed: result.failed,
              durationMs: result.durationMs,
            });
            return m.findOneOrFail(Submission, { where: { id: submissionId } });
          }),
        LEASE_MARGIN_MS,
        (e, attempt) => this.logger.warn({ ...log, runId, err: e.message, attempt }, 'graded but the result is not recorded yet; retrying'),
      ),
    );
    stopHeartbeat();
    if (!saved) {
      this.logger.warn({ ...log, runId }, 'grading result discarded: another run owns the submission');
      return 'already_graded';
    }
    this.logger.log({ ...log, runId, status: result.status, passed: result.passed, total: result.total }, 'graded');
    await timed('hooks (submission.graded)', () => this.runHooks(saved));
    return 'graded';
  }

  /**
   * Renews this run's claim every HEARTBEAT_MS (to now + LEASE_MS, never past `deadline`) while
   * the row is still ours (status grading, our run id). A renewal that fails (database
   * restarting) is tried again at the next beat; one that finds the row taken over stops.
   * Returns the function that stops it.
   */
  private heartbeat(submissionId: string, runId: string, deadline: number): () => void {
    let busy = false;
    let stopped = false;
    const timer = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      const until = new Date(Math.min(this.clock.now().getTime() + LEASE_MS, deadline));
      this.ds
        .query(
          `UPDATE submissions SET lease_expires_at = GREATEST(lease_expires_at, $3) WHERE id = $1 AND status = 'grading' AND grading_run_id = $2 RETURNING id`,
          [submissionId, runId, until],
        )
        .then(
          (r) => {
            if (stopped || rowsOf(r).length) return;
            clearInterval(timer);
            this.logger.warn({ submissionId, runId }, "grading lease lost to another run; this run's result will be discarded");
          },
          (e: Error) =>
            this.logger.warn({ submissionId, runId, err: e.message }, 'could not renew the grading lease; retrying at the next beat'),
        )
        .finally(() => (busy = false));
    }, HEARTBEAT_MS);
    timer.unref();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }

  private async run(
    submissionId: string,
    version: AssignmentVersion,
    assignment: Assignment,
    runId: string,
    /** The sandbox runs started (their containers' removal is awaited by the caller). */
    runIds: string[] = [],
  ): Promise<GradingResult> {
    // The submission's archive and the version's hidden tests in one round trip.
    const [{ archive, hidden_tests: hiddenTests }] = await timed('db: read archive + hidden tests', () =>
      this.ds.query(`SELECT s.archive, v.hidden_tests FROM submissions s, assignment_versions v WHERE s.id = $1 AND v.id = $2`, [
        submissionId,
        version.id,
      ]),
    );
    const tests = (await timed('unpack hidden tests', () => readArchive(hiddenTests, STAFF_ARCHIVE_LIMITS))).files;
    let files;
    try {
      files = stripProjectRoot(
        (await readArchive(archive, submissionArchiveLimits(assignment.maxSubmissionBytes))).files,
        version.layoutTopLevel,
      );
    } catch (e) {
      if (!(e instanceof ArchiveError)) throw e;
      // Checked on upload, so only a changed rule gets here: a result, not a retry.
      return emptyResult(runId, `the upload could not be unpacked: ${e.message}`);
    }
    const def = getRuntime(assignment.runtime);
    const isTest = (p: string) => !!def.testFilePattern?.test(p) && !isProtectedPath(p, def.protectedPaths);
    // The graded run holds the hidden tests only (the submission's test files are left out); the
    // candidate's own tests run after it, in a run without the hidden tests (one after the other,
    // so the graded run never shares the CPU with it and its deadline means what it says). That
    // second run also holds the visible examples (examples/ of the hidden archive): the only run
    // whose messages the candidate may read, since nothing hidden is in it.
    const examples = tests.filter((f) => isExamplePath(f.path));
    runIds.push(runId);
    const run = await timed('sandbox run (to its result)', () =>
      this.sandbox.runTests({ runtime: assignment.runtime, submission: files, tests, limits: version.limits, runId }),
    );
    const ownRunId = randomUUID();
    const ownTests = examples.length > 0 || files.some((f) => isTest(f.path));
    if (ownTests) runIds.push(ownRunId);
    const own = ownTests
      ? await this.sandbox
          .runTests({
            runtime: assignment.runtime,
            submission: files,
            tests: examples,
            limits: version.limits,
            runId: ownRunId,
            includeSubmissionTests: true,
          })
          .catch((e: Error) => {
            this.logger.warn({ submissionId, runId, err: e.message }, "the candidate's own tests could not run");
            return null;
          })
      : null;
    const referenceIds = Array.isArray(version.publishCheck?.testIds) ? (version.publishCheck!.testIds as string[]) : undefined;
    return toResult(run, version.hiddenTestPaths, {
      referenceIds,
      testFilePattern: def.testFilePattern,
      runtime: assignment.runtime,
      own,
      scan: scanSubmission(assignment.runtime, files, isTest),
    });
  }

  private async runHooks(submission: Submission): Promise<void> {
    if (!submission.result) return;
    const application = await this.ds.getRepository(Application).findOneOrFail({ where: { id: submission.applicationId } });
    try {
      // The reviews module schedules the code review from here.
      await this.bus.emit('submission.graded', { submission, application, result: submission.result });
    } catch (e) {
      this.logger.error({ submissionId: submission.id, err: e }, 'a submission.graded listener failed; the sweep will announce it again');
      return;
    }
    await this.ds.query(`UPDATE submissions SET hooks_done_at = $2 WHERE id = $1 AND hooks_done_at IS NULL`, [
      submission.id,
      this.clock.now(),
    ]);
  }

  /**
   * Sweep: a claim whose lease ran out (worker killed mid-run) goes back to queued and its job,
   * if it is waiting out a retry backoff, runs at once; rows queued
   * for over a minute, or graded with hooks not run, get their job again (a job that still
   * waits or runs is left alone; a finished one is replaced, since the job id is the row id).
   */
  async requeueLost(now: Date): Promise<Record<string, number>> {
    const reset = rowsOf<{ id: string }>(
      await this.ds.query(
        `UPDATE submissions SET status = 'queued', grading_run_id = NULL, lease_expires_at = NULL, updated_at = $1
        WHERE status = 'grading' AND lease_expires_at < $1 RETURNING id`,
        [now],
      ),
    );
    const leaseReset = new Set(reset.map((r) => r.id));
    const cutoff = new Date(now.getTime() - LOST_AFTER_MS);
    let requeued = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Array<{ id: string }> = await this.ds.query(
        `SELECT id FROM submissions
          WHERE id > $3 AND ((status = 'queued' AND (updated_at < $1 OR id = ANY($2::uuid[])))
             OR (status = 'graded' AND hooks_done_at IS NULL AND graded_at < $1))
          ORDER BY id LIMIT ${PAGE}`,
        [cutoff, reset.map((r) => r.id), after],
      );
      if (!rows.length) break;
      for (const r of rows) if (await this.reenqueue(r.id, leaseReset.has(r.id))) requeued++;
      after = rows[rows.length - 1].id;
      if (rows.length < PAGE) break;
    }
    return { leasesExpired: reset.length, requeued };
  }

  /**
   * `leaseExpired`: the row's claim just ran out (its worker died). Its job is then usually
   * waiting out the backoff of GradingBusyError retries (up to minutes more); run it now.
   */
  private async reenqueue(submissionId: string, leaseExpired = false): Promise<boolean> {
    try {
      const job = await this.queues.queue(QueueName.Grading).getJob(submissionId);
      if (job) {
        const state = await job.getState();
        if (state === 'delayed' && leaseExpired) {
          await job.promote();
          return true;
        }
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
        await job.remove();
      }
    } catch (e) {
      this.logger.warn({ submissionId, err: (e as Error).message }, 'grading queue unavailable; will retry at the next sweep');
      return false;
    }
    return this.queues.enqueue(QueueName.Grading, JobName.GradeSubmission, { submissionId }, submissionId);
  }
}

function emptyResult(runId: string, reason: string): GradingResult {
  return {
    status: 'error',
    reason,
    total: 0,
    passed: 0,
    failed: 0,
    errors: 0,
    skipped: 0,
    tests: [],
    durationMs: 0,
    logs: '',
    logsTruncated: false,
    exitCode: null,
    imageId: '',
    imageTag: '',
    limits: resolveLimits(),
    droppedFiles: [],
    runId,
  };
}

/**
 * Is this reported test one of the hidden archive's (by its file, or pytest's dotted module)?
 * `runtime`: a runtime whose report names no files (RuntimeDefinition.reportOmitsFiles) counts
 * every test of the graded run (its own test files are left out of it); rust names the test
 * binary (`tests/x.rs`, or `src/lib.rs` for a hidden module under src/ such as `src/tests.rs`).
 */
export function hiddenTestMatcher(
  hiddenPaths: readonly string[],
  runtime?: string,
): (t: Pick<TestCaseResult, 'file' | 'suite'> & { name?: string }) => boolean {
  if (runtimeOf(runtime)?.reportOmitsFiles) return () => true;
  const hidden = new Set(hiddenPaths);
  const modules = hiddenPaths.filter((p) => p.endsWith('.py')).map((p) => p.replace(/\.py$/, '').replace(/\//g, '.'));
  const rustModules = runtime === 'rust' ? hiddenPaths.filter((p) => /^src\/[^/]+\.rs$/.test(p)).map((p) => p.slice(4, -3)) : [];
  return (t) =>
    (t.file !== null && (hidden.has(t.file) || hidden.has(t.file.replace(/^\/work\/code\//, '')))) ||
    hidden.has(t.suite) ||
    hidden.has(`${t.suite.replace(/\./g, '/')}.py`) ||
    modules.some((m) => t.suite.startsWith(`${m}.`)) ||
    (/^src\/(lib|main)\.rs$/.test(t.suite) && rustModules.some((m) => t.name?.startsWith(`${m}::`)));
}

function runtimeOf(name: string | undefined): RuntimeDefinition | undefined {
  return name && Object.prototype.hasOwnProperty.call(RUNTIMES, name) ? RUNTIMES[name] : undefined;
}

/** The ids (suite::name) of the hidden tests of a run: stored at publish time from the reference solution's run. */
export function hiddenTestIds(tests: readonly TestCaseResult[], hiddenPaths: readonly string[], runtime?: string): string[] {
  const isHidden = hiddenTestMatcher(hiddenPaths, runtime);
  return tests.filter(isHidden).map(testId).sort();
}

function tally(tests: ReadonlyArray<{ status: string }>): TestTally {
  const t: TestTally = { total: tests.length, passed: 0, failed: 0, errors: 0, skipped: 0 };
  for (const x of tests) {
    if (x.status === 'passed') t.passed++;
    else if (x.status === 'failed') t.failed++;
    else if (x.status === 'error') {
      t.errors++;
      t.failed++;
    } else t.skipped++;
  }
  return t;
}

export interface ToResultOptions {
  /** The hidden test ids the reference solution reported at publish time (absent for older versions). */
  referenceIds?: readonly string[];
  /** The runtime's test files (to tell hidden test files from helpers). */
  testFilePattern?: RegExp;
  /** The run of the candidate's own tests (without the hidden tests). */
  own?: SandboxResult | null;
  /** What a scan of the submission found. */
  scan?: IntegrityNote[];
  /** The run's runtime: how its report names the hidden tests (see hiddenTestMatcher). */
  runtime?: string;
}

/**
 * A sandbox run as stored (and shown to staff). Only tests from the hidden archive count
 * (total, passed, failed, the status); a report whose hidden tests differ from the reference
 * solution's at publish time, or that the sandbox's own checks refused, is `error`/`tampered`.
 */
export function toResult(run: SandboxResult, hiddenPaths: readonly string[], opts: ToResultOptions = {}): GradingResult {
  const isHidden = hiddenTestMatcher(hiddenPaths, opts.runtime ?? run.runtime);
  const tests = run.tests.map((t) => {
    const hidden = isHidden(t);
    const visible =
      hidden &&
      hiddenPaths.some(
        (p) =>
          isExamplePath(p) &&
          (t.file === p ||
            t.suite === p ||
            t.suite === p.replace(/\.py$/, '').replace(/\//g, '.') ||
            t.suite.startsWith(`${p.replace(/\.py$/, '').replace(/\//g, '.')}.`)),
      );
    return { name: t.name, status: t.status, message: t.message, durationMs: t.durationMs, suite: t.suite, file: t.file, hidden, visible };
  });
  const hiddenTests = run.tests.filter(isHidden);
  const counts = tally(hiddenTests);
  const notes: IntegrityNote[] = [];
  let status: GradingResult['status'] = run.status;
  let reason = run.reason;
  const tamperedBySandbox = run.integrity?.problems.length > 0;
  for (const p of run.integrity?.problems ?? []) {
    notes.push({ kind: /exited with 0/.test(p) ? 'early_exit' : 'report_check', detail: `${p.charAt(0).toUpperCase()}${p.slice(1)}.` });
  }
  if (!tamperedBySandbox && (status === 'passed' || status === 'failed')) {
    // Tests that are not hidden (a runtime that cannot leave the candidate's own out) never decide the status.
    if (counts.total === 0) {
      status = 'error';
      reason = 'the run reported none of the hidden tests';
    } else if (counts.failed > 0) {
      status = 'failed';
      reason = `${counts.failed} of ${counts.total} tests did not pass`;
    } else {
      status = 'passed';
      reason = null;
    }
  }
  let tampered = tamperedBySandbox;
  if (opts.referenceIds && (status === 'passed' || status === 'failed')) {
    const hiddenFiles = hiddenPaths.filter((p) => !opts.testFilePattern || opts.testFilePattern.test(p));
    const wholeRun = Boolean(runtimeOf(opts.runtime ?? run.runtime)?.reportOmitsFiles);
    const { missing, extra } = compareTestIds(hiddenTests, opts.referenceIds, hiddenFiles, wholeRun);
    if (missing.length || extra.length) {
      tampered = true;
      status = 'error';
      reason = `tampered: the report's hidden tests differ from the reference solution's run (${missing.length} missing, ${extra.length} not in it)`;
      notes.push({
        kind: 'test_ids_differ',
        detail: `The test ids differ from the reference run at publish time: missing ${missing.slice(0, 5).join(', ') || 'none'}${missing.length > 5 ? ', …' : ''}; not in it ${extra.slice(0, 5).join(', ') || 'none'}${extra.length > 5 ? ', …' : ''}.`,
      });
    }
  }
  const own = opts.own ?? null;
  const ownTests = own
    ? {
        ...tally(own.tests),
        status: own.status,
        reason: own.reason,
        tests: own.tests.map((t) => ({ name: t.name, status: t.status, message: t.message, file: t.file })),
      }
    : null;
  notes.push(...(opts.scan ?? []));
  // A report that cannot be trusted earns nothing: its tests stay listed for staff, none counts as passed.
  if (tampered) counts.passed = 0;
  return {
    status,
    reason,
    total: counts.total,
    passed: counts.passed,
    failed: counts.failed,
    errors: counts.errors,
    skipped: counts.skipped,
    tests,
    durationMs: run.durationMs,
    logs: run.log,
    logsTruncated: run.logTruncated,
    exitCode: run.exitCode,
    imageId: run.imageId,
    imageTag: run.imageTag,
    limits: run.limits,
    droppedFiles: run.droppedFiles,
    runId: run.runId,
    ownTests,
    integrity: { tampered, notes },
  };
}
