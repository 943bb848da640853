import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * The headers a client sees (issue 25): an answer under /api/ carries the security headers that
 * matter for JSON (no sniffing, a CSP that loads nothing and cannot be framed, no referrer, HSTS)
 * and the request id; a page keeps every header helmet sets, its CSP included.
 */
describe('response headers: API answers and pages', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    w = await makeWorld(t);
  });
  afterAll(async () => t?.close());

  const PAGE_ONLY = [
    'cross-origin-opener-policy',
    'origin-agent-cluster',
    'x-dns-prefetch-control',
    'x-download-options',
    'x-frame-options',
    'x-permitted-cross-domain-policies',
    'x-xss-protection',
  ];

  const expectApiHeaders = (headers: Record<string, string>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['x-powered-by']).toBeUndefined();
    for (const name of PAGE_ONLY) expect([name, headers[name]]).toEqual([name, undefined]);
  };

  it('a JSON read carries the API set, the request id, its exact length and no ETag', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w);
    const created = await makeApplication(t, w, opening.id, c.id);
    const res = await t.http.get(`/api/v1/applications/${created.id}`).set(auth(w.recruiter.token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, candidateId: c.id, openingId: opening.id });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['cache-control']).toBeUndefined();
    expectApiHeaders(res.headers);

    // HEAD: the same headers, no body.
    const head = await t.http.head(`/api/v1/applications/${created.id}`).set(auth(w.recruiter.token));
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(res.headers['content-length']);
    expect(head.text ?? '').toBe('');
  });

  it('a write keeps its status (201) and a refusal its JSON error body, with the same headers', async () => {
    const c = await makeCandidate(t, w);
    const opening = await makeOpening(t, w);
    const created = await t.http
      .post('/api/v1/applications')
      .set(auth(w.recruiter.token))
      .send({ candidateId: c.id, openingId: opening.id });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/json; charset=utf-8');
    expectApiHeaders(created.headers);

    const bad = await t.http.get('/api/v1/applications/not-a-uuid').set(auth(w.recruiter.token));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request', requestId: bad.headers['x-request-id'] });
    expectApiHeaders(bad.headers);

    const anonymous = await t.http.get(`/api/v1/applications/${created.body.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, requestId: anonymous.headers['x-request-id'] });
    expectApiHeaders(anonymous.headers);
  });

  it('a page (the sign-in page, the API docs) keeps every header helmet sets', async () => {
    for (const path of ['/login', '/api/docs']) {
      const res = await t.http.get(path).redirects(1);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['origin-agent-cluster']).toBe('?1');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
