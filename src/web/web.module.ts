import { Global, Module } from '@nestjs/common';
import { AuthPagesController } from './auth-pages.controller';
import { DashboardController } from './dashboard.controller';
import { AlertsModule } from '../alerts/alerts.module';
import { CandidatesModule } from '../candidates/candidates.module';
import { OpeningsModule } from '../openings/openings.module';
import { PipelineModule } from '../pipeline/pipeline.module';

@Global()
@Module({
  imports: [AlertsModule, CandidatesModule, OpeningsModule, PipelineModule],
  controllers: [AuthPagesController, DashboardController],
})
export class WebModule {}
