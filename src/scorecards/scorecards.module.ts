import { Module, OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertsModule } from '../alerts/alerts.module';
import { CommunicationsModule } from '../communications/communications.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { ReviewsService } from '../reviews/reviews.service';
import { DecisionLocalsInterceptor } from './decision-locals.interceptor';
import { FeedbackSlaService } from './feedback-sla.service';
import { SCORECARD_ENTITIES } from './scorecard.entity';
import { ScorecardPagesController } from './scorecard-pages.controller';
import { ScorecardsController } from './scorecards.controller';
import { ScorecardsService } from './scorecards.service';
import { templateOf } from './decision';

/**
 * Scorecards and the decision: per-opening competencies and decision rule, filing by the people
 * on each interview and code review, no anchoring, the feedback SLA sweep, the debrief, the
 * anonymous review packet (through ReviewsService.usePacketAnonymity). The offer gate itself is
 * in the offer use case (src/interviews/make-offer.usecase.ts, via ./decision.ts).
 */
@Module({
  imports: [TypeOrmModule.forFeature(SCORECARD_ENTITIES), CommunicationsModule, AlertsModule, ReviewsModule],
  controllers: [ScorecardsController, ScorecardPagesController],
  providers: [ScorecardsService, FeedbackSlaService, { provide: APP_INTERCEPTOR, useClass: DecisionLocalsInterceptor }],
  exports: [ScorecardsService],
})
export class ScorecardsModule implements OnModuleInit {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly scorecards: ScorecardsService,
  ) {}

  onModuleInit(): void {
    this.reviews.usePacketAnonymity(async (review, openingId) => {
      const t = await templateOf(this.scorecards.manager, openingId);
      return t.anonymousReview && !(await this.scorecards.reviewScorecardFiled(review.id, review.reviewerId));
    });
  }
}
