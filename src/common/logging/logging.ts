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

export function pinoParams(env: Env, name: string): Params {
  return {
    pinoHttp: {
      name,
      level: env.LOG_LEVEL,
      genReqId: requestIdFor,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Every line, in a request or a job, carries the request id of the current context.
      mixin: requestIdMixin,
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    },
  };
}

/** pino mixin: the request id of the current request context (see common/context), if any. */
export function requestIdMixin(): { requestId?: string } {
  const requestId = RequestContext.requestId;
  return requestId ? { requestId } : {};
}

/** A plain pino logger for processes and code outside a request (worker, cli, jobs). */
export function baseLogger(env: Pick<Env, 'LOG_LEVEL'>, name: string): pino.Logger {
  return pino({ name, level: env.LOG_LEVEL, mixin: requestIdMixin, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
