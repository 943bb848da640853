import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommunicationsModule } from '../communications/communications.module';
import { CandidateSurvey } from './survey.entity';
import { SurveyPagesController } from './survey-pages.controller';
import { SurveyController } from './survey.controller';
import { SurveyService } from './survey.service';

/** The candidate experience survey (issue 22): sent when an application ends, answered in the portal, reported in insights. */
@Module({
  imports: [TypeOrmModule.forFeature([CandidateSurvey]), CommunicationsModule],
  controllers: [SurveyController, SurveyPagesController],
  providers: [SurveyService],
  exports: [SurveyService],
})
export class SurveyModule {}
