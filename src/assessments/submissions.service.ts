import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../common/errors/application.exception';
import { Application } from '../pipeline/application.entity';
import { ArchiveError, readArchive } from '../sandbox';
import { Assignment, AssignmentVersion } from './assignment.entity';
import { stripProjectRoot, submissionArchiveLimits } from './domain';
import { Submission } from './submission.entity';

export interface SubmissionFile {
  path: string;
  size: number;
  mode: number;
  /** utf8 for text, base64 for anything that is not valid UTF-8 or holds NUL bytes. */
  encoding: 'utf8' | 'base64';
  content: string;
}

/** Staff reads of submissions (results, files for the review packet). */
@Injectable()
export class SubmissionsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async get(id: string): Promise<Submission> {
    const s = await this.ds.getRepository(Submission).findOne({ where: { id } });
    if (!s) throw notFound('Submission');
    return s;
  }

  async listForApplication(applicationId: string): Promise<Submission[]> {
    if (!(await this.ds.getRepository(Application).exists({ where: { id: applicationId } }))) throw notFound('Application');
    return this.ds.getRepository(Submission).find({ where: { applicationId }, order: { createdAt: 'ASC', seq: 'ASC' } });
  }

  /** The files as graded (a wrapping project folder dropped, as for the sandbox). */
  async files(id: string): Promise<{ submissionId: string; sha256: string; files: SubmissionFile[]; unavailable?: string }> {
    const s = await this.get(id);
    const [{ archive }] = await this.ds.query(`SELECT archive FROM submissions WHERE id = $1`, [id]);
    const version = await this.ds.getRepository(AssignmentVersion).findOneOrFail({ where: { id: s.versionId } });
    const assignment = await this.ds.getRepository(Assignment).findOneOrFail({ where: { id: version.assignmentId } });
    if (!archive?.length)
      return { submissionId: id, sha256: s.sha256, files: [], unavailable: 'The archive was erased (data protection request)' };
    let read;
    try {
      read = await readArchive(archive, submissionArchiveLimits(assignment.maxSubmissionBytes));
    } catch (e) {
      if (e instanceof ArchiveError)
        return { submissionId: id, sha256: s.sha256, files: [], unavailable: `The archive cannot be read: ${e.message}` };
      throw e;
    }
    const files = stripProjectRoot(read.files, version.layoutTopLevel)
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((f) => {
        const text = isText(f.content);
        return {
          path: f.path,
          size: f.content.length,
          mode: f.mode,
          encoding: text ? ('utf8' as const) : ('base64' as const),
          content: f.content.toString(text ? 'utf8' : 'base64'),
        };
      });
    return { submissionId: id, sha256: s.sha256, files };
  }
}

function isText(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

export function submissionDto(s: Submission) {
  const r = s.result;
  return {
    id: s.id,
    applicationId: s.applicationId,
    invitationId: s.invitationId,
    versionId: s.versionId,
    number: s.seq,
    status: s.status,
    sha256: s.sha256,
    sizeBytes: s.sizeBytes,
    format: s.format,
    fileCount: s.fileCount,
    filename: s.originalFilename,
    attempts: s.attempts,
    createdAt: s.createdAt,
    gradedAt: s.gradedAt,
    result: r
      ? {
          status: r.status,
          reason: r.reason,
          total: r.total,
          passed: r.passed,
          failed: r.failed,
          errors: r.errors,
          skipped: r.skipped,
          tests: r.tests.map((t) => ({
            name: t.name,
            status: t.status,
            message: t.message,
            durationMs: t.durationMs,
            file: t.file,
            hidden: t.hidden,
            visible: t.visible ?? false,
          })),
          /** The candidate's own tests (and the visible examples), run apart without the hidden tests; never in total/passed. */
          ownTests: r.ownTests ?? null,
          /** What the run's checks and a scan of the submission observed (tampered: the report could not be trusted). */
          integrity: r.integrity ?? null,
          durationMs: r.durationMs,
          logs: r.logs,
          logsTruncated: r.logsTruncated,
          imageId: r.imageId,
          imageTag: r.imageTag,
          limits: r.limits,
          droppedFiles: r.droppedFiles,
        }
      : null,
  };
}
