import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import pino from 'pino';
import { Env } from '../config/env.schema';
import { RequestContext } from '../context/request-context';

/** Paths pino removes from every log line: secrets and candidate personal data. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.secret',
  '*.email',
  '*.to',
  'password',
  'token',
  'email',
];

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const existing = (req as IncomingMessage & { id?: string }).id;
  if (existing) return existing;
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** Candidate link tokens sit in portal URLs; never log them. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/\/portal\/[^/?#]+/g, '/portal/[token]').replace(/([?&]t=)[^&#]+/g, '$1[token]');
}

/**
 * nestjs-pino's Logger and PinoLogger (Nest's logger, `new Logger(...)` in services) over pino.
 * nestjs-pino's own per-request middleware (pino-http: a child logger per request, its bindings
 * serialised at once even when the request line is not written, and a second AsyncLocalStorage
 * beside the request context) is not bound (`forRoutes: []`): the request line is written by
 * `requestLogging` below, and every line in a request carries the request id through the mixin
 * (issue 25, docs/performance.md).
 */
export function pinoParams(env: Env, name: string): Params {
  return {
    forRoutes: [],
    pinoHttp: { ...loggerOptions(env, name), genReqId: requestIdFor, autoLogging: { ignore: (req) => isIgnored(req.url) } },
  };
}

/** The options of every pino logger of a process: level, redaction, the request id mixin, the request/response serializers. */
export function loggerOptions(env: Pick<Env, 'LOG_LEVEL'>, name: string): pino.LoggerOptions {
  return {
    name,
    level: env.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Every line, in a request or a job, carries the request id of the current context.
    mixin: requestIdMixin,
    serializers: {
      req: (req) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  };
}

/** pino mixin: the request id of the current request context (see common/context), if any. */
export function requestIdMixin(): { requestId?: string } {
  const requestId = RequestContext.requestId;
  return requestId ? { requestId } : {};
}

const isIgnored = (url: string | undefined) => url === '/health' || url === '/metrics';

/**
 * The request line pino-http wrote, without its per-request child logger: when the response
 * finishes (or the connection closes first), `request completed` (or `request errored` with the
 * error for a 5xx) with the request ({ id, method, url without link tokens }), the status and the
 * response time, at pino-http's level (info), in the request's context (its request id). Nothing
 * is done per request when info is not logged (LOG_LEVEL=warn and above). /health and /metrics
 * are not logged.
 */
export function requestLogging(logger: pino.Logger) {
  return (req: IncomingMessage & { id?: unknown; originalUrl?: string }, res: ServerResponse, next: () => void): void => {
    if (!logger.isLevelEnabled('info') || isIgnored(req.url)) return next();
    const start = Date.now();
    const done = (err?: Error) => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      res.removeListener('error', done);
      const responseTime = Date.now() - start;
      const line = { req: { id: req.id, method: req.method, url: redactUrl(req.originalUrl ?? req.url) }, res, responseTime };
      if (err || res.statusCode >= 500)
        logger.info({ ...line, err: err ?? new Error(`failed with status code ${res.statusCode}`) }, 'request errored');
      else logger.info(line, 'request completed');
    };
    res.on('finish', done);
    res.on('close', done);
    res.on('error', done);
    next();
  };
}
