import { Module } from '@nestjs/common';
import { IntegrationsModule } from '../integrations/integrations.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ApplyUseCase } from './apply.usecase';
import { CAREERS_CONFIG, parseCareersConfig } from './careers.config';
import { CareersController } from './careers.controller';
import { CareersPagesController } from './careers-pages.controller';
import { CareersService } from './careers.service';
import { CareersView } from './careers-view';
import { ResumeReader } from './resume-reader';
import { BulkApplicationsModule } from './bulk-applications.module';
import { CandidatesModule } from '../candidates/candidates.module';
import { CommunicationsModule } from '../communications/communications.module';
import { OpeningsModule } from '../openings/openings.module';
import { CandidatesPagesController } from './candidates-pages.controller';
import { ResumeDownloadController, ResumePagesController } from './resume-download.controller';
import { ResumesService } from './resumes.service';
import { ApplicationQuestionsService } from './application-questions.service';
import { CareersStaffController } from './careers-staff.controller';
import { PublishPagesController } from './publish-pages.controller';
import { PublishingService } from './publishing.service';
import { ReferralsService } from './referrals.service';

/** The public careers pages, the application form and its API twin. */
@Module({
  imports: [PipelineModule, BulkApplicationsModule, IntegrationsModule, CandidatesModule, CommunicationsModule, OpeningsModule],
  controllers: [
    CareersController,
    CareersPagesController,
    CandidatesPagesController,
    ResumeDownloadController,
    ResumePagesController,
    CareersStaffController,
    PublishPagesController,
  ],
  providers: [
    { provide: CAREERS_CONFIG, useFactory: () => parseCareersConfig(process.env) },
    CareersService,
    CareersView,
    ApplyUseCase,
    ResumeReader,
    ResumesService,
    ReferralsService,
    ApplicationQuestionsService,
    PublishingService,
  ],
  exports: [CAREERS_CONFIG, CareersService, ResumesService, ApplicationQuestionsService],
})
export class CareersModule {}
