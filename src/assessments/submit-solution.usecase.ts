import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, ErrorCode, badRequest, conflict } from '../common/errors/application.exception';
import { QueueService } from '../common/queues/queue.service';
import { JobName, QueueName } from '../common/queues/queues';
import { OutboxService } from '../communications/outbox.service';
import { EventType } from '../timeline/timeline.entity';
import { candidateMessageContext } from '../pipeline/message-context';
import { recordEvent } from '../timeline/timeline.repository';
import { ArchiveError, readArchive } from '../sandbox';
import { Assignment, AssignmentVersion } from './assignment.entity';
import {
  decideSubmission,
  DUPLICATE_WINDOW_MS,
  formatBytes,
  sha256Hex,
  stripProjectRoot,
  submissionArchiveLimits,
  validIdempotencyKey,
} from './domain';
import { Attestation, Invitation } from './invitation.entity';
import { assignmentContext, InvitationsService, localTime, lockApplication } from './invitations.service';
import { Submission } from './submission.entity';

export interface SubmitInput {
  token: string;
  file: { buffer: Buffer; originalName?: string };
  idempotencyKey?: string;
}

/**
 * A candidate uploads a solution: check the archive, then in ONE transaction (invitation row
 * locked, so concurrent uploads take turns; the partial unique index submissions_one_pending_idx
 * backs it: one queued/grading upload per link) decide by policy, pending upload, rate and quota, store it with its SHA-256, write `submission.received`
 * and queue the receipt e-mail; after commit enqueue grading (job id = submission id) and the
 * mail. A replay (same Idempotency-Key, or the same bytes within a few minutes without one)
 * returns the first submission. A refusal stores nothing.
 */
@Injectable()
export class SubmitSolution {
  private readonly logger = new Logger('SubmitSolution');
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly invitations: InvitationsService,
    private readonly outbox: OutboxService,
    private readonly queues: QueueService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /** The upload cap of the link's assignment (checks the link first: a bad link reads no body). */
  async uploadCap(token: string): Promise<number> {
    const inv = await this.invitations.resolve(token);
    const a = await this.ds
      .getRepository(Assignment)
      .findOneOrFail({ where: { id: inv.assignmentId }, select: { id: true, maxSubmissionBytes: true } });
    return a.maxSubmissionBytes;
  }

  async execute(input: SubmitInput): Promise<{ submission: Submission; replayed: boolean }> {
    const key = input.idempotencyKey?.trim() || undefined;
    if (key !== undefined && !validIdempotencyKey(key)) throw badRequest('Idempotency-Key must be 1 to 200 visible ASCII characters');
    const buffer = input.file.buffer;
    if (!buffer?.length) throw badRequest('The upload is empty: attach your zip or tar.gz archive as the multipart field "file"');
    const invitation = await this.invitations.resolve(input.token);
    const version = await this.ds.getRepository(AssignmentVersion).findOneOrFail({ where: { id: invitation.versionId } });
    const assignment = await this.ds.getRepository(Assignment).findOneOrFail({ where: { id: invitation.assignmentId } });
    if (buffer.length > assignment.maxSubmissionBytes) {
      throw new ApplicationException(
        ErrorCode.PayloadTooLarge,
        `The file is larger than the ${formatBytes(assignment.maxSubmissionBytes)} limit`,
        { limitBytes: assignment.maxSubmissionBytes },
      );
    }
    let read;
    try {
      read = await readArchive(buffer, submissionArchiveLimits(assignment.maxSubmissionBytes));
    } catch (e) {
      if (e instanceof ArchiveError) {
        const hint =
          e.code === 'too_many_entries' || e.code === 'too_large'
            ? ' Leave out dependencies and build output (node_modules, venv, dist).'
            : '';
        const why = e.message.charAt(0).toLowerCase() + e.message.slice(1).replace(/\.$/, '');
        throw badRequest(`Your upload was refused: ${why}.${hint}`, { reason: e.code, entry: e.entry ?? null });
      }
      throw e;
    }
    const files = stripProjectRoot(read.files, version.layoutTopLevel);
    if (!files.length) throw badRequest('Your upload was refused: the archive holds no files', { reason: 'empty' });
    const sha256 = sha256Hex(buffer);
    const filename = (input.file.originalName ?? '').replace(/[^\w.\- ()]/g, '_').slice(0, 200) || null;

    const outcome = await this.ds.transaction(async (m) => {
      // Lock the invitation (and check it is still live), so concurrent uploads take turns.
      const inv = await this.invitations.resolve(input.token, m, true);
      const replay = await this.findReplay(m, inv, key, sha256);
      if (replay) return { submission: replay, replayed: true, messageIds: [] as Array<string | null> };
      const { application, opening, candidate, recruiter } = await lockApplication(m, inv.applicationId);
      if (application.status !== 'active')
        throw conflict(`This application is ${application.status}; uploads are closed`, { reason: 'application_closed' });
      const attested = await m.findOne(Attestation, { where: { invitationId: inv.id } });
      if (!attested)
        throw new ApplicationException(ErrorCode.Forbidden, 'Sign the attestation on your take-home page before uploading', {
          reason: 'not_attested',
        });
      const previous: Array<{ status: Submission['status']; seq: number; createdAt: Date; sizeBytes: number }> = await m.query(
        `SELECT status, seq, created_at AS "createdAt", size_bytes AS "sizeBytes" FROM submissions WHERE invitation_id = $1 ORDER BY seq`,
        [inv.id],
      );
      const now = this.clock.now();
      const decision = decideSubmission({
        policy: assignment.resubmission,
        now,
        expiresAt: inv.expiresAt,
        previous,
        incomingBytes: buffer.length,
        maxSubmissionBytes: assignment.maxSubmissionBytes,
      });
      if (!decision.ok) {
        if (decision.code === 'rate_limited') {
          throw new ApplicationException(ErrorCode.TooManyRequests, decision.message, {
            reason: decision.code,
            retryAfterSeconds: decision.retryAfterSeconds,
          });
        }
        throw conflict(decision.message, { reason: decision.code });
      }
      const seq = previous.length + 1;
      const inserted: Array<{ id: string }> = await m.query(
        `INSERT INTO submissions (invitation_id, application_id, version_id, seq, status, archive, sha256, size_bytes, format, file_count, original_filename, idempotency_key, created_at, updated_at)
         VALUES ($1,$2,$3,$4,'queued',$5,$6,$7,$8,$9,$10,$11,$12,$12) RETURNING id`,
        [
          inv.id,
          inv.applicationId,
          inv.versionId,
          seq,
          buffer,
          sha256,
          buffer.length,
          read.format,
          files.length,
          filename,
          key ?? null,
          now,
        ],
      );
      const submission = await m.findOneOrFail(Submission, { where: { id: inserted[0].id } });
      const actor = { kind: 'candidate' as const, id: candidate.id };
      await recordEvent(m, inv.applicationId, EventType.SubmissionReceived, actor, now, {
        submissionId: submission.id,
        invitationId: inv.id,
        seq,
        sha256,
        sizeBytes: buffer.length,
        format: read.format,
        fileCount: files.length,
      });
      const portalUrl = `${publicUrl(this.env)}/portal/${input.token}`;
      const base = candidateMessageContext(opening, candidate, application.stage, recruiter, publicUrl(this.env));
      const canResubmit = assignment.resubmission === 'until_deadline';
      const messageIds = [
        await this.outbox.queue(m, {
          idempotencyKey: `submission-receipt:${submission.id}`,
          template: 'submission_receipt',
          context: {
            ...base,
            links: { ...base.links, status: portalUrl },
            assignment: assignmentContext(assignment, version),
            portalUrl,
            submission: {
              number: seq,
              filename,
              size: formatBytes(buffer.length),
              fileCount: files.length,
              sha256,
              receivedAt: localTime(now, candidate.timezone),
            },
            canResubmit: true,
            resubmitNote: canResubmit
              ? `You may upload a new version until ${localTime(inv.expiresAt, candidate.timezone)}; every upload is kept and the newest one counts.`
              : 'This upload is the one that counts: the assignment takes no further uploads once it has been graded.',
          },
          to: { address: candidate.email, name: candidate.name },
          applicationId: inv.applicationId,
          candidateId: candidate.id,
          openingId: opening.id,
          actor,
        }),
      ];
      return { submission, replayed: false, messageIds };
    });
    await this.outbox.dispatch(outcome.messageIds);
    if (outcome.submission.status === 'queued') {
      await this.queues.enqueue(QueueName.Grading, JobName.GradeSubmission, { submissionId: outcome.submission.id }, outcome.submission.id);
    }
    if (outcome.replayed)
      this.logger.log({ submissionId: outcome.submission.id }, 'duplicate upload answered with the existing submission');
    return { submission: outcome.submission, replayed: outcome.replayed };
  }

  private async findReplay(
    m: import('typeorm').EntityManager,
    inv: Invitation,
    key: string | undefined,
    sha256: string,
  ): Promise<Submission | null> {
    if (key) {
      const same = await m.findOne(Submission, { where: { invitationId: inv.id, idempotencyKey: key } });
      if (!same) return null;
      if (same.sha256 !== sha256) {
        throw conflict('This Idempotency-Key was already used for a different upload; use a new key for a new upload', {
          reason: 'idempotency_key_reused',
          existingId: same.id,
        });
      }
      return same;
    }
    const since = new Date(this.clock.now().getTime() - DUPLICATE_WINDOW_MS);
    return m
      .getRepository(Submission)
      .createQueryBuilder('s')
      .where('s.invitation_id = :inv AND s.sha256 = :sha AND s.created_at > :since', { inv: inv.id, sha: sha256, since })
      .orderBy('s.created_at', 'DESC')
      .getOne();
  }
}
