import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CandidatesModule } from '../candidates/candidates.module';
import { OpeningsModule } from '../openings/openings.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { CompleteScreening } from './complete-screening.usecase';
import { ScreeningFormVersion } from './screening-form.entity';
import { ScreeningPagesController } from './screening-pages.controller';
import { ScreeningSession } from './screening-session.entity';
import { ScreeningController } from './screening.controller';
import { ScreeningService } from './screening.service';

/** Recruiter screening: versioned question banks per opening, scored calls, the call page. */
@Module({
  imports: [TypeOrmModule.forFeature([ScreeningFormVersion, ScreeningSession]), OpeningsModule, PipelineModule, CandidatesModule],
  controllers: [ScreeningController, ScreeningPagesController],
  providers: [ScreeningService, CompleteScreening],
  exports: [ScreeningService],
})
export class ScreeningModule {}
