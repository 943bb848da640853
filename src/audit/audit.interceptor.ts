import { CallHandler, ExecutionContext, HttpException, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Request, Response } from 'express';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { ApplicationException } from '../common/errors/application.exception';
import { Principal } from '../identity/decorators';
import { AUDIT_CHANGES_REPORTED, AUDIT_NO_CHANGES, offerAuditInStatement, reportedAuditChanges } from './audit.decorators';
import { auditEntryCte, AuditService } from './audit.service';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function statusOf(e: unknown): number {
  if (e instanceof ApplicationException) return e.status;
  if (e instanceof HttpException) return e.getStatus();
  return HttpStatus.INTERNAL_SERVER_ERROR;
}

/**
 * Records every staff write (POST/PUT/PATCH/DELETE by a signed-in staff principal, API or page)
 * after the handler: who, when, what (route pattern, entity, redacted body, changed fields),
 * the outcome and status, the request id and the token kind. Refusals raised by the handler or
 * its pipes (validation, 404, 409, 422) are recorded too; the guard's 403s (and 403s on reads)
 * are recorded by AccessDeniedRecorder. Candidates (portal, privacy page) are not staff and are not recorded here.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    if (!WRITES.has(req.method) || !req.user) return next.handle();
    (req as Request & { audited?: boolean }).audited = true;
    const res = ctx.switchToHttp().getResponse<Response>();
    const declared: number | undefined = Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler());
    const withoutChanges = Reflect.getMetadata(AUDIT_NO_CHANGES, ctx.getHandler()) === true;
    const reported = Reflect.getMetadata(AUDIT_CHANGES_REPORTED, ctx.getHandler()) === true;
    return from(this.audit.begin(req as Request & { user: Principal }, { snapshot: !withoutChanges && !reported })).pipe(
      mergeMap((pending) => {
        // One audit row per request, written before the response leaves: a handler that answers
        // by itself (@Res: redirects of page forms) would otherwise reply before its row exists.
        let written: Promise<void> | null = null;
        const finish = (r: Parameters<AuditService['finish']>[1]) =>
          (written ??= this.audit.finish(
            pending,
            reported && r.outcome === 'succeeded' ? { ...r, changes: reportedAuditChanges(req) } : r,
          ));
        // Offered where the entry needs nothing the handler's statement cannot give: reported
        // changes, or no before-snapshot at all (a create).
        if (reported || !pending.before)
          offerAuditInStatement(req, {
            cte: (p, gate, changes, responseId) =>
              auditEntryCte(
                p,
                pending,
                { statusCode: declared ?? (req.method === 'POST' ? 201 : 200), value: { id: responseId }, changes },
                'audit_entry',
                gate,
              ),
            committed: () => {
              written ??= Promise.resolve();
            },
          });
        const end = res.end;
        res.end = function deferredEnd(this: Response, ...args: unknown[]) {
          res.end = end;
          const statusCode = res.statusCode;
          void finish({ outcome: statusCode < 400 ? 'succeeded' : 'failed', statusCode }).then(() =>
            (end as (...a: unknown[]) => unknown).apply(res, args),
          );
          return res;
        } as Response['end'];
        return next.handle().pipe(
          mergeMap(async (value) => {
            const statusCode = declared ?? (req.method === 'POST' ? 201 : 200);
            await finish({ outcome: statusCode < 400 ? 'succeeded' : 'failed', statusCode, value });
            return value;
          }),
          catchError((e: unknown) =>
            from(finish({ outcome: 'failed', statusCode: statusOf(e), error: (e as Error)?.message })).pipe(
              mergeMap(() => throwError(() => e)),
            ),
          ),
        );
      }),
    );
  }
}
