import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject, Logger, Optional } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { Request, Response } from 'express';
import { QueryFailedError, EntityNotFoundError } from 'typeorm';
import { ApplicationException } from './application.exception';
import { ERROR_PAGE, ErrorPage } from './error-page';

const API_PATHS = /^\/(api|health|metrics|portal-api)(\/|$)/;

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08006',
  '08001',
  '08003',
]);

export function isUnavailableError(e: unknown): boolean {
  const err = e as { code?: string; message?: string; driverError?: { code?: string } };
  const code = err?.driverError?.code ?? err?.code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  const msg = err?.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Connection is closed|the database system is (shutting down|starting up)/i.test(
    msg,
  );
}

/** One JSON error shape everywhere: {statusCode, error, message, requestId, ...details}. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');
  constructor(@Optional() @Inject(ERROR_PAGE) private readonly page?: ErrorPage) {}

  /** Pages (outside /api) answer in HTML to browsers; the API always answers JSON. */
  private wantsHtml(req: Request): boolean {
    return !API_PATHS.test(req.path) && !!req.accepts(['json', 'html']) && req.accepts(['json', 'html']) === 'html';
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const requestId = String(req.id ?? res.getHeader('x-request-id') ?? '');
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let message: string | string[] = 'Internal server error';
    let extra: Record<string, unknown> = {};

    if (exception instanceof ApplicationException) {
      status = exception.status;
      message = exception.message;
      extra = { code: exception.code, ...exception.details };
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'string') message = body;
      else {
        const b = body as Record<string, unknown>;
        message = (b.message as string) ?? exception.message;
        extra = Object.fromEntries(Object.entries(b).filter(([k]) => !['message', 'statusCode', 'error'].includes(k)));
      }
    } else if (exception instanceof EntityNotFoundError) {
      status = HttpStatus.NOT_FOUND;
      message = 'Not found';
    } else if (isUnavailableError(exception)) {
      status = HttpStatus.SERVICE_UNAVAILABLE;
      message = 'A required service is unavailable; retry shortly';
    } else if (exception instanceof QueryFailedError && (exception.driverError as { code?: string } | undefined)?.code === '22P02') {
      status = HttpStatus.BAD_REQUEST;
      message = 'Malformed identifier or value';
    }

    if (status >= 500) {
      this.logger.error({ err: exception, requestId, path: req.originalUrl }, `request failed: ${(exception as Error)?.message}`);
    }
    if (res.headersSent) return;
    // For listeners of the response (the audit log records refused access with its reason).
    res.locals.errorMessage = Array.isArray(message) ? message.join('; ') : String(message);
    if (this.page && this.wantsHtml(req)) {
      if (status === 401) return res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      const heading =
        status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : status >= 500 ? 'Something went wrong' : 'Request refused';
      const page = {
        status,
        heading,
        message: Array.isArray(message) ? message.join('; ') : message,
        hint: status >= 500 ? `Error id: ${requestId}` : undefined,
      };
      // Unavailable database: no look-up of the signed-in user, answer at once.
      void this.page.render(req, page, status !== HttpStatus.SERVICE_UNAVAILABLE).then(
        (html) => {
          if (!res.headersSent) res.status(status).type('html').send(html);
        },
        () => {
          if (!res.headersSent) res.status(status).type('text').send(page.message);
        },
      );
      return;
    }
    res.status(status).json({
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message,
      requestId,
      ...extra,
    });
  }
}
