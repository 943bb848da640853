import http from 'node:http';
import https from 'node:https';
import { isPrivateAddress, parseTargetUrl } from '../integrations/domain/address-policy';
import { guardedLookup, TargetRefused } from '../integrations/http-post';

/** A calendar server that cannot be used: the message is shown to the calendar's owner and the recruiter. */
export class CalendarAccessError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface CalendarRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface CalendarResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  url: string;
}

export interface CalendarHttpOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
  /** Redirects followed (each target checked by the same guard). */
  maxRedirects?: number;
}

/**
 * One request to a calendar server through the outbound guard the webhooks use: the host's
 * addresses are checked at connect time (no private targets unless an admin allows them), a hard
 * timeout, the answer cut off with an error past `maxBytes`, redirects followed only a few times
 * and each re-checked. Credentials are sent only to the origin they were given for.
 */
export async function calendarFetch(req: CalendarRequest, opts: CalendarHttpOptions): Promise<CalendarResponse> {
  let current = req;
  const origin = new URL(req.url).origin;
  for (let hop = 0; ; hop += 1) {
    const res = await once(current, opts);
    if ([301, 302, 303, 307, 308].includes(res.status) && res.headers.location) {
      if (hop >= (opts.maxRedirects ?? 3))
        throw new CalendarAccessError(`the calendar server redirected more than ${opts.maxRedirects ?? 3} times`);
      const next = new URL(res.headers.location, current.url).toString();
      const headers = { ...(current.headers ?? {}) };
      if (new URL(next).origin !== origin) delete headers.authorization;
      const method = res.status === 303 ? 'GET' : current.method;
      current = { ...current, url: next, headers, method, body: method === 'GET' ? undefined : current.body };
      continue;
    }
    return res;
  }
}

function once(req: CalendarRequest, opts: CalendarHttpOptions): Promise<CalendarResponse> {
  const t = parseTargetUrl(req.url);
  if (!t.ok) return Promise.reject(new CalendarAccessError(t.reason.replace(/^url/, 'the calendar URL')));
  if (t.ipLiteral && !opts.allowPrivate && isPrivateAddress(t.host))
    return Promise.reject(
      new CalendarAccessError(
        `${t.host} is a loopback, private or reserved address; an admin can allow private targets (PUT /api/v1/settings/outbound)`,
      ),
    );
  const mod = t.url.protocol === 'https:' ? https : http;
  return new Promise<CalendarResponse>((resolve, reject) => {
    const fail = (e: Error) =>
      reject(
        e instanceof CalendarAccessError
          ? e
          : e instanceof TargetRefused
            ? new CalendarAccessError(`${e.message}; an admin can allow private targets (PUT /api/v1/settings/outbound)`)
            : new CalendarAccessError(`the calendar server cannot be reached: ${(e as NodeJS.ErrnoException).code ?? e.message}`),
      );
    const r = mod.request(
      t.url,
      {
        method: req.method,
        agent: false,
        headers: {
          'user-agent': 'hiring-platform-calendar/1',
          ...(req.headers ?? {}),
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
        },
        lookup: guardedLookup(opts.allowPrivate) as never,
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > opts.maxBytes) {
          res.destroy();
          return fail(new CalendarAccessError(`the calendar answer is larger than ${Math.round(opts.maxBytes / 1024)} KiB (the limit)`));
        }
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > opts.maxBytes) {
            res.destroy();
            fail(new CalendarAccessError(`the calendar answer is larger than ${Math.round(opts.maxBytes / 1024)} KiB (the limit)`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url }),
        );
        res.on('error', fail);
      },
    );
    const timer = setTimeout(
      () => r.destroy(new CalendarAccessError(`the calendar server did not answer within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    r.on('timeout', () => r.destroy(new CalendarAccessError(`the calendar server did not answer within ${opts.timeoutMs} ms`)));
    r.on('error', fail);
    r.on('close', () => clearTimeout(timer));
    r.end(req.body);
  });
}
