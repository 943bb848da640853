import { Global, Module } from '@nestjs/common';
import { AuthPagesController } from './auth-pages.controller';
import { DashboardController } from './dashboard.controller';
import { AlertsModule } from '../alerts/alerts.module';
import { AssessmentsModule } from '../assessments/assessments.module';
import { CandidatesModule } from '../candidates/candidates.module';
import { CareersModule } from '../careers/careers.module';
import { CommunicationsModule } from '../communications/communications.module';
import { InterviewsModule } from '../interviews/interviews.module';
import { OpeningsModule } from '../openings/openings.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { ScreeningModule } from '../screening/screening.module';
import { ApplicationPagesController } from './application-pages.controller';
import { CandidatePagesController } from './candidate-pages.controller';
import { OpeningPagesController } from './opening-pages.controller';
import { ERROR_PAGE } from '../common/errors/error-page';
import { ErrorPageService } from './error-page.service';
import { OpeningSettingsPagesController } from './opening-settings-pages.controller';
import { IntegrationsModule } from '../integrations/integrations.module';
import { ScorecardsModule } from '../scorecards/scorecards.module';

@Global()
@Module({
  imports: [
    AlertsModule,
    CandidatesModule,
    OpeningsModule,
    PipelineModule,
    CommunicationsModule,
    AssessmentsModule,
    InterviewsModule,
    ReviewsModule,
    ScreeningModule,
    IntegrationsModule,
    ScorecardsModule,
    CareersModule,
  ],
  controllers: [
    AuthPagesController,
    DashboardController,
    OpeningPagesController,
    CandidatePagesController,
    ApplicationPagesController,
    OpeningSettingsPagesController,
  ],
  providers: [{ provide: ERROR_PAGE, useClass: ErrorPageService }],
  exports: [ERROR_PAGE],
})
export class WebModule {}
