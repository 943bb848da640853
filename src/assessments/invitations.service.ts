import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Candidate } from '../candidates/candidate.entity';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, ErrorCode, conflict, notFound } from '../common/errors/application.exception';
import { OutboxService } from '../communications/outbox.service';
import { User } from '../identity/user.entity';
import { Opening } from '../openings/opening.entity';
import { Actor, EventType } from '../timeline/timeline.entity';
import { Application, Exemption } from '../pipeline/application.entity';
import { findStage } from '../pipeline/domain/stages';
import { candidateMessageContext } from '../pipeline/message-context';
import { recordEvent } from '../timeline/timeline.repository';
import { getRuntime } from '../sandbox';
import { Assignment, AssignmentVersion } from './assignment.entity';
import { ATTESTATION_STATEMENT, describeMinutes, hashPortalToken, looksLikePortalToken, newPortalToken, RULES } from './domain';
import { Invitation } from './invitation.entity';

export const PORTAL_NOT_FOUND_MESSAGE =
  'This take-home link is not valid. It may have expired or been replaced. Contact the recruiter who sent it (reply to their e-mail) and they will send you a new link or more time.';

/** The same answer for an unknown, expired or revoked link: nothing is revealed. */
export const portalNotFound = () => new ApplicationException(ErrorCode.NotFound, PORTAL_NOT_FOUND_MESSAGE, { reason: 'invalid_link' });

/** Event codes this module writes that the pipeline's EventType enum does not list yet. */
export const INVITATION_EXTENDED = EventType.InvitationExtended;

export interface ApplicationContext {
  application: Application;
  opening: Opening;
  candidate: Candidate;
  recruiter: User;
}

/** Locks the application row (the pipeline's use cases take the same lock) and loads its people. */
export async function lockApplication(m: EntityManager, id: string): Promise<ApplicationContext> {
  const application = await m
    .getRepository(Application)
    .createQueryBuilder('a')
    .setLock('pessimistic_write')
    .where('a.id = :id', { id })
    .getOne();
  if (!application) throw notFound('Application');
  const opening = await m.findOneOrFail(Opening, { where: { id: application.openingId } });
  const candidate = await m.findOneOrFail(Candidate, { where: { id: application.candidateId } });
  const recruiter = await m.findOneOrFail(User, { where: { id: opening.recruiterId } });
  return { application, opening, candidate, recruiter };
}

export function localTime(at: Date, tz: string): string {
  const dt = DateTime.fromJSDate(at).setZone(tz);
  return `${(dt.isValid ? dt : DateTime.fromJSDate(at).toUTC()).toFormat('cccc d LLLL yyyy, HH:mm')} (${dt.isValid ? tz : 'UTC'})`;
}

/**
 * Take-home invitations: one private portal link per invitation (32 random bytes, only the
 * SHA-256 stored), sent by e-mail in the same transaction as the invitation and its event.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
  ) {}

  portalUrl(token: string): string {
    return `${publicUrl(this.env)}/portal/${token}`;
  }

  async invite(applicationId: string, assignmentId: string, actor: Actor) {
    const token = newPortalToken();
    const { invitation, version, messageIds } = await this.ds.transaction(async (m) => {
      const { application, opening, candidate, recruiter } = await lockApplication(m, applicationId);
      if (application.status !== 'active')
        throw conflict(`The application is ${application.status}; invitations go to active applications`);
      // The exemption first: accepting public code moves the application on to the code review by
      // itself, so the stage check would otherwise hide the real reason.
      if ((await m.count(Exemption, { where: { applicationId, kind: 'public_code' } })) > 0) {
        throw conflict('This application has a public-code exemption: no take-home is needed; move it on to the code review', {
          reason: 'exempt',
        });
      }
      const stage = findStage(opening.stages, application.stage);
      if (stage?.kind !== 'take_home') {
        throw conflict(
          `The application is in "${stage?.name ?? application.stage}"; take-home invitations are sent in the take-home stage (move it there first)`,
          { stage: application.stage },
        );
      }
      const assignment = await m.findOne(Assignment, { where: { id: assignmentId } });
      if (!assignment) throw notFound('Assignment');
      const version = await m.findOne(AssignmentVersion, { where: { assignmentId, status: 'published' }, order: { version: 'DESC' } });
      if (!version)
        throw new ApplicationException(
          ErrorCode.Unprocessable,
          `"${assignment.title}" has no published version yet; publish one (its reference solution must pass every hidden test) before inviting`,
          { reason: 'no_published_version' },
        );
      const now = this.clock.now();
      const live = await m
        .getRepository(Invitation)
        .createQueryBuilder('i')
        .where('i.application_id = :applicationId AND i.revoked_at IS NULL AND i.expires_at > :now', { applicationId, now })
        .getOne();
      if (live)
        throw conflict(
          'This application already has a live take-home invitation; extend it instead (POST /api/v1/invitations/:id/extend)',
          { existingId: live.id },
        );
      const expiresAt = new Date(now.getTime() + assignment.invitationDays * 86_400_000);
      const invitation = await m.save(
        Invitation,
        m.create(Invitation, {
          applicationId,
          assignmentId,
          versionId: version.id,
          tokenHash: hashPortalToken(token),
          expiresAt,
          revokedAt: null,
          createdBy: actor.id ?? null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await recordEvent(m, applicationId, EventType.InvitationSent, actor, now, {
        invitationId: invitation.id,
        assignmentId,
        assignmentTitle: assignment.title,
        version: version.version,
        expiresAt,
      });
      const portalUrl = this.portalUrl(token);
      const base = candidateMessageContext(opening, candidate, application.stage, recruiter, publicUrl(this.env));
      const messageIds = [
        await this.outbox.queue(m, {
          idempotencyKey: `take-home-invitation:${invitation.id}`,
          template: 'take_home_invitation',
          context: {
            ...base,
            links: { ...base.links, status: portalUrl },
            assignment: assignmentContext(assignment, version),
            portalUrl,
            expiresAt: localTime(expiresAt, candidate.timezone),
            invitationDays: assignment.invitationDays,
            rules: RULES,
            attestation: ATTESTATION_STATEMENT,
          },
          to: { address: candidate.email, name: candidate.name },
          applicationId,
          candidateId: candidate.id,
          openingId: opening.id,
          actor,
        }),
      ];
      return { invitation, version, messageIds };
    });
    await this.outbox.dispatch(messageIds);
    return { ...invitationDto(invitation, version.version), portalUrl: this.portalUrl(token) };
  }

  /** More time: the new deadline is `days` after the later of now and the current deadline. */
  async extend(id: string, days: number, actor: Actor) {
    return this.ds.transaction(async (m) => {
      const inv = await m
        .getRepository(Invitation)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.id = :id', { id })
        .getOne();
      if (!inv) throw notFound('Invitation');
      if (inv.revokedAt) throw conflict('This invitation was revoked');
      const now = this.clock.now();
      const from = inv.expiresAt.getTime() > now.getTime() ? inv.expiresAt : now;
      const expiresAt = new Date(from.getTime() + days * 86_400_000);
      await m.update(Invitation, { id }, { expiresAt, updatedAt: now });
      await recordEvent(m, inv.applicationId, INVITATION_EXTENDED, actor, now, {
        invitationId: id,
        previousExpiresAt: inv.expiresAt,
        expiresAt,
        days,
      });
      const v = await m.findOneOrFail(AssignmentVersion, { where: { id: inv.versionId } });
      return invitationDto({ ...inv, expiresAt }, v.version);
    });
  }

  async listForApplication(applicationId: string) {
    if (!(await this.ds.getRepository(Application).exists({ where: { id: applicationId } }))) throw notFound('Application');
    const rows: Array<Invitation & { version: number }> = await this.ds.query(
      `SELECT i.id, i.application_id AS "applicationId", i.assignment_id AS "assignmentId", i.version_id AS "versionId", i.expires_at AS "expiresAt",
              i.revoked_at AS "revokedAt", i.created_at AS "createdAt", i.updated_at AS "updatedAt", i.created_by AS "createdBy", v.version,
              (SELECT signed_at FROM attestations a WHERE a.invitation_id = i.id) AS "attestedAt"
         FROM invitations i JOIN assignment_versions v ON v.id = i.version_id
        WHERE i.application_id = $1 ORDER BY i.created_at`,
      [applicationId],
    );
    return rows.map((r) => ({ ...invitationDto(r, r.version), attestedAt: (r as unknown as { attestedAt: Date | null }).attestedAt }));
  }

  /**
   * The invitation a candidate's link opens, or the one not-found answer (unknown, expired or
   * revoked look the same). Staff credentials play no part here.
   */
  async resolve(token: string, m: EntityManager = this.ds.manager, lock = false): Promise<Invitation> {
    if (typeof token !== 'string' || !looksLikePortalToken(token)) throw portalNotFound();
    const q = m
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .where('i.token_hash = :h', { h: hashPortalToken(token) });
    if (lock) q.setLock('pessimistic_write');
    const inv = await q.getOne();
    if (!inv || inv.revokedAt || inv.expiresAt.getTime() <= this.clock.now().getTime()) throw portalNotFound();
    return inv;
  }

  async get(id: string): Promise<Invitation> {
    const inv = await this.ds.getRepository(Invitation).findOne({ where: { id, revokedAt: IsNull() } });
    if (!inv) throw notFound('Invitation');
    return inv;
  }
}

export function assignmentContext(a: Assignment, v: AssignmentVersion) {
  return {
    title: a.title,
    language: getRuntime(a.runtime).language,
    timeGuidance: describeMinutes(v.timeGuidanceMinutes),
    timeGuidanceMinutes: v.timeGuidanceMinutes,
  };
}

export function invitationDto(
  i: Pick<Invitation, 'id' | 'applicationId' | 'assignmentId' | 'expiresAt' | 'revokedAt' | 'createdAt'>,
  version: number,
) {
  return {
    id: i.id,
    applicationId: i.applicationId,
    assignmentId: i.assignmentId,
    version,
    expiresAt: i.expiresAt,
    revokedAt: i.revokedAt,
    createdAt: i.createdAt,
  };
}
