import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AssessmentsModule } from '../assessments/assessments.module';
import { CandidatesModule } from '../candidates/candidates.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { CommunicationsModule } from '../communications/communications.module';
import { InterviewsModule } from '../interviews/interviews.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { CalendarsModule } from './calendars.module';
import { InterviewOffersController, InterviewSlotsController, InterviewTimePageController } from './interview-offers.controller';
import { InterviewOffersService } from './interview-offers.service';
import { InterviewTimesPageController } from './interview-times-page.controller';
import { ReviewOffersController, ReviewOffersPageController } from './review-offers.controller';
import { SelfSchedulingController, SelfSchedulingPagesController } from './self-scheduling.controller';

/**
 * Self-scheduling: candidates choose, move or cancel their code-review time and choose their
 * interview loop's start from a link; staff see the offers and may book directly.
 */
@Module({
  imports: [
    AssessmentsModule,
    ReviewsModule,
    InterviewsModule,
    CalendarsModule,
    CommunicationsModule,
    AlertsModule,
    PipelineModule,
    CandidatesModule,
  ],
  controllers: [
    SelfSchedulingController,
    SelfSchedulingPagesController,
    ReviewOffersController,
    ReviewOffersPageController,
    InterviewOffersController,
    InterviewSlotsController,
    InterviewTimePageController,
    InterviewTimesPageController,
  ],
  providers: [InterviewOffersService],
})
export class SelfSchedulingModule {}
