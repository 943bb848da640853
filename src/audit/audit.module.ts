import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessDeniedRecorder } from './access-denied.middleware';
import { AuditController } from './audit.controller';
import { AuditEntry } from './audit.entity';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';

/**
 * The staff audit log. The interceptor is global (APP_INTERCEPTOR) and acts on HTTP requests
 * only, so in the worker and CLI (no HTTP) this module only offers AuditService. Refused access
 * (403 to a signed-in staff member) is recorded by AccessDeniedRecorder on response finish.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  controllers: [AuditController],
  providers: [AuditService, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditService],
})
export class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AccessDeniedRecorder).forRoutes('{*path}');
  }
}
