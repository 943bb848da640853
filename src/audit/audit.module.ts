import { Module, RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessDeniedRecorder } from './access-denied.middleware';
import { AuditController } from './audit.controller';
import { AuditEntry } from './audit.entity';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';
import { interceptRoutes } from '../common/http/route-interceptors';

/** Methods that never write: their handlers do not carry the audit interceptor. */
const READS = new Set([RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS]);

/**
 * The staff audit log. The interceptor acts on HTTP requests only, so in the worker and CLI (no
 * HTTP) this module only offers AuditService. It is attached at start-up to every handler of a
 * method other than GET/HEAD/OPTIONS (POST, PUT, PATCH, DELETE, @All), in every module: the same
 * requests a global APP_INTERCEPTOR saw (it records writes only), while reads skip Nest's
 * interceptor pipeline (issue 25). Refused access (403 to a signed-in staff member) is recorded by
 * AccessDeniedRecorder on response finish; configureApp runs it in its request layer for every
 * request (one router layer fewer than a Nest middleware bound for every path, issue 25).
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  controllers: [AuditController],
  providers: [
    AuditService,
    AccessDeniedRecorder,
    AuditInterceptor,
    {
      provide: 'AUDIT_ON_WRITE_ROUTES',
      inject: [ModulesContainer, AuditInterceptor],
      useFactory: (modules: ModulesContainer, interceptor: AuditInterceptor) =>
        interceptRoutes(modules, interceptor, (r) => !READS.has(r.method)).length,
    },
  ],
  exports: [AuditService, AccessDeniedRecorder],
})
export class AuditModule {}
