import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common/clock/clock';
import { configureApp } from '../../src/common/http/configure-app';
import { SESSION_COOKIE } from '../../src/identity/auth.guard';
import { Role } from '../../src/identity/user.entity';
import { auth } from '../support/factories';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';

/**
 * The token cache (AUTH_CACHE_SECONDS) through the HTTP API, with two API replicas on one
 * database: logout is immediate in the replica that did it; revocation, deactivation and role
 * changes made elsewhere take effect everywhere within the bound.
 */
const TTL_SECONDS = 1;
const pastTheBound = () => new Promise((r) => setTimeout(r, TTL_SECONDS * 1000 + 300));

describe('token cache (AUTH_CACHE_SECONDS)', () => {
  let t: TestApp;
  let replica: INestApplication;
  let b: ReturnType<typeof request>;

  beforeAll(async () => {
    suiteEnv({ AUTH_CACHE_SECONDS: String(TTL_SECONDS) });
    t = await createTestApp();
    // A second API process's worth of state: its own Nest app (and cache) on the same database.
    replica = await NestFactory.create(AppModule.forRoot(t.url), { logger: false, bodyParser: false });
    configureApp(replica);
    await replica.init();
    b = request(replica.getHttpServer()) as any;
  });
  afterAll(async () => {
    await replica?.close();
    await t?.close();
  });

  const me = (agent: ReturnType<typeof request>, token: string) => agent.get('/api/v1/me').set(auth(token));

  it('logout refuses the token at once in the replica that logged out, and in the others within the bound', async () => {
    const u = await t.login([Role.Recruiter]);
    const login = await t.http.post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD }).expect(200);
    const token = login.body.accessToken as string;
    // Both replicas have now seen (and may cache) the token.
    await me(t.http, token).expect(200);
    await me(b, token).expect(200);
    await me(t.http, token).expect(200);

    await t.http.post('/api/v1/auth/logout').set(auth(token)).expect(204);
    const refused = await me(t.http, token);
    expect(refused.status).toBe(401);

    await pastTheBound();
    await me(b, token).expect(401);
    await me(t.http, token).expect(401);
  });

  it('a token revoked outside this process (SQL, another replica) stops working within the bound', async () => {
    const u = await t.login([Role.Recruiter]);
    await me(t.http, u.token).expect(200);
    await me(b, u.token).expect(200);
    await t.db.query(`UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1`, [u.id]);
    await pastTheBound();
    await me(t.http, u.token).expect(401);
    await me(b, u.token).expect(401);
  });

  it('a deactivated user is refused within the bound, on every replica, and cannot sign in again', async () => {
    const u = await t.login([Role.Recruiter]);
    await me(t.http, u.token).expect(200);
    await me(b, u.token).expect(200);
    await t.db.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [u.id]);
    await pastTheBound();
    await me(t.http, u.token).expect(401);
    await me(b, u.token).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD }).expect(401);
  });

  it('a role taken away applies within the bound: the route then answers 403', async () => {
    const u = await t.login([Role.Recruiter]);
    // Listing staff users is for recruiters and hiring managers, not engineers.
    await t.http.get('/api/v1/users').set(auth(u.token)).expect(200);
    await b.get('/api/v1/users').set(auth(u.token)).expect(200);
    await t.db.query(`UPDATE users SET roles = '{engineer}' WHERE id = $1`, [u.id]);
    await pastTheBound();
    await t.http.get('/api/v1/users').set(auth(u.token)).expect(403);
    await b.get('/api/v1/users').set(auth(u.token)).expect(403);
  });

  it('a cached token is still refused when it comes the other way (a page session as a bearer, an API token as the cookie)', async () => {
    const u = await t.login([Role.Recruiter]);
    // An API token, cached by a bearer request, sent as the page session's cookie.
    const login = await t.http.post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD }).expect(200);
    const apiToken = login.body.accessToken as string;
    await me(t.http, apiToken).expect(200);
    await t.http.get('/api/v1/me').set('cookie', `${SESSION_COOKIE}=${apiToken}`).expect(401);
    // A page session, cached by a cookie request, sent as a bearer token.
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get('/login').set('accept', 'text/html');
    const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const signedIn = await agent
      .post('/login')
      .type('form')
      .send({ email: u.email, password: PASSWORD, next: '/dashboard', _csrf: loginCsrf })
      .expect(303);
    const sid = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(String(signedIn.headers['set-cookie']))![1];
    await agent.get('/api/v1/me').expect(200);
    await me(t.http, decodeURIComponent(sid)).expect(401);
  });

  it('a cached token still expires on time (expiry is checked against the clock on every request)', async () => {
    const u = await t.login([Role.Recruiter]);
    const login = await t.http.post('/api/v1/auth/login').send({ email: u.email, password: PASSWORD }).expect(200);
    const token = login.body.accessToken as string;
    await me(t.http, token).expect(200);
    const clock = t.app.get(Clock);
    try {
      clock.set(new Date(new Date(login.body.expiresAt).getTime() + 1000));
      await me(t.http, token).expect(401);
    } finally {
      clock.reset();
    }
    await me(t.http, token).expect(200);
  });
});
