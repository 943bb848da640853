import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertsModule } from '../alerts/alerts.module';
import { AssessmentsModule } from '../assessments/assessments.module';
import { CalendarsModule } from '../calendars/calendars.module';
import { CommunicationsModule } from '../communications/communications.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { BusyBlock, ReviewSession } from './review.entity';
import { ReviewPageController } from './review-page.controller';
import { BusyBlocksController, ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ReviewSession, BusyBlock]),
    CommunicationsModule,
    AlertsModule,
    PipelineModule,
    AssessmentsModule,
    CalendarsModule,
  ],
  controllers: [ReviewsController, BusyBlocksController, ReviewPageController],
  providers: [ReviewsService],
  exports: [ReviewsService],
})
export class ReviewsModule {}
