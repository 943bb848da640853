import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Candidate } from '../candidates/candidate.entity';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, ErrorCode, notFound } from '../common/errors/application.exception';
import { buildInvite, formatInZone, InviteMethod, stableUid } from '../communications/ics';
import { OutboxService, QueueMessageInput } from '../communications/outbox.service';
import { Opening } from '../openings/opening.entity';
import { Actor } from '../timeline/timeline.entity';
import { Application } from '../pipeline/application.entity';
import { candidateMessageContext } from '../pipeline/message-context';
import { CULTURE_FIT_REASON, DEFAULT_INTERVIEW_KINDS, isCultureFitKind, normalizeKind } from './domain';
import { InterviewSession, InterviewSetting } from './interview.entity';
import { kindName, namesList, staffByIds, StaffPerson } from './interview-context';
import { CalendarsService } from '../calendars/calendars.service';

export const KINDS_SETTING = 'kinds';

export interface SessionMessageInput {
  session: InterviewSession;
  method: InviteMethod;
  app: Application;
  opening: Opening;
  candidate: Candidate;
  recruiter: StaffPerson;
  interviewers: StaffPerson[];
  actor: Actor;
  now: Date;
  reason?: string | null;
  candidateMessage?: string | null;
  /** The application closed (rejected or withdrawn): the candidate's cancellation says so. */
  closed?: boolean;
  /** The session moved to a new time (an updated invitation, same UID, SEQUENCE + 1). */
  moved?: boolean;
}

/** Reads, the configurable interview kinds, and the invitation / cancellation messages with their ICS. */
@Injectable()
export class InterviewsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
    private readonly calendars: CalendarsService,
  ) {}

  /** Allowed kinds: the saved list, or DEFAULT_INTERVIEW_KINDS when none was saved. */
  async kinds(m: EntityManager = this.ds.manager): Promise<string[]> {
    const row = await m.findOne(InterviewSetting, { where: { key: KINDS_SETTING } });
    const value = row?.value;
    return Array.isArray(value) && value.length ? value.map(String) : [...DEFAULT_INTERVIEW_KINDS];
  }

  async setKinds(input: string[], userId: string): Promise<string[]> {
    const refused = input.filter(isCultureFitKind);
    if (refused.length) {
      throw new ApplicationException(ErrorCode.Unprocessable, `"${refused[0]}" cannot be an interview kind. ${CULTURE_FIT_REASON}`, {
        rule: 'culture_fit',
        rules: ['culture_fit'],
        kinds: refused,
      });
    }
    const kinds = [...new Set(input.map(normalizeKind).filter((k) => k !== ''))];
    if (!kinds.length)
      throw new ApplicationException(ErrorCode.ValidationFailed, 'kinds must contain at least one kind made of letters or digits', {
        fields: [{ field: 'kinds', errors: ['no usable kind'] }],
      });
    await this.ds.query(
      `INSERT INTO interview_settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [KINDS_SETTING, JSON.stringify(kinds), userId, this.clock.now()],
    );
    return kinds;
  }

  async listForApplication(applicationId: string) {
    const exists: unknown[] = await this.ds.query(`SELECT 1 FROM applications WHERE id = $1`, [applicationId]);
    if (!exists.length) throw notFound('Application');
    const sessions = await this.ds
      .getRepository(InterviewSession)
      .find({ where: { applicationId }, order: { startsAt: 'ASC', createdAt: 'ASC' } });
    return this.toDtos(this.ds.manager, sessions);
  }

  async toDtos(m: EntityManager, sessions: InterviewSession[]) {
    const people = new Map((await staffByIds(m, [...new Set(sessions.flatMap((s) => s.interviewerIds))])).map((p) => [p.id, p]));
    return sessions.map((s) =>
      sessionDto(
        s,
        s.interviewerIds.map((id) => people.get(id)).filter((p): p is StaffPerson => !!p),
        this.uid(s.id),
      ),
    );
  }

  uid(sessionId: string): string {
    return stableUid('interview', sessionId, new URL(publicUrl(this.env)).hostname);
  }

  /**
   * One message per recipient (each interviewer and the candidate) for one session, each with the
   * session's ICS (REQUEST or CANCEL, same UID, the session's current SEQUENCE) and the time
   * written in the recipient's own time zone. Queued in the caller's transaction.
   */
  async queueSessionMessages(m: EntityManager, x: SessionMessageInput): Promise<Array<string | null>> {
    const { session, app, opening, candidate, recruiter, interviewers } = x;
    const cancel = x.method === 'CANCEL';
    const names = interviewers.map((p) => p.name);
    const ics = buildInvite({
      uid: this.uid(session.id),
      sequence: session.sequence,
      method: x.method,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      summary: `${kindName(session.kind)} interview: ${candidate.name} (${opening.title})`,
      description: `${kindName(session.kind)} session for ${opening.title} with ${namesList([candidate.name, ...names])}.`,
      organizer: { name: recruiter.name, email: recruiter.email },
      attendees: [{ name: candidate.name, email: candidate.email }, ...interviewers.map((p) => ({ name: p.name, email: p.email }))],
      dtstamp: x.now,
    });
    const attachments = [{ filename: 'invite.ics', contentType: `text/calendar; method=${x.method}`, content: ics, method: x.method }];
    // The interviewers' connected CalDAV calendars get the event too (sent after commit, retried by the sweep).
    await this.calendars.queueWriteBack(m, {
      userIds: cancel ? [] : session.interviewerIds,
      sessionKind: 'interview',
      sessionId: session.id,
      cancel,
      event: {
        uid: this.uid(session.id),
        sequence: session.sequence,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        summary: `${kindName(session.kind)} interview: ${candidate.name} (${opening.title})`,
        description: `${kindName(session.kind)} session for ${opening.title} with ${namesList([candidate.name, ...names])}.`,
        dtstamp: x.now,
      },
    });
    const durationMinutes = Math.round((session.endsAt.getTime() - session.startsAt.getTime()) / 60_000);
    const sessionCtx = (tz: string, others: string[]) => ({
      kind: session.kind,
      kindName: kindName(session.kind),
      when: formatInZone(session.startsAt, tz, session.endsAt),
      durationMinutes,
      interviewers: namesList(names),
      coInterviewers: namesList(others),
      moved: x.moved ?? false,
    });
    const base = publicUrl(this.env);
    const key = (who: string) => `interview:${session.id}:${session.sequence}:${who}`;
    const inputs: QueueMessageInput[] = [
      {
        idempotencyKey: key('candidate'),
        template: cancel ? 'interview_cancelled_candidate' : 'interview_invitation_candidate',
        context: {
          ...candidateMessageContext(opening, candidate, app.stage, recruiter, base),
          session: sessionCtx(candidate.timezone, names),
          candidateMessage: x.candidateMessage ?? null,
          closed: x.closed ?? false,
        },
        to: { address: candidate.email, name: candidate.name },
        applicationId: app.id,
        candidateId: candidate.id,
        openingId: opening.id,
        attachments,
        actor: x.actor,
      },
      ...interviewers.map(
        (p): QueueMessageInput => ({
          idempotencyKey: key(p.id),
          template: cancel ? 'interview_cancelled' : 'interview_invitation',
          context: {
            person: { name: p.name.split(/\s+/)[0] },
            candidate: { name: candidate.name, firstName: candidate.name.split(/\s+/)[0] },
            opening: { title: opening.title },
            session: sessionCtx(
              p.timezone,
              names.filter((_, i) => interviewers[i].id !== p.id),
            ),
            applicationUrl: `${base}/dashboard/applications/${app.id}`,
            reason: x.reason ?? null,
          },
          to: { address: p.email, name: p.name },
          applicationId: app.id,
          recipientUserId: p.id,
          openingId: opening.id,
          attachments,
          actor: x.actor,
        }),
      ),
    ];
    const ids: Array<string | null> = [];
    for (const input of inputs) ids.push(await this.outbox.queue(m, input));
    return ids;
  }
}

export function sessionDto(s: InterviewSession, interviewers: StaffPerson[], uid: string) {
  return {
    id: s.id,
    applicationId: s.applicationId,
    kind: s.kind,
    kindName: kindName(s.kind),
    interviewerIds: s.interviewerIds,
    interviewers: interviewers.map((p) => ({ id: p.id, name: p.name, timezone: p.timezone })),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    status: s.status,
    sequence: s.sequence,
    icsUid: uid,
    createdAt: s.createdAt,
    cancelledAt: s.cancelledAt,
    cancelReason: s.cancelReason,
  };
}
