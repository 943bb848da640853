import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarsModule } from '../calendars/calendars.module';
import { CommunicationsModule } from '../communications/communications.module';
import { ApplicationsService } from '../pipeline/applications.service';
import { PipelineModule } from '../pipeline/pipeline.module';
import { CancelInterview } from './cancel-interview.usecase';
import { InterviewSession, INTERVIEW_ENTITIES } from './interview.entity';
import { staffByIds } from './interview-context';
import { InterviewsController } from './interviews.controller';
import { InterviewsService } from './interviews.service';
import { MakeOffer } from './make-offer.usecase';
import { OnboardingService } from './onboarding.service';
import { ScheduleLoop } from './schedule-loop.usecase';
import './templates';

/**
 * Interview loops (with ICS invitations), offers and onboarding plans. Reacts to the pipeline
 * through ApplicationsService.onTerminal: a hire makes the onboarding plan; a rejection or
 * withdrawal cancels the sessions still ahead (METHOD:CANCEL to everyone invited).
 */
@Module({
  imports: [TypeOrmModule.forFeature(INTERVIEW_ENTITIES), CommunicationsModule, PipelineModule, CalendarsModule],
  controllers: [InterviewsController],
  providers: [InterviewsService, ScheduleLoop, CancelInterview, MakeOffer, OnboardingService],
  exports: [InterviewsService, OnboardingService, ScheduleLoop, MakeOffer],
})
export class InterviewsModule implements OnModuleInit {
  constructor(
    private readonly apps: ApplicationsService,
    private readonly onboarding: OnboardingService,
    private readonly cancel: CancelInterview,
  ) {}

  onModuleInit(): void {
    this.apps.onTerminal(async (m, ctx) => {
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
    });
  }
}
