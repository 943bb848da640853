import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarsModule } from '../calendars/calendars.module';
import { CommunicationsModule } from '../communications/communications.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { CancelInterview } from './cancel-interview.usecase';
import { INTERVIEW_ENTITIES } from './interview.entity';
import { ApplicationClosedListener } from './application-closed.listener';
import { InterviewsController } from './interviews.controller';
import { InterviewsService } from './interviews.service';
import { MakeOffer } from './make-offer.usecase';
import { OnboardingService } from './onboarding.service';
import { ScheduleLoop } from './schedule-loop.usecase';
import './templates';

/**
 * Interview loops (with ICS invitations), offers and onboarding plans. Reacts to the pipeline's
 * `application.closed` hook (ApplicationClosedListener): a hire makes the onboarding plan; a
 * rejection or withdrawal cancels the sessions still ahead (METHOD:CANCEL to everyone invited).
 */
@Module({
  imports: [TypeOrmModule.forFeature(INTERVIEW_ENTITIES), CommunicationsModule, PipelineModule, CalendarsModule],
  controllers: [InterviewsController],
  providers: [InterviewsService, ScheduleLoop, CancelInterview, MakeOffer, OnboardingService, ApplicationClosedListener],
  exports: [InterviewsService, OnboardingService, ScheduleLoop, MakeOffer, CancelInterview],
})
export class InterviewsModule {}
