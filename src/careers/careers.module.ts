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

/** The public careers pages, the application form and its API twin. */
@Module({
  imports: [PipelineModule, IntegrationsModule],
  controllers: [CareersController, CareersPagesController],
  providers: [{ provide: CAREERS_CONFIG, useFactory: () => parseCareersConfig(process.env) }, CareersService, CareersView, ApplyUseCase, ResumeReader],
  exports: [CAREERS_CONFIG, CareersService],
})
export class CareersModule {}
