import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { ReviewOffersController, ReviewOffersPageController } from './review-offers.controller';
import { SelfSchedulingController, SelfSchedulingPagesController } from './self-scheduling.controller';

/** Candidates choose, move or cancel their code-review time from a link; staff see the offers and may book directly. */
@Module({
  imports: [AssessmentsModule, ReviewsModule],
  controllers: [SelfSchedulingController, SelfSchedulingPagesController, ReviewOffersController, ReviewOffersPageController],
})
export class SelfSchedulingModule {}
