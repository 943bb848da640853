import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { SelfSchedulingController, SelfSchedulingPagesController } from './self-scheduling.controller';

/** Candidates choose or move their code-review time from their portal link. */
@Module({
  imports: [AssessmentsModule, ReviewsModule],
  controllers: [SelfSchedulingController, SelfSchedulingPagesController],
})
export class SelfSchedulingModule {}
