import { Global, Injectable, Module, RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertsModule } from '../alerts/alerts.module';
import { CommunicationsModule } from '../communications/communications.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { PACKET_ANONYMITY, PacketAnonymity } from '../reviews/packet-anonymity';
import { DECISION_PAGES, DecisionLocalsInterceptor } from './decision-locals.interceptor';
import { interceptRoutes } from '../common/http/route-interceptors';
import { FeedbackSlaService } from './feedback-sla.service';
import { SCORECARD_ENTITIES } from './scorecard.entity';
import { ScorecardPagesController } from './scorecard-pages.controller';
import { ScorecardsController } from './scorecards.controller';
import { ScorecardsService } from './scorecards.service';
import { templateOf } from './decision';

/** The scorecards' answer to the reviews module's question: anonymous review until the reviewer filed their scorecard. */
@Injectable()
export class ScorecardPacketAnonymity implements PacketAnonymity {
  constructor(private readonly scorecards: ScorecardsService) {}

  async isAnonymous(review: { id: string; reviewerId: string }, openingId: string): Promise<boolean> {
    const t = await templateOf(this.scorecards.manager, openingId);
    return t.anonymousReview && !(await this.scorecards.reviewScorecardFiled(review.id, review.reviewerId));
  }
}

/**
 * Scorecards and the decision: per-opening competencies and decision rule, filing by the people
 * on each interview and code review, no anchoring, the feedback SLA sweep, the debrief, the
 * anonymous review packet (it provides the reviews module's PACKET_ANONYMITY; the module is global for that). The offer gate itself is
 * in the offer use case (src/interviews/make-offer.usecase.ts, via ./decision.ts).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(SCORECARD_ENTITIES), CommunicationsModule, AlertsModule, ReviewsModule],
  controllers: [ScorecardsController, ScorecardPagesController],
  providers: [
    ScorecardsService,
    FeedbackSlaService,
    DecisionLocalsInterceptor,
    // Only the pages that show the decision carry the interceptor (not a global one: every other
    // request would pay Nest's interceptor pipeline for nothing, issue 25).
    {
      provide: 'DECISION_LOCALS_ON_PAGES',
      inject: [ModulesContainer, DecisionLocalsInterceptor],
      useFactory: (modules: ModulesContainer, interceptor: DecisionLocalsInterceptor) =>
        interceptRoutes(modules, interceptor, (r) => r.method === RequestMethod.GET && r.paths.some((p) => DECISION_PAGES.has(p))).length,
    },
    { provide: PACKET_ANONYMITY, useClass: ScorecardPacketAnonymity },
  ],
  exports: [ScorecardsService, PACKET_ANONYMITY],
})
export class ScorecardsModule {}
