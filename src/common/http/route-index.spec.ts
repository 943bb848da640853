import express from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { indexRoutes, literalPrefix } from './route-index';

/** The same routes, in the same order, with a middleware before and a not-found handler after (as Nest registers them). */
function app(indexed: boolean) {
  const a = express();
  a.use((req, _res, next) => {
    (req as any).seen = true;
    next();
  });
  const answer = (name: string) => (req: any, res: any) =>
    res.json({ name, route: req.route.path, params: req.params, baseUrl: req.baseUrl, seen: req.seen });
  a.get('/api/v1/applications', answer('list'));
  a.get('/api/v1/applications/export', answer('export'));
  a.get('/api/v1/:resource/:id', answer('generic'));
  a.get('/api/v1/applications/:id', answer('get'));
  a.post('/api/v1/applications/:id/transitions', answer('move'));
  a.get('/dashboard', answer('dashboard'));
  a.get('/dashboard/applications/:id', answer('page'));
  a.get('/:slug', answer('slug'));
  a.get('/careers/{*rest}', answer('careers'));
  a.get('/files/:name.pdf', answer('pdf'));
  a.get('/next', (_req, _res, next) => next());
  a.get('/next', answer('after-next'));
  a.use((req, res) => res.status(404).json({ name: 'not found', method: req.method }));
  if (indexed) expect(indexRoutes(a as any)).toBe(12);
  return a;
}

async function serve(a: express.Express): Promise<{ url: string; close: () => void }> {
  const server = http.createServer(a);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe('route index', () => {
  it('takes the leading literal segments of a route path', () => {
    expect(literalPrefix('/api/v1/applications/:id', false)).toEqual(['api', 'v1', 'applications']);
    expect(literalPrefix('/API/V1', false)).toEqual(['api', 'v1']);
    expect(literalPrefix('/files/:name.pdf', false)).toEqual(['files']);
    expect(literalPrefix('/careers/{*rest}', false)).toEqual(['careers']);
    expect(literalPrefix('/:slug', false)).toEqual([]);
    expect(literalPrefix(/regexp/, false)).toEqual([]);
  });

  it('answers every request with the same route, params and status as Express matching every route in order', async () => {
    const [plain, fast] = [await serve(app(false)), await serve(app(true))];
    try {
      const requests: Array<[string, string]> = [
        ['GET', '/api/v1/applications'],
        ['GET', '/api/v1/applications/'],
        ['GET', '/API/V1/Applications/abc'],
        ['GET', '/api/v1/applications/export'],
        ['GET', '/api/v1/applications/abc?x=1/2'],
        ['GET', '/api/v1/openings/abc'],
        ['GET', '/api/v1/applications/abc/transitions'],
        ['POST', '/api/v1/applications/abc/transitions'],
        ['POST', '/api/v1/applications/abc'],
        ['HEAD', '/api/v1/applications/abc'],
        ['OPTIONS', '/api/v1/applications/abc'],
        ['GET', '/dashboard'],
        ['GET', '/dashboard/applications/x%2Fy'],
        ['GET', '/dashboard/'],
        ['GET', '/api'],
        ['GET', '/careers/a/b'],
        ['GET', '/files/cv.pdf'],
        ['GET', '/next'],
        ['GET', '//api/v1/applications'],
        ['GET', '/api//v1/applications'],
        ['GET', '/%61pi/v1/applications'],
        ['GET', '/nowhere/at/all'],
        ['GET', '/'],
      ];
      for (const [method, path] of requests) {
        const [a, b] = await Promise.all(
          [plain, fast].map(async (s) => {
            const res = await fetch(`${s.url}${path}`, { method });
            return { status: res.status, body: method === 'HEAD' ? '' : await res.text(), allow: res.headers.get('allow') };
          }),
        );
        expect({ method, path, ...b }).toEqual({ method, path, ...a });
      }
    } finally {
      plain.close();
      fast.close();
    }
  });
});
