import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service';
import { Clock } from '../common/clock/clock';
import { rowsOf } from '../common/database/rows';
import { ApplicationException, ErrorCode, badRequest, notFound } from '../common/errors/application.exception';
import {
  ArchiveError,
  ArchiveFile,
  detectArchiveFormat,
  getRuntime,
  InvalidLimitsError,
  readArchive,
  resolveLimits,
  SandboxImageError,
  SandboxService,
} from '../sandbox';
import type { SandboxLimits } from '../sandbox';
import { Actor } from '../timeline/timeline.entity';
import { Assignment, AssignmentVersion } from './assignment.entity';
import { CreateAssignmentDto } from './dto/assignment.dto';
import {
  decidePublish,
  DEFAULT_INVITATION_DAYS,
  DEFAULT_MAX_SUBMISSION_BYTES,
  DEFAULT_TIME_GUIDANCE_MINUTES,
  renderMarkdown,
  sha256Hex,
  STAFF_ARCHIVE_LIMITS,
  summarizeFeedback,
  topLevelNames,
} from './domain';
import { hiddenTestIds } from './grading.service';
import { AssignmentFeedback } from './submission.entity';

export interface VersionUpload {
  hiddenTests?: { buffer: Buffer };
  starter?: { buffer: Buffer };
  referenceSolution?: { buffer: Buffer };
  instructions?: string;
}

/**
 * Assignments and their versions. A version holds the hidden tests, the starter code and a
 * reference solution (bytea + SHA-256); it is published only after the reference solution passed
 * every hidden test in the sandbox, and a published version never changes.
 */
@Injectable()
export class AssignmentsService {
  private readonly logger = new Logger('Assignments');
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly sandbox: SandboxService,
    private readonly clock: Clock,
    private readonly alerts: AlertsService,
  ) {}

  async create(dto: CreateAssignmentDto, actor: Actor): Promise<Assignment> {
    const runtime = getRuntime(dto.runtime);
    const limits = checkLimits(runtime.name, dto.limits);
    const repo = this.ds.getRepository(Assignment);
    return repo.save(
      repo.create({
        title: dto.title.trim(),
        runtime: runtime.name,
        instructions: dto.instructions,
        timeGuidanceMinutes: dto.timeGuidanceMinutes ?? DEFAULT_TIME_GUIDANCE_MINUTES,
        limits,
        resubmission: dto.resubmission ?? 'until_first_graded',
        candidateSees: dto.candidateSees ?? 'summary',
        maxSubmissionBytes: dto.maxSubmissionBytes ?? DEFAULT_MAX_SUBMISSION_BYTES,
        invitationDays: dto.invitationDays ?? DEFAULT_INVITATION_DAYS,
        createdBy: actor.id ?? null,
      }),
    );
  }

  list(): Promise<Assignment[]> {
    return this.ds.getRepository(Assignment).find({ order: { createdAt: 'DESC' }, take: 500 });
  }

  async get(id: string): Promise<Assignment> {
    const a = await this.ds.getRepository(Assignment).findOne({ where: { id } });
    if (!a) throw notFound('Assignment');
    return a;
  }

  versions(assignmentId: string): Promise<AssignmentVersion[]> {
    return this.ds.getRepository(AssignmentVersion).find({ where: { assignmentId }, order: { version: 'ASC' } });
  }

  async getVersion(assignmentId: string, version: number): Promise<AssignmentVersion> {
    const v = await this.ds.getRepository(AssignmentVersion).findOne({ where: { assignmentId, version } });
    if (!v) throw notFound('Assignment version');
    return v;
  }

  /** The newest published version (what new invitations get), or null. */
  latestPublished(assignmentId: string): Promise<AssignmentVersion | null> {
    return this.ds.getRepository(AssignmentVersion).findOne({ where: { assignmentId, status: 'published' }, order: { version: 'DESC' } });
  }

  private async blobs(versionId: string, columns: Array<'hiddenTests' | 'starter' | 'referenceSolution'>): Promise<AssignmentVersion> {
    const q = this.ds.getRepository(AssignmentVersion).createQueryBuilder('v').where('v.id = :id', { id: versionId });
    for (const c of columns) q.addSelect(`v.${c}`);
    const v = await q.getOne();
    if (!v) throw notFound('Assignment version');
    return v;
  }

  async createVersion(assignmentId: string, upload: VersionUpload, actor: Actor): Promise<AssignmentVersion> {
    const assignment = await this.get(assignmentId);
    const missing = (['hiddenTests', 'referenceSolution'] as const).filter((f) => !upload[f]?.buffer?.length);
    if (missing.length) {
      throw badRequest(
        `Missing archive${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (multipart fields hiddenTests, referenceSolution and optionally starter, each a zip or tar.gz)`,
        { fields: missing.map((field) => ({ field, errors: ['required'] })) },
      );
    }
    const hidden = await readStaffArchive('hiddenTests', upload.hiddenTests!.buffer);
    const reference = await readStaffArchive('referenceSolution', upload.referenceSolution!.buffer);
    if (upload.starter?.buffer?.length) await readStaffArchive('starter', upload.starter.buffer);
    if (!hidden.length) throw badRequest('hiddenTests: the archive holds no files');
    if (!reference.length) throw badRequest('referenceSolution: the archive holds no files');
    const instructions = upload.instructions?.trim() ? upload.instructions : assignment.instructions;
    if (instructions.length > 100_000) throw badRequest('instructions: at most 100,000 characters');
    const now = this.clock.now();
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT id FROM assignments WHERE id = $1 FOR UPDATE`, [assignmentId]);
      const [{ next }] = await m.query(`SELECT coalesce(max(version), 0) + 1 AS next FROM assignment_versions WHERE assignment_id = $1`, [
        assignmentId,
      ]);
      const row = m.create(AssignmentVersion, {
        assignmentId,
        version: Number(next),
        status: 'draft',
        instructions,
        timeGuidanceMinutes: assignment.timeGuidanceMinutes,
        limits: assignment.limits,
        hiddenTests: upload.hiddenTests!.buffer,
        hiddenTestsSha256: sha256Hex(upload.hiddenTests!.buffer),
        hiddenTestPaths: hidden.map((f) => f.path),
        starter: upload.starter?.buffer?.length ? upload.starter.buffer : null,
        starterSha256: upload.starter?.buffer?.length ? sha256Hex(upload.starter.buffer) : null,
        referenceSolution: upload.referenceSolution!.buffer,
        referenceSolutionSha256: sha256Hex(upload.referenceSolution!.buffer),
        layoutTopLevel: topLevelNames(reference.map((f) => f.path)),
        publishCheck: null,
        createdBy: actor.id ?? null,
        createdAt: now,
      });
      const saved = await m.save(AssignmentVersion, row);
      delete (saved as Partial<AssignmentVersion>).hiddenTests;
      delete (saved as Partial<AssignmentVersion>).starter;
      delete (saved as Partial<AssignmentVersion>).referenceSolution;
      return saved;
    });
  }

  /**
   * Runs the reference solution against the hidden tests in the sandbox; publishes only when
   * every test passed, otherwise 422 listing the tests that did not (name, status, message).
   */
  async publish(assignmentId: string, versionNumber: number, actor: Actor): Promise<AssignmentVersion> {
    const assignment = await this.get(assignmentId);
    const meta = await this.getVersion(assignmentId, versionNumber);
    if (meta.status === 'published') return meta;
    const v = await this.blobs(meta.id, ['hiddenTests', 'referenceSolution']);
    const tests = (await readArchive(v.hiddenTests, STAFF_ARCHIVE_LIMITS)).files;
    const reference = (await readArchive(v.referenceSolution, STAFF_ARCHIVE_LIMITS)).files;
    const runId = randomUUID();
    this.logger.log({ assignmentId, version: versionNumber, runId }, 'publish check: running the reference solution');
    let run;
    try {
      run = await this.sandbox.runTests({ runtime: assignment.runtime, submission: reference, tests, limits: v.limits, runId });
    } catch (e) {
      if (e instanceof SandboxImageError)
        throw new ApplicationException(ErrorCode.Unavailable, `The sandbox cannot run right now: ${e.message}`);
      throw new ApplicationException(ErrorCode.Unavailable, `The sandbox cannot run right now (${(e as Error).message}); retry shortly`);
    }
    const decision = decidePublish(run);
    const check = {
      at: this.clock.now(),
      runId,
      status: run.status,
      reason: run.reason,
      total: run.counts.total,
      passed: run.counts.passed,
      durationMs: run.durationMs,
      imageTag: run.imageTag,
      imageId: run.imageId,
      tests: run.tests.map((t) => ({ name: t.name, status: t.status, message: t.message, durationMs: t.durationMs })),
      // Gradings compare the hidden test ids they report with these (missing/extra/renamed: tampered).
      testIds: hiddenTestIds(run.tests, v.hiddenTestPaths, assignment.runtime),
    };
    if (!decision.ok) {
      await this.ds.query(`UPDATE assignment_versions SET publish_check = $2 WHERE id = $1 AND status = 'draft'`, [
        v.id,
        JSON.stringify(check),
      ]);
      throw new ApplicationException(ErrorCode.Unprocessable, decision.reason, {
        failingTests: decision.failingTests,
        check: {
          status: run.status,
          reason: run.reason,
          total: run.counts.total,
          passed: run.counts.passed,
          durationMs: run.durationMs,
          logs: run.log.slice(-8000),
        },
      });
    }
    const now = this.clock.now();
    const updated = rowsOf<{ id: string }>(
      await this.ds.query(
        `UPDATE assignment_versions SET status = 'published', published_at = $2, published_by = $3, publish_check = $4 WHERE id = $1 AND status = 'draft' RETURNING id`,
        [v.id, now, actor.id ?? null, JSON.stringify(check)],
      ),
    );
    if (!updated.length) this.logger.log({ versionId: v.id }, 'version was published concurrently');
    return this.getVersion(assignmentId, versionNumber);
  }

  async hiddenTests(
    assignmentId: string,
    versionNumber: number,
  ): Promise<{ buffer: Buffer; sha256: string; filename: string; contentType: string }> {
    const meta = await this.getVersion(assignmentId, versionNumber);
    const v = await this.blobs(meta.id, ['hiddenTests']);
    return archiveDownload(v.hiddenTests, `hidden-tests-${assignmentId.slice(0, 8)}-v${versionNumber}`, v.hiddenTestsSha256);
  }

  async starter(versionId: string): Promise<{ buffer: Buffer; sha256: string; filename: string; contentType: string } | null> {
    const v = await this.blobs(versionId, ['starter']);
    if (!v.starter) return null;
    return archiveDownload(v.starter, 'starter', v.starterSha256!);
  }

  async versionWithBlobs(versionId: string, columns: Array<'hiddenTests' | 'starter' | 'referenceSolution'>): Promise<AssignmentVersion> {
    return this.blobs(versionId, columns);
  }

  async feedbackSummary(assignmentId: string, versionNumber: number) {
    const v = await this.getVersion(assignmentId, versionNumber);
    return { assignmentId, version: v.version, ...(await this.summaryFor(v)) };
  }

  private async summaryFor(v: AssignmentVersion) {
    const rows = await this.ds
      .getRepository(AssignmentFeedback)
      .find({ where: { versionId: v.id }, select: { clarity: true, minutesSpent: true } });
    return summarizeFeedback(rows, v.timeGuidanceMinutes);
  }

  /**
   * After new feedback: when the median candidate spent longer than the version's guidance, every
   * admin gets one alert for this version (raised once; the dedupe key is per version and admin).
   */
  async checkOverTime(versionId: string): Promise<boolean> {
    const v = await this.ds.getRepository(AssignmentVersion).findOne({ where: { id: versionId } });
    if (!v) return false;
    const s = await this.summaryFor(v);
    if (!s.flagged) return false;
    const assignment = await this.get(v.assignmentId);
    const admins: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM users WHERE 'admin' = ANY(roles) AND disabled_at IS NULL ORDER BY created_at`,
    );
    for (const admin of admins) {
      await this.alerts.raiseOnce({
        kind: 'assignment_over_time',
        dedupeKey: `assignment_over_time:${v.id}:${admin.id}`,
        recipientId: admin.id,
        message: `Candidates take longer than planned on "${assignment.title}" v${v.version}: the median is ${s.medianMinutes} minutes against a guidance of ${v.timeGuidanceMinutes} (${s.count} response${s.count === 1 ? '' : 's'}, mean clarity ${s.meanClarity}/5). Shorten it or clarify the instructions.`,
        data: { assignmentId: v.assignmentId, version: v.version, versionId: v.id, ...s },
      });
    }
    return true;
  }
}

export function checkLimits(runtime: string, limits: Partial<SandboxLimits> | undefined): Partial<SandboxLimits> {
  if (!limits) return {};
  try {
    resolveLimits(getRuntime(runtime).defaultLimits, limits);
  } catch (e) {
    if (e instanceof InvalidLimitsError) throw badRequest(`limits: ${e.message}`, { fields: [{ field: 'limits', errors: [e.message] }] });
    throw e;
  }
  return limits;
}

async function readStaffArchive(field: string, buffer: Buffer): Promise<ArchiveFile[]> {
  try {
    return (await readArchive(buffer, STAFF_ARCHIVE_LIMITS)).files;
  } catch (e) {
    if (e instanceof ArchiveError) throw badRequest(`${field}: ${e.message}`, { reason: e.code, field });
    throw e;
  }
}

function archiveDownload(buffer: Buffer, base: string, sha256: string) {
  const format = detectArchiveFormat(buffer);
  const ext = format === 'zip' ? 'zip' : format === 'tar.gz' ? 'tar.gz' : 'tar';
  const contentType = format === 'zip' ? 'application/zip' : format === 'tar.gz' ? 'application/gzip' : 'application/x-tar';
  return { buffer, sha256, filename: `${base}.${ext}`, contentType };
}

export function versionDto(v: AssignmentVersion) {
  return {
    id: v.id,
    assignmentId: v.assignmentId,
    version: v.version,
    status: v.status,
    instructions: v.instructions,
    instructionsHtml: renderMarkdown(v.instructions),
    timeGuidanceMinutes: v.timeGuidanceMinutes,
    limits: v.limits,
    hiddenTests: { sha256: v.hiddenTestsSha256, fileCount: v.hiddenTestPaths.length },
    starter: v.starterSha256 ? { sha256: v.starterSha256 } : null,
    referenceSolution: { sha256: v.referenceSolutionSha256 },
    publishCheck: v.publishCheck
      ? {
          at: v.publishCheck.at,
          status: v.publishCheck.status,
          reason: v.publishCheck.reason,
          total: v.publishCheck.total,
          passed: v.publishCheck.passed,
          durationMs: v.publishCheck.durationMs,
        }
      : null,
    publishedAt: v.publishedAt,
    createdAt: v.createdAt,
  };
}

export function assignmentDto(a: Assignment, versions?: AssignmentVersion[]) {
  return {
    id: a.id,
    title: a.title,
    runtime: a.runtime,
    language: getRuntime(a.runtime).language,
    instructions: a.instructions,
    instructionsHtml: renderMarkdown(a.instructions),
    timeGuidanceMinutes: a.timeGuidanceMinutes,
    limits: a.limits,
    resubmission: a.resubmission,
    candidateSees: a.candidateSees,
    maxSubmissionBytes: a.maxSubmissionBytes,
    invitationDays: a.invitationDays,
    createdAt: a.createdAt,
    versions: versions?.map((v) => ({ version: v.version, status: v.status, createdAt: v.createdAt, publishedAt: v.publishedAt })),
  };
}
