import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OnTxHook, TxHooks } from '../common/events/event-bus';
import '../pipeline/pipeline.events';
import { CancelInterview } from './cancel-interview.usecase';
import { InterviewSession } from './interview.entity';
import { staffByIds } from './interview-context';
import { OnboardingService } from './onboarding.service';

/**
 * Inside the transaction that closes an application: a hire makes the onboarding plan; a
 * rejection or withdrawal cancels the sessions still ahead (METHOD:CANCEL to everyone invited).
 */
@Injectable()
export class ApplicationClosedListener {
  constructor(
    private readonly onboarding: OnboardingService,
    private readonly cancel: CancelInterview,
  ) {}

  @OnTxHook('application.closed')
  async onClosed(m: EntityManager, ctx: TxHooks['application.closed']): Promise<Array<string | null> | void> {
    if (ctx.action === 'hire') {
      await this.onboarding.createForHire(m, ctx);
      return;
    }
    const upcoming = await m
      .getRepository(InterviewSession)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where(`s.application_id = :id AND s.status = 'scheduled' AND s.starts_at > :now`, { id: ctx.application.id, now: ctx.now })
      .orderBy('s.starts_at')
      .getMany();
    if (!upcoming.length) return;
    const [recruiter] = await staffByIds(m, [ctx.opening.recruiterId]);
    const locked = { app: ctx.application, opening: ctx.opening, candidate: ctx.candidate, recruiter };
    const reason = ctx.action === 'reject' ? 'The application was closed.' : 'The candidate withdrew.';
    const ids: Array<string | null> = [];
    for (const s of upcoming) ids.push(...(await this.cancel.cancelLocked(m, s, locked, { reason, closed: true }, ctx.actor, ctx.now)));
    return ids;
  }
}
