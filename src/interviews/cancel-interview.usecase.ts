import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { conflict, notFound } from '../common/errors/application.exception';
import { OutboxService } from '../communications/outbox.service';
import { Actor, EventType } from '../timeline/timeline.entity';
import { recordEvent } from '../timeline/timeline.repository';
import { InterviewSession } from './interview.entity';
import { LockedApplication, lockApplication, staffByIds } from './interview-context';
import { InterviewsService } from './interviews.service';
import { CalendarsService } from '../calendars/calendars.service';

/** Timeline code of a cancelled session (not in the pipeline's EventType enum, which this module does not own). */
export const INTERVIEW_CANCELLED = EventType.InterviewCancelled;

/**
 * Cancel a scheduled session: status cancelled, SEQUENCE + 1, an interview.cancelled event, and a
 * METHOD:CANCEL (same UID) to every interviewer and the candidate, in one transaction.
 */
@Injectable()
export class CancelInterview {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly interviews: InterviewsService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly calendars: CalendarsService,
  ) {}

  async execute(sessionId: string, opts: { reason?: string; candidateMessage?: string; sequence?: number }, actor: Actor) {
    const found = await this.ds.getRepository(InterviewSession).findOne({ where: { id: sessionId } });
    if (!found) throw notFound('Interview');
    const { dto, messageIds } = await this.ds.transaction(async (m) => {
      const ctx = await lockApplication(m, found.applicationId);
      const session = await m.findOneOrFail(InterviewSession, { where: { id: sessionId } });
      if (session.status !== 'scheduled') throw conflict(`The interview is already ${session.status}`, { status: session.status });
      if (opts.sequence !== undefined && opts.sequence !== session.sequence)
        throw conflict('The interview was changed meanwhile (the candidate may have moved it); look at its new time before cancelling', {
          sequence: session.sequence,
        });
      const messageIds = await this.cancelLocked(m, session, ctx, opts, actor, this.clock.now());
      return { dto: (await this.interviews.toDtos(m, [session]))[0], messageIds };
    });
    await this.outbox.dispatch(messageIds);
    await this.calendars.flushWriteBacks([this.interviews.uid(sessionId)]).catch(() => 0);
    return dto;
  }

  /** With the application row already locked by the caller's transaction. */
  async cancelLocked(
    m: EntityManager,
    session: InterviewSession,
    ctx: LockedApplication,
    opts: { reason?: string | null; candidateMessage?: string | null; closed?: boolean },
    actor: Actor,
    now: Date,
  ): Promise<Array<string | null>> {
    session.status = 'cancelled';
    session.sequence += 1;
    session.cancelledAt = now;
    session.cancelledBy = actor.kind === 'user' ? (actor.id ?? null) : null;
    session.cancelReason = opts.reason ?? null;
    await m.update(
      InterviewSession,
      { id: session.id },
      {
        status: 'cancelled',
        sequence: session.sequence,
        cancelledAt: now,
        cancelledBy: session.cancelledBy,
        cancelReason: session.cancelReason,
        updatedAt: now,
      },
    );
    await recordEvent(m, session.applicationId, INTERVIEW_CANCELLED, actor, now, {
      sessionId: session.id,
      kind: session.kind,
      sequence: session.sequence,
      reason: session.cancelReason,
    });
    return this.interviews.queueSessionMessages(m, {
      session,
      method: 'CANCEL',
      app: ctx.app,
      opening: ctx.opening,
      candidate: ctx.candidate,
      recruiter: ctx.recruiter,
      actor,
      now,
      interviewers: await staffByIds(m, session.interviewerIds),
      reason: opts.reason,
      candidateMessage: opts.candidateMessage,
      closed: opts.closed ?? false,
    });
  }
}
