import helmet from 'helmet';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { fixedHeaders } from './configure-app';

const options = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
  },
};

/** The headers a real response gets from helmet (the chain the app ran on every request before). */
async function helmetOnARealResponse(): Promise<Record<string, string>> {
  const mw = helmet(options);
  const server = http.createServer((req, res) => mw(req, res, () => res.end('ok')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => (out[k] = v));
    for (const k of ['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']) delete out[k];
    return out;
  } finally {
    server.close();
  }
}

describe('fixedHeaders (helmet computed once)', () => {
  it('gives exactly the headers helmet sets on a real response, CSP included', async () => {
    const fixed = Object.fromEntries(fixedHeaders(helmet(options)).map(([k, v]) => [k.toLowerCase(), v]));
    expect(fixed).toEqual(await helmetOnARealResponse());
    expect(fixed['content-security-policy']).toContain("script-src 'self'");
    expect(fixed['x-content-type-options']).toBe('nosniff');
    expect(fixed['strict-transport-security']).toMatch(/max-age=/);
  });

  it('refuses a middleware whose headers depend on the request', () => {
    const perRequest = (req: { url: string }, res: { setHeader(k: string, v: string): void }, next: () => void) => {
      res.setHeader('x-path', req.url);
      next();
    };
    expect(() => fixedHeaders(perRequest)).toThrow(/reads the request/);
  });
});
