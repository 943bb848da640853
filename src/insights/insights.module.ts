import { Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertsModule } from '../alerts/alerts.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { SurveyModule } from '../survey/survey.module';
import { BoardPagesController } from './board-pages.controller';
import { BoardService } from './board.service';
import { registerBusinessMetrics } from './business-metrics';
import { InsightsController } from './insights.controller';
import { InsightsService } from './insights.service';
import { MetricsService } from './metrics.service';

/**
 * Funnel and flow insights (SQL), the hiring manager's board page, and the business gauges in
 * /metrics. MetricsService lives in the API's OperationsModule; the worker has none, so the
 * gauges are registered only where it exists.
 */
@Module({
  imports: [AlertsModule, PipelineModule, SurveyModule],
  controllers: [InsightsController, BoardPagesController],
  providers: [InsightsService, BoardService],
  exports: [InsightsService, BoardService],
})
export class InsightsModule implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    let metrics: MetricsService | undefined;
    try {
      metrics = this.moduleRef.get(MetricsService, { strict: false });
    } catch {
      return; // worker / cli: no /metrics endpoint
    }
    if (metrics) registerBusinessMetrics(metrics, this.ds);
  }
}
