import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { RequestContext } from '../context/request-context';
import { loggerOptions, requestIdFor, requestLogging } from './logging';

/** A server whose requests go through requestLogging inside a request context, as configure-app.ts sets it up. */
async function serverLogging(level: string) {
  const lines: any[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  const logger = pino(loggerOptions({ LOG_LEVEL: level } as any, 'api'), sink);
  const mw = requestLogging(logger);
  const listeners: number[] = [];
  const server = http.createServer((req: any, res) => {
    req.id = requestIdFor(req, res);
    const before = res.listenerCount('finish');
    RequestContext.run({ requestId: req.id }, () =>
      mw(req, res, () => {
        listeners.push(res.listenerCount('finish') - before);
        res.statusCode = req.url.startsWith('/boom') ? 500 : 200;
        res.end('ok');
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { lines, listeners, url, close: () => server.close() };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('request logging (the request line, without a child logger per request)', () => {
  it('writes the request line with the request id, method, url without link tokens, status and time', async () => {
    const s = await serverLogging('info');
    try {
      await fetch(`${s.url}/portal/secret-link-token/page?x=1`, { headers: { 'x-request-id': 'req-one' } });
      await fetch(`${s.url}/boom`, { headers: { 'x-request-id': 'req-two' } });
      await fetch(`${s.url}/health`);
      await settle();
      expect(s.lines).toHaveLength(2);
      expect(s.lines[0]).toMatchObject({
        level: 30,
        name: 'api',
        msg: 'request completed',
        requestId: 'req-one',
        req: { id: 'req-one', method: 'GET', url: '/portal/[token]/page?x=1' },
        res: { statusCode: 200 },
      });
      expect(typeof s.lines[0].responseTime).toBe('number');
      expect(JSON.stringify(s.lines)).not.toContain('secret-link-token');
      expect(s.lines[1]).toMatchObject({ msg: 'request errored', requestId: 'req-two', res: { statusCode: 500 } });
      expect(s.lines[1].err.message).toBe('failed with status code 500');
    } finally {
      s.close();
    }
  });

  it('does nothing per request when info lines are not logged', async () => {
    const s = await serverLogging('warn');
    try {
      await fetch(`${s.url}/anything`);
      await settle();
      expect(s.lines).toHaveLength(0);
      expect(s.listeners).toEqual([0]);
    } finally {
      s.close();
    }
  });
});
