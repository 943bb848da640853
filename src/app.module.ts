import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { loadEnv } from './common/config/env.schema';
import { CoreModule } from './common/core.module';
import { ViewModule } from './web/view.module';
import { EventsModule } from './common/events/event-bus';
import { SweepModule } from './common/sweep/sweep.registry';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { pinoParams } from './common/logging/logging';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { IdentityModule } from './identity/identity.module';
import { HttpMetricsMiddleware } from './insights/http-metrics.middleware';
import { MetricsController } from './insights/metrics.controller';
import { MetricsService } from './insights/metrics.service';
import { DOMAIN_MODULES } from './domain-modules';
import { WebModule } from './web/web.module';
import { AdminPagesModule } from './admin/admin-pages.module';
import { InboxModule } from './inbox/inbox.module';

@Module({
  imports: [InboxModule],
  controllers: [HealthController, MetricsController],
  // HttpMetricsMiddleware runs in configureApp's request layer for every request (issue 25).
  providers: [HealthService, MetricsService, HttpMetricsMiddleware],
  exports: [MetricsService, HealthService, HttpMetricsMiddleware],
})
export class OperationsModule {}

/** The HTTP API and pages. */
@Module({})
export class AppModule {
  static forRoot(databaseUrl: string): DynamicModule {
    const env = loadEnv();
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(pinoParams(env, 'api')),
        CoreModule.forRoot({ databaseUrl, role: 'api' }),
        ViewModule,
        EventsModule,
        SweepModule,
        IdentityModule,
        OperationsModule,
        ...DOMAIN_MODULES,
        WebModule,
        AdminPagesModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
