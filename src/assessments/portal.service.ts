import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Candidate } from '../candidates/candidate.entity';
import { Clock } from '../common/clock/clock';
import { ApplicationException, ErrorCode, conflict, notFound } from '../common/errors/application.exception';
import { User } from '../identity/user.entity';
import { Opening } from '../openings/opening.entity';
import { Application } from '../pipeline/application.entity';
import { EventType } from '../timeline/timeline.entity';
import { recordEvent } from '../timeline/timeline.repository';
import { getRuntime } from '../sandbox';
import { Assignment, AssignmentVersion } from './assignment.entity';
import { AssignmentsService } from './assignments.service';
import {
  ATTESTATION_STATEMENT,
  candidateView,
  CandidateSubmissionView,
  decideSubmission,
  describeMinutes,
  formatBytes,
  renderMarkdown,
  RULES,
} from './domain';
import { Attestation, Invitation } from './invitation.entity';
import { InvitationsService, lockApplication } from './invitations.service';
import { AssignmentFeedback, Submission } from './submission.entity';

export interface PortalSubmission extends CandidateSubmissionView {
  id: string;
  number: number;
  receivedAt: Date;
  sizeBytes: number;
  filename: string | null;
}

/**
 * What a candidate's link shows and does. Everything is reached through the link token alone and
 * limited to that one invitation; hidden tests (names, files, results per test) never appear.
 */
@Injectable()
export class PortalService {
  private readonly logger = new Logger('Portal');
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly invitations: InvitationsService,
    private readonly assignments: AssignmentsService,
    private readonly clock: Clock,
  ) {}

  private async load(token: string) {
    const invitation = await this.invitations.resolve(token);
    const [application, assignment, version, attestation, submissions, feedback] = await Promise.all([
      this.ds.getRepository(Application).findOneOrFail({ where: { id: invitation.applicationId } }),
      this.ds.getRepository(Assignment).findOneOrFail({ where: { id: invitation.assignmentId } }),
      this.ds.getRepository(AssignmentVersion).findOneOrFail({ where: { id: invitation.versionId } }),
      this.ds.getRepository(Attestation).findOne({ where: { invitationId: invitation.id } }),
      this.ds.getRepository(Submission).find({ where: { invitationId: invitation.id }, order: { seq: 'ASC' } }),
      this.ds.getRepository(AssignmentFeedback).findOne({ where: { invitationId: invitation.id } }),
    ]);
    const [opening, candidate] = await Promise.all([
      this.ds.getRepository(Opening).findOneOrFail({ where: { id: application.openingId } }),
      this.ds.getRepository(Candidate).findOneOrFail({ where: { id: application.candidateId } }),
    ]);
    const recruiter = await this.ds.getRepository(User).findOneOrFail({ where: { id: opening.recruiterId } });
    return { invitation, application, assignment, version, attestation, submissions, feedback, opening, candidate, recruiter };
  }

  private submissionsView(s: Submission[], assignment: Assignment, version: AssignmentVersion): PortalSubmission[] {
    return s.map((x) => ({
      id: x.id,
      number: x.seq,
      receivedAt: x.createdAt,
      sizeBytes: x.sizeBytes,
      filename: x.originalFilename,
      ...candidateView(x.status, x.result, assignment.candidateSees, version.hiddenTestPaths),
    }));
  }

  /** The portal's whole state, for the page and GET /api/v1/portal/:token. */
  async view(token: string) {
    const c = await this.load(token);
    const now = this.clock.now();
    const active = c.application.status === 'active';
    const decision = decideSubmission({
      policy: c.assignment.resubmission,
      now,
      expiresAt: c.invitation.expiresAt,
      previous: c.submissions,
      maxSubmissionBytes: c.assignment.maxSubmissionBytes,
    });
    const submissions = this.submissionsView(c.submissions, c.assignment, c.version);
    const canUpload = active && !!c.attestation && decision.ok;
    return {
      candidate: { firstName: c.candidate.name.split(/\s+/)[0], timezone: c.candidate.timezone },
      opening: { title: c.opening.title },
      recruiter: { name: c.recruiter.name, email: c.recruiter.email },
      applicationOpen: active,
      assignment: {
        title: c.assignment.title,
        runtime: c.assignment.runtime,
        language: getRuntime(c.assignment.runtime).language,
        version: c.version.version,
        instructionsHtml: renderMarkdown(c.version.instructions),
        timeGuidanceMinutes: c.version.timeGuidanceMinutes,
        timeGuidance: describeMinutes(c.version.timeGuidanceMinutes),
        maxMinutes: 180,
      },
      expiresAt: c.invitation.expiresAt,
      rules: RULES,
      attestation: {
        statement: ATTESTATION_STATEMENT,
        signed: !!c.attestation,
        fullName: c.attestation?.fullName ?? null,
        signedAt: c.attestation?.signedAt ?? null,
      },
      starter: { available: !!c.version.starterSha256, open: !!c.attestation && !!c.version.starterSha256 },
      upload: {
        allowed: canUpload,
        reason: !active
          ? 'This application is closed.'
          : !c.attestation
            ? 'Sign the attestation first.'
            : decision.ok
              ? null
              : decision.message,
        maxBytes: c.assignment.maxSubmissionBytes,
        maxSize: formatBytes(c.assignment.maxSubmissionBytes),
        formats: ['zip', 'tar.gz'],
        resubmission: c.assignment.resubmission,
      },
      status: submissions.length ? submissions[submissions.length - 1].status : 'not_submitted',
      submissions,
      feedback: { allowed: submissions.length > 0 && !c.feedback, given: !!c.feedback },
    };
  }

  async status(token: string) {
    const c = await this.load(token);
    const submissions = this.submissionsView(c.submissions, c.assignment, c.version);
    const latest = submissions[submissions.length - 1];
    return {
      status: latest ? latest.status : 'not_submitted',
      outcome: latest?.outcome ?? null,
      buildError: latest?.buildError ?? null,
      // The counts of the candidate's own tests on the latest upload, as the portal page shows them.
      // (Absent where the candidate sees only received / graded.)
      ...(latest && 'yourTests' in latest ? { yourTests: latest.yourTests } : {}),
      submissions,
    };
  }

  /** Signing twice keeps the first signature (idempotent). */
  async attest(token: string, fullName: string, meta: { ip?: string | null; userAgent?: string | null }) {
    const name = fullName.trim().replace(/\s+/g, ' ');
    if (name.length < 2)
      throw new ApplicationException(ErrorCode.ValidationFailed, 'Type your full name to sign', {
        fields: [{ field: 'fullName', errors: ['required'] }],
      });
    return this.ds.transaction(async (m) => {
      const inv = await this.invitations.resolve(token, m, true);
      const existing = await m.findOne(Attestation, { where: { invitationId: inv.id } });
      if (existing) return { signed: true, fullName: existing.fullName, signedAt: existing.signedAt, statement: existing.statement };
      const { application, candidate } = await lockApplication(m, inv.applicationId);
      if (application.status !== 'active') throw conflict(`This application is ${application.status}`, { reason: 'application_closed' });
      const now = this.clock.now();
      const saved = await m.save(
        Attestation,
        m.create(Attestation, {
          invitationId: inv.id,
          fullName: name,
          statement: ATTESTATION_STATEMENT,
          signedAt: now,
          ip: meta.ip?.slice(0, 100) ?? null,
          userAgent: meta.userAgent?.slice(0, 500) ?? null,
        }),
      );
      await recordEvent(m, inv.applicationId, EventType.AttestationSigned, { kind: 'candidate', id: candidate.id }, now, {
        invitationId: inv.id,
        fullName: name,
        statement: ATTESTATION_STATEMENT,
      });
      return { signed: true, fullName: saved.fullName, signedAt: saved.signedAt, statement: saved.statement };
    });
  }

  /** The starter archive, only after the attestation is signed. */
  async starter(token: string) {
    const inv = await this.invitations.resolve(token);
    const signed = await this.ds.getRepository(Attestation).exists({ where: { invitationId: inv.id } });
    if (!signed)
      throw new ApplicationException(
        ErrorCode.Forbidden,
        'Sign the attestation on your take-home page first; the starter code opens after that',
        { reason: 'not_attested' },
      );
    const file = await this.assignments.starter(inv.versionId);
    if (!file) throw notFound('Starter code (this assignment has none: start from an empty folder)');
    return file;
  }

  /** One feedback per invitation, after at least one upload; may flag the version as over time. */
  async feedback(token: string, dto: { clarity: number; minutesSpent: number; comments?: string }) {
    const saved = await this.ds.transaction(async (m) => {
      const inv: Invitation = await this.invitations.resolve(token, m, true);
      const submitted = await m.count(Submission, { where: { invitationId: inv.id } });
      if (!submitted) throw conflict('Upload your solution first; feedback comes after', { reason: 'not_submitted' });
      if (await m.exists(AssignmentFeedback, { where: { invitationId: inv.id } }))
        throw conflict('We already have your feedback: thank you!', { reason: 'already_given' });
      const { candidate } = await lockApplication(m, inv.applicationId);
      const now = this.clock.now();
      const row = await m.save(
        AssignmentFeedback,
        m.create(AssignmentFeedback, {
          invitationId: inv.id,
          versionId: inv.versionId,
          applicationId: inv.applicationId,
          clarity: dto.clarity,
          minutesSpent: dto.minutesSpent,
          comments: (dto.comments ?? '').trim(),
          createdAt: now,
        }),
      );
      await recordEvent(m, inv.applicationId, EventType.FeedbackReceived, { kind: 'candidate', id: candidate.id }, now, {
        invitationId: inv.id,
        clarity: dto.clarity,
        minutesSpent: dto.minutesSpent,
        comments: row.comments,
      });
      return row;
    });
    try {
      await this.assignments.checkOverTime(saved.versionId);
    } catch (e) {
      this.logger.error({ err: e, versionId: saved.versionId }, 'over-time check failed');
    }
    return {
      received: true,
      clarity: saved.clarity,
      minutesSpent: saved.minutesSpent,
      comments: saved.comments,
      createdAt: saved.createdAt,
    };
  }
}
