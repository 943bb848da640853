import { Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { Principal } from '../identity/decorators';
import { AuditService } from './audit.service';

type AuditedRequest = Request & { user?: Principal; audited?: boolean; id?: unknown };

/**
 * Records every 403 answered to a signed-in staff member that the AuditInterceptor did not record:
 * the guard's refusals (a role the route does not allow, a missing CSRF token), which happen
 * before any interceptor, and 403s on reads. Anonymous 401s are not rows (anyone could fill the
 * table with them); they are counted by status in /metrics and logged with the request id.
 */
@Injectable()
export class AccessDeniedRecorder {
  constructor(private readonly audit: AuditService) {}

  /** On the response's `finish` (configureApp calls it from its one listener per request). */
  finished(req: AuditedRequest, res: Response): void {
    if (res.statusCode !== 403 || !req.user || req.audited) return;
    void this.audit.denied(req as AuditedRequest & { user: Principal }, res.statusCode, res.locals.errorMessage as string | undefined);
  }
}
