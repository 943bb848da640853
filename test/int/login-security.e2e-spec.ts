import { Role } from '../../src/identity/user.entity';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { eventually } from '../support/redis-server';

/**
 * Sign-in hardening: atomic limits per account and (looser) per address, the same work for
 * unknown accounts, CSRF on the sign-in form, the session cookie's `secure` flag behind a TLS
 * proxy, and /metrics behind a token or an address allow-list.
 */
describe('sign-in and metrics access', () => {
  let t: TestApp;
  const METRICS_TOKEN = 'scrape-token-for-the-tests-0123';

  beforeAll(async () => {
    // The app trusts the loopback proxy (TRUST_PROXY default), so x-forwarded-for names the client.
    suiteEnv({ LOGIN_MAX_FAILURES_PER_ADDRESS: '8', METRICS_TOKEN, METRICS_ALLOW: '192.0.2.0/24', PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const cookies = (r: { headers: Record<string, unknown> }): string[] => (r.headers['set-cookie'] as string[] | undefined) ?? [];
  const login = (email: string, password: string, ip: string) =>
    t.http.post('/api/v1/auth/login').set('x-forwarded-for', ip).send({ email, password });

  it('lets exactly 5 of 12 parallel wrong passwords for one account through to a check; the rest get 429', async () => {
    const { email } = await t.login([Role.Engineer]);
    // Open the pool's connections first: on a loaded machine opening 12 at once can pass its 3 s
    // timeout (a 503). Each of the 12 attempts holds a connection while it queues on the counter's
    // row lock, so 12 must be open: held one by one (rounds of short queries reuse the same few).
    const held = [];
    for (let i = 0; i < 12; i++) {
      const runner = t.db.createQueryRunner();
      await runner.connect();
      held.push(runner);
    }
    for (const runner of held) await runner.release();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(email, `wrong-${i}`, `203.0.113.${i + 1}`)));
    const codes = answers.map((r) => r.status);
    expect(answers.filter((r) => r.status !== 401 && r.status !== 429).map((r) => r.body)).toEqual([]);
    expect(codes.filter((c) => c !== 401 && c !== 429)).toEqual([]);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(7);
    expect((await login(email, PASSWORD, '203.0.113.50')).status).toBe(429);
  });

  it('limits one address across accounts at LOGIN_MAX_FAILURES_PER_ADDRESS, not at 5; other addresses are unaffected', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 9; i++) codes.push((await login(`nobody-${i}@test.local`, 'x', '198.51.100.20')).status);
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
    const { email } = await t.login([Role.Recruiter]);
    expect((await login(email, PASSWORD, '198.51.100.21')).status).toBe(200);
  });

  it('does not give back a slot for a failure, but does for a success', async () => {
    const { email } = await t.login([Role.Recruiter]);
    for (let i = 0; i < 8; i++) expect((await login(email, PASSWORD, `198.51.100.${30 + i}`)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(email, 'wrong', `198.51.100.${40 + i}`)).status).toBe(401);
    expect((await login(email, 'wrong', '198.51.100.50')).status).toBe(429);
  });

  it('spends the same time on an unknown e-mail as on a known one with a wrong password (no account discovery by timing)', async () => {
    const timed = async (email: string, ip: string) => {
      const start = performance.now();
      const r = await login(email, 'not-the-password', ip);
      expect(r.status).toBe(401);
      return performance.now() - start;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { email } = await t.login([Role.Engineer]);
      known.push(await timed(email, `192.0.2.${100 + i}`));
      unknown.push(await timed(`ghost-${i}-${Date.now()}@test.local`, `192.0.2.${150 + i}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // argon2 dominates both; without the dummy verification an unknown e-mail answered ~10x faster.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it('refuses a sign-in form that did not come from the login page (login CSRF) and accepts one that did', async () => {
    const { email } = await t.login([Role.Recruiter]);
    const agent = (await import('supertest')).agent(t.app.getHttpServer());
    const forged = await agent.post('/login').type('form').send({ email, password: PASSWORD });
    expect(forged.status).toBe(403);
    expect(forged.text).toMatch(/did not come from this site/);
    expect(cookies(forged).join(';')).not.toMatch(/hiring_sid=/);
    const page = await agent.get('/login').set('accept', 'text/html');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    // a token from another visitor's form (another nonce) does not count
    const elsewhere = await (await import('supertest')).agent(t.app.getHttpServer()).get('/login');
    const foreign = /name="_csrf" value="([^"]+)"/.exec(elsewhere.text)![1];
    expect((await agent.post('/login').type('form').send({ email, password: PASSWORD, _csrf: foreign })).status).toBe(403);
    const ok = await agent.post('/login').type('form').send({ email, password: PASSWORD, _csrf: csrf, next: '/dashboard' });
    expect(ok.status).toBe(303);
    const cookie = cookies(ok).find((c: string) => c.startsWith('hiring_sid='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).not.toMatch(/Secure/); // plain http, no TLS proxy
  });

  it('marks the session cookie secure behind a trusted TLS proxy (X-Forwarded-Proto: https)', async () => {
    const { email } = await t.login([Role.Recruiter]);
    const agent = (await import('supertest')).agent(t.app.getHttpServer());
    const page = await agent.get('/login').set('x-forwarded-proto', 'https');
    expect(cookies(page).join(';')).toMatch(/hiring_login=[^;]+;.*Secure/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    // supertest's agent does not send a Secure cookie over http: pass the nonce by hand
    const nonce = /hiring_login=([^;]+)/.exec(cookies(page).join(';'))![1];
    const ok = await t.http
      .post('/login')
      .set('x-forwarded-proto', 'https')
      .set('cookie', `hiring_login=${nonce}`)
      .type('form')
      .send({ email, password: PASSWORD, _csrf: csrf });
    expect(ok.status).toBe(303);
    expect(cookies(ok).find((c: string) => c.startsWith('hiring_sid='))).toMatch(/; Secure/);
  });

  it('serves /metrics only with the token or from an allowed address; /health stays public', async () => {
    const plain = await t.http.get('/metrics');
    expect(plain.status).toBe(403);
    expect(plain.body.message).toMatch(/METRICS_TOKEN/);
    expect(plain.headers['content-type']).toMatch(/json/);
    expect(plain.text).not.toMatch(/http_request_duration_seconds/);
    expect((await t.http.get('/metrics').set('x-forwarded-for', '203.0.113.9')).status).toBe(403);
    expect((await t.http.get('/metrics').set('authorization', 'Bearer wrong-token-0000000000000')).status).toBe(403);
    const withToken = await t.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
    expect(withToken.status).toBe(200);
    expect(withToken.text).toMatch(/http_request_duration_seconds/);
    expect((await t.http.get('/metrics').set('x-forwarded-for', '192.0.2.10')).status).toBe(200);
    // Public: answered without a token (200 once its parts answer in time; a
    // loaded machine can make one miss its 1.5 s for a moment, a 503 that is no refusal).
    const health = await eventually(
      () => t.http.get('/health'),
      (r) => r.status === 200,
      30_000,
    );
    expect(health.status).toBe(200);
  });
});
