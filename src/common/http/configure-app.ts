import { INestApplication, StreamableFile } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import express_, { NextFunction, Request, Response } from 'express';
import path from 'node:path';
import { projectRoot } from '../fs/project-root';
import { Logger } from 'nestjs-pino';
import { buildValidationPipe } from './validation';
import pino from 'pino';
import { loggerOptions, requestIdFor, requestLogging } from '../logging/logging';
import { RequestContext } from '../context/request-context';
import { loadEnv } from '../config/env.schema';
import { HttpMetricsMiddleware } from '../../insights/http-metrics.middleware';
import { AccessDeniedRecorder } from '../../audit/access-denied.middleware';

/** Everything main.ts and the e2e tests both need, so tests exercise the real HTTP stack. */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  // TRUST_PROXY: whose X-Forwarded-For / X-Forwarded-Proto count (client address for the sign-in
  // limits and the audit log; req.secure for the session cookie's `secure` flag).
  express.set('trust proxy', loadEnv().TRUST_PROXY);
  express.disable('x-powered-by');
  // helmet's headers depend on nothing in the request (no nonces), so they are computed once and
  // set in the same step as the request id: one middleware instead of helmet's chain of thirteen
  // on every request (issue 25, docs/performance.md).
  const securityHeaders = fixedHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  // The API's answers (JSON, and attachments, never a page) carry the reduced set: the headers
  // that matter for them; pages (everything else, /api/docs included) keep all of helmet's.
  const apiSecurityHeaders = apiHeaders(securityHeaders);
  // Three router layers where there were nine (issue 25: Express steps through every layer of
  // every request): (1) the security headers, the request id and the cookies; (2) the static
  // files; (3) the body parsers, the request context, the request line, the metrics timer and the
  // access-denied recorder, in that order.
  // The request id is set before the body parsers, so a body they refuse still gets one.
  const parseCookies = cookieParser();
  express.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    for (const [name, value] of isApiPath(req.url) ? apiSecurityHeaders : securityHeaders) res.setHeader(name, value);
    req.id = requestIdFor(req, res);
    parseCookies(req, res, next);
  });
  express.use('/static', express_.static(path.join(projectRoot(), 'public'), { maxAge: '1h', index: false }));
  const parseJson = express_.json({ limit: '1mb' });
  const parseForm = express_.urlencoded({ limit: '1mb', extended: false });
  // The request line (`request completed`, with the request id), as pino-http wrote it; nothing per
  // request when info lines are not logged (see logging.ts).
  const logRequest = requestLogging(pino(loggerOptions(loadEnv(), 'api')));
  // The request duration histogram (/metrics) and the audit row of a refused access (403), both
  // taken when the response finishes; they were Nest middleware bound for every path, which cost
  // two more router layers per request.
  const metrics = app.get(HttpMetricsMiddleware, { strict: false });
  const accessDenied = app.get(AccessDeniedRecorder, { strict: false });
  // The request context (request id, later the actor) for everything after the body parsers: the
  // guards, handlers, the request line and the jobs they enqueue. Opened after the parsers, because
  // a body stream's callbacks do not keep the caller's async context. A parser's refusal goes to
  // the error handlers as before (next(err)), outside the context.
  // The metrics timer and the 403 recorder share one `finish` listener (issue 25: one listener and
  // closure per request fewer), in the order they ran as two.
  const inContext = (req: Request & { id?: string }, res: Response, next: NextFunction) =>
    RequestContext.run({ requestId: String(req.id) }, () =>
      logRequest(req, res, () => {
        const timer = metrics.start();
        res.on('finish', () => {
          metrics.finished(req, res, timer);
          accessDenied.finished(req, res);
        });
        next();
      }),
    );
  express.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    // A request without a body (a GET, most of all): the two parsers would only set `req.body` to
    // undefined; done here without calling them (body-parser's own test, type-is's hasBody).
    if (req.headers['transfer-encoding'] === undefined && isNaN(req.headers['content-length'] as unknown as number)) {
      const bodyless = req as { body?: unknown };
      if (!('body' in bodyless)) bodyless.body = undefined;
      return inContext(req, res, next);
    }
    parseJson(req, res, (jsonErr?: unknown) => {
      if (jsonErr) return next(jsonErr);
      parseForm(req, res, (formErr?: unknown) => {
        if (formErr) return next(formErr);
        inContext(req, res, next);
      });
    });
  });
  app.useGlobalPipes(buildValidationPipe());
  writeApiJsonDirectly(app);
  // No enableShutdownHooks(): main.ts closes the app on SIGTERM/SIGINT itself (a second close
  // from Nest's own signal handler ended the database pool twice).

  const config = new DocumentBuilder()
    .setTitle('Hiring platform API')
    .setDescription(
      'Openings, candidates, the pipeline, screening, take-home grading, reviews and insights. Staff calls carry Authorization: Bearer <token> from POST /api/v1/auth/login.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/**
 * The headers a middleware sets when they do not depend on the request: it is run once against a
 * recording response. Throws if it does anything else (reads the request, answers, defers), so a
 * future option that made them request-dependent fails at start-up rather than silently.
 */
export function fixedHeaders(middleware: (req: never, res: never, next: (err?: unknown) => void) => void): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  let done = false;
  const req = new Proxy(
    {},
    {
      get: (_t, key) => {
        throw new Error(`fixedHeaders: the middleware reads the request (${String(key)})`);
      },
    },
  );
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  middleware(req as never, res as never, (err) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('fixedHeaders: the middleware did not finish synchronously');
  return headers;
}

/**
 * Under /api/ (except the Swagger UI page at /api/docs): the JSON API and its attachments, whose
 * answers are never rendered as a page.
 */
export function isApiPath(url: string): boolean {
  return url.startsWith('/api/') && !url.startsWith('/api/docs');
}

/**
 * The security headers of an answer under /api/ (issue 25, the lead's decision): no sniffing, a
 * CSP that loads nothing and cannot be framed, no referrer, and HSTS as helmet sends it on pages.
 * CORP same-origin (a résumé or an export must not be embeddable by another site). helmet's
 * page-only headers (COOP, Origin-Agent-Cluster, X-DNS-Prefetch-Control,
 * X-Download-Options, X-Frame-Options (frame-ancestors covers it), X-Permitted-Cross-Domain-Policies,
 * X-XSS-Protection) are left out: they are about documents, and a JSON answer is not one.
 */
export function apiHeaders(pageHeaders: Array<[string, string]>): Array<[string, string]> {
  const hsts = pageHeaders.filter(([name]) => name.toLowerCase() === 'strict-transport-security');
  return [
    ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
    // Kept for the attachments under /api/ (résumés, exports): another site cannot embed them.
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['Referrer-Policy', 'no-referrer'],
    ...hsts,
    ['X-Content-Type-Options', 'nosniff'],
  ];
}

/**
 * A handler's object answered under /api/ is written directly: `JSON.stringify`, the content type
 * and length, one `end`, where Express's `res.json` -> `res.send` also looked the type up, hashed
 * the body for a weak ETag and checked freshness (no test, page or client of this app relies on a
 * conditional GET of the API answering 304). The same bytes and status; no ETag. Anything else (pages, no body, files, a content type the handler set,
 * errors) goes through Express as before.
 */
export function writeApiJsonDirectly(app: INestApplication): void {
  const adapter = app.getHttpAdapter() as unknown as { reply(res: Response, body: unknown, statusCode?: number): unknown };
  const expressReply = adapter.reply.bind(adapter);
  adapter.reply = (res: Response, body: unknown, statusCode?: number) => {
    if (
      body === null ||
      typeof body !== 'object' ||
      body instanceof StreamableFile ||
      body instanceof Error ||
      res.getHeader('content-type') !== undefined ||
      !isApiPath(res.req.originalUrl ?? res.req.url)
    )
      return expressReply(res, body, statusCode);
    const status = statusCode ?? res.statusCode;
    const json = JSON.stringify(body);
    if (status === 204 || status === 304 || json === undefined) return expressReply(res, body, statusCode);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(json));
    return res.end(json);
  };
}
