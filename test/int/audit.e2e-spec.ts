import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { AuditInterceptor } from '../../src/audit/audit.interceptor';
import { changesSql } from '../../src/audit/audit.service';
import { routeHandlers } from '../../src/common/http/route-interceptors';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

describe('audit log: every staff write, append-only, admins read it', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    w = await makeWorld(t);
  });
  afterAll(async () => t?.close());

  const audit = async (query: Record<string, string | number> = {}) => {
    const res = await t.http.get('/api/v1/audit').query(query).set(auth(w.admin.token));
    expect(res.status).toBe(200);
    return res.body as Array<any>;
  };
  const byRequest = async (requestId: string) => (await audit({ limit: 500 })).filter((e) => e.requestId === requestId);
  const rid = () => `audit-${randomBytes(6).toString('hex')}`;

  it('records creates, updates (with changed fields), PUT, PATCH and DELETE, with who, token kind, route, entity and request id', async () => {
    // POST: create (response id becomes the entity id)
    let r = rid();
    const cand = await t.http
      .post('/api/v1/candidates')
      .set(auth(w.recruiter.token))
      .set('x-request-id', r)
      .send({
        name: 'Audre Lorde',
        email: `audre-${randomBytes(3).toString('hex')}@example.com`,
        timezone: 'UTC',
        source: { kind: 'direct' },
      });
    expect(cand.status).toBe(201);
    let [e] = await byRequest(r);
    expect(e).toMatchObject({
      method: 'POST',
      route: '/api/v1/candidates',
      path: '/api/v1/candidates',
      entity: { type: 'candidate', id: cand.body.id },
      responseId: cand.body.id,
      statusCode: 201,
      outcome: 'succeeded',
      actor: { id: w.recruiter.id, kind: 'user', tokenKind: 'api_token', via: 'bearer' },
    });
    expect(e.body).toMatchObject({ name: 'Audre Lorde', source: { kind: 'direct' } });
    expect(new Date(e.at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // POST on an entity: before/after of the fields that changed
    const opening = await makeOpening(t, w);
    r = rid();
    const created = await t.http
      .post('/api/v1/applications')
      .set(auth(w.recruiter.token))
      .set('x-request-id', r)
      .send({ candidateId: cand.body.id, openingId: opening.id });
    expect(created.status).toBe(201);
    const app = created.body;
    // One entry, written by the create's own statement, naming the new application.
    const createdEntries = await byRequest(r);
    expect(createdEntries).toHaveLength(1);
    expect(createdEntries[0]).toMatchObject({
      method: 'POST',
      route: '/api/v1/applications',
      entity: { type: 'application', id: app.id },
      responseId: app.id,
      statusCode: 201,
      outcome: 'succeeded',
      body: { candidateId: cand.body.id, openingId: opening.id },
      actor: { id: w.recruiter.id },
      changes: null,
    });
    r = rid();
    expect(
      (
        await t.http
          .post(`/api/v1/applications/${app.id}/transitions`)
          .set(auth(w.recruiter.token))
          .set('x-request-id', r)
          .send({ to: 'manager_call' })
      ).status,
    ).toBe(200);
    // One entry (the move writes it in its own statement; the interceptor adds none).
    const entries = await byRequest(r);
    expect(entries).toHaveLength(1);
    [e] = entries;
    expect(e).toMatchObject({
      route: '/api/v1/applications/:id/transitions',
      path: `/api/v1/applications/${app.id}/transitions`,
      entity: { type: 'application', id: app.id },
      statusCode: 200,
      body: { to: 'manager_call' },
    });
    expect(e.changes).toMatchObject({ stage: { before: 'recruiter_screen', after: 'manager_call' }, stage_visit: { before: 1, after: 2 } });
    expect(e.changes.updated_at).toBeUndefined();

    // Secrets never reach the log: user passwords, webhook secrets
    r = rid();
    const user = await t.http
      .post('/api/v1/users')
      .set(auth(w.admin.token))
      .set('x-request-id', r)
      .send({
        email: `eng-${randomBytes(3).toString('hex')}@test.local`,
        name: 'Eng',
        password: 'a-very-secret-pass-1',
        roles: ['engineer'],
        timezone: 'UTC',
      });
    expect(user.status).toBe(201);
    [e] = await byRequest(r);
    expect(e.body.password).toBe('[redacted]');
    expect(JSON.stringify(e)).not.toContain('a-very-secret-pass-1');

    // PUT
    r = rid();
    expect(
      (
        await t.http
          .put(`/api/v1/users/${user.body.id}/reviewer-profile`)
          .set(auth(w.admin.token))
          .set('x-request-id', r)
          .send({ languages: ['python'], timezone: 'UTC', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } })
      ).status,
    ).toBe(200);
    [e] = await byRequest(r);
    expect(e).toMatchObject({
      method: 'PUT',
      route: '/api/v1/users/:id/reviewer-profile',
      entity: { type: 'user', id: user.body.id },
      outcome: 'succeeded',
    });

    // PATCH and DELETE (a webhook: its secret is redacted; the change of `enabled` is recorded)
    await t.http.put('/api/v1/settings/webhooks').set(auth(w.admin.token)).send({ allowPrivateTargets: true }).expect(200);
    const hook = await t.http
      .post('/api/v1/webhooks')
      .set(auth(w.admin.token))
      .send({ url: 'http://127.0.0.1:9/hook', secret: 'whsec-super-secret-000', events: ['stage.changed'] });
    expect(hook.status).toBe(201);
    r = rid();
    await t.http
      .patch(`/api/v1/webhooks/${hook.body.id}`)
      .set(auth(w.admin.token))
      .set('x-request-id', r)
      .send({ enabled: false, events: ['stage.changed', 'alert.raised'] })
      .expect(200);
    [e] = await byRequest(r);
    expect(e).toMatchObject({
      method: 'PATCH',
      entity: { type: 'webhook', id: hook.body.id },
      changes: { enabled: { before: true, after: false }, events: { before: ['stage.changed'], after: ['stage.changed', 'alert.raised'] } },
    });
    expect(Object.keys(e.changes).sort()).toEqual(['enabled', 'events']);
    r = rid();
    await t.http.delete(`/api/v1/webhooks/${hook.body.id}`).set(auth(w.admin.token)).set('x-request-id', r).expect(204);
    [e] = await byRequest(r);
    expect(e).toMatchObject({
      method: 'DELETE',
      route: '/api/v1/webhooks/:id',
      entity: { type: 'webhook', id: hook.body.id },
      statusCode: 204,
      outcome: 'succeeded',
    });
    expect(e.changes).toBeNull(); // the row is gone: nothing to compare with
    const create = (await audit({ entity: `webhook:${hook.body.id}` })).find((x) => x.method === 'POST');
    expect(create.body.secret).toBe('[redacted]');
    expect(JSON.stringify(await audit({ limit: 500 }))).not.toContain('whsec-super-secret-000');
  });

  it("carries the audit interceptor on every write handler of every module, and on no read (reads skip Nest's interceptors)", async () => {
    const routes = routeHandlers(t.app.get(ModulesContainer));
    const audited = (h: (...a: unknown[]) => unknown) =>
      ((Reflect.getMetadata(INTERCEPTORS_METADATA, h) as unknown[] | undefined) ?? []).filter((i) => i instanceof AuditInterceptor).length;
    const writes = routes.filter((r) => ![RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS].includes(r.method));
    expect(writes.length).toBeGreaterThan(100);
    expect(writes.filter((r) => audited(r.handler) !== 1).map((r) => r.paths.join())).toEqual([]);
    expect(routes.filter((r) => r.method === RequestMethod.GET && audited(r.handler) > 0).map((r) => r.paths.join())).toEqual([]);
  });

  it('records refusals raised by handlers (409, 400) and nothing for reads', async () => {
    const c = await makeCandidate(t, w);
    let r = rid();
    const dup = await t.http
      .post('/api/v1/candidates')
      .set(auth(w.recruiter.token))
      .set('x-request-id', r)
      .send({ name: 'Again', email: c.email, timezone: 'UTC', source: { kind: 'direct' } });
    expect(dup.status).toBe(409);
    let [e] = await byRequest(r);
    expect(e).toMatchObject({ outcome: 'failed', statusCode: 409, entity: { type: 'candidate', id: null } });
    expect(e.error).toMatch(/already exists/);
    r = rid();
    expect((await t.http.post('/api/v1/candidates').set(auth(w.recruiter.token)).set('x-request-id', r).send({ name: '' })).status).toBe(
      400,
    );
    [e] = await byRequest(r);
    expect(e).toMatchObject({ outcome: 'failed', statusCode: 400 });
    // A move the rules refuse: one failed entry, nothing of the move's own.
    const app = await makeApplication(t, w, (await makeOpening(t, w)).id, c.id);
    r = rid();
    const refused = await t.http
      .post(`/api/v1/applications/${app.id}/transitions`)
      .set(auth(w.recruiter.token))
      .set('x-request-id', r)
      .send({ to: 'offer' });
    expect(refused.status).toBe(422); // skipping stages
    const entries = await byRequest(r);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ outcome: 'failed', statusCode: 422, entity: { type: 'application', id: app.id }, changes: null });
    r = rid();
    await t.http.get(`/api/v1/candidates/${c.id}`).set(auth(w.recruiter.token)).set('x-request-id', r).expect(200);
    expect(await byRequest(r)).toHaveLength(0);
  });

  it("records refused access by a signed-in person (the guard's 403 on reads and writes), not anonymous 401s", async () => {
    const engineer = await t.login([Role.Engineer]);
    // A read the role does not allow.
    let r = rid();
    expect((await t.http.get('/api/v1/audit').set(auth(engineer.token)).set('x-request-id', r)).status).toBe(403);
    const [read] = await eventuallyRows(r);
    expect(read).toMatchObject({
      outcome: 'failed',
      statusCode: 403,
      method: 'GET',
      route: '/api/v1/audit',
      actor: { id: engineer.id, tokenKind: 'api_token', via: 'bearer' },
    });
    expect(read.error).toMatch(/^access denied: This action needs one of the roles: admin/);
    // A write the role does not allow: the body is recorded redacted, as for other writes.
    r = rid();
    expect(
      (
        await t.http
          .post('/api/v1/candidates')
          .set(auth(engineer.token))
          .set('x-request-id', r)
          .send({ name: 'Nope', email: 'nope@example.org', password: 'hunter2' })
      ).status,
    ).toBe(403);
    const [write] = await eventuallyRows(r);
    expect(write).toMatchObject({ outcome: 'failed', statusCode: 403, method: 'POST', entity: { type: 'candidate' } });
    expect(JSON.stringify(write.body)).not.toContain('hunter2');
    // Anonymous and unknown tokens: 401, no row.
    r = rid();
    expect((await t.http.get('/api/v1/audit').set('x-request-id', r)).status).toBe(401);
    expect((await t.http.get('/api/v1/audit').set(auth('not-a-token')).set('x-request-id', `${r}-b`)).status).toBe(401);
    await new Promise((res) => setTimeout(res, 200));
    expect(await byRequest(r)).toHaveLength(0);
    expect(await byRequest(`${r}-b`)).toHaveLength(0);
    // An allowed request writes no denial row.
    r = rid();
    await t.http.get('/api/v1/alerts').set(auth(w.manager.token)).set('x-request-id', r).expect(200);
    await new Promise((res) => setTimeout(res, 200));
    expect(await byRequest(r)).toHaveLength(0);
  });

  /**
   * Denials are written when the response finishes, just after the client has its answer: usually
   * within milliseconds, but on a loaded machine one INSERT can take seconds, so the wait is bounded
   * by time (as `eventually` is), not by a count of 50 ms polls.
   */
  const eventuallyRows = async (requestId: string, timeoutMs = 15_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const rows = await byRequest(requestId);
      if (rows.length) return rows;
      if (Date.now() > end) throw new Error(`no audit row for ${requestId}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  };

  it('tells a person in a page session from an API session and an API token', async () => {
    const email = `mgr-${randomBytes(3).toString('hex')}@test.local`;
    const agent = (await import('supertest')).agent(t.app.getHttpServer());
    const mgr = await t.login([Role.HiringManager], email);
    // API session (POST /auth/login), then a write with it
    const login = await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    let r = rid();
    const opening = await t.http
      .post('/api/v1/openings')
      .set(auth(login.body.accessToken))
      .set('x-request-id', r)
      .send({
        title: 'Audit opening',
        hiringManagerId: mgr.id,
        recruiterId: w.recruiter.id,
        compensation: { min: 1, max: 2, currency: 'EUR' },
        timezone: 'UTC',
      });
    expect(opening.status).toBe(201);
    let [e] = await byRequest(r);
    expect(e.actor).toEqual({ id: mgr.id, kind: 'user', tokenKind: 'api_session', via: 'bearer' });
    // Page session (cookie) and a CSRF-checked form post
    const form = await agent.get('/login').set('accept', 'text/html');
    const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await agent.post('/login').type('form').send({ email, password: PASSWORD, next: '/dashboard', _csrf: loginCsrf }).expect(303);
    const page = await agent.get('/dashboard').set('accept', 'text/html');
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page.text)?.[1];
    expect(csrf).toBeTruthy();
    r = rid();
    await agent.post('/logout').type('form').set('x-request-id', r).send({ _csrf: csrf }).expect(303);
    [e] = await byRequest(r);
    expect(e).toMatchObject({
      method: 'POST',
      route: '/logout',
      statusCode: 303,
      outcome: 'succeeded',
      actor: { id: mgr.id, tokenKind: 'web_session', via: 'cookie' },
      body: { _csrf: '[redacted]' },
    });
  });

  it('filters by actor, entity and time, and pages newest first', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const rec = await t.login([Role.Recruiter]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await makeCandidate(t, { ...w, recruiter: { ...rec } } as World)).id);
    const mine = await audit({ actorId: rec.id });
    expect(mine.map((x) => x.entity.id)).toEqual([...ids].reverse());
    expect((await audit({ actorId: rec.id, entity: 'candidate', from: since, to: new Date(Date.now() + 1000).toISOString() })).length).toBe(
      5,
    );
    expect(await audit({ actorId: rec.id, entity: 'application' })).toHaveLength(0);
    expect(await audit({ actorId: rec.id, to: since })).toHaveLength(0);
    expect((await audit({ entity: `candidate:${ids[2]}` })).map((x) => x.entity.id)).toEqual([ids[2]]);
    const page1 = await t.http.get('/api/v1/audit').query({ actorId: rec.id, limit: 2 }).set(auth(w.admin.token));
    expect(page1.body.map((x: any) => x.entity.id)).toEqual([ids[4], ids[3]]);
    const page2 = await audit({ actorId: rec.id, limit: 2, before: page1.headers['x-next-before'] });
    expect(page2.map((x) => x.entity.id)).toEqual([ids[2], ids[1]]);
    expect((await t.http.get('/api/v1/audit').query({ from: 'yesterday' }).set(auth(w.admin.token))).status).toBe(400);
  });

  it('cannot be changed: no write routes (404), non-admins cannot read it (403), and the table refuses UPDATE, DELETE and TRUNCATE', async () => {
    const [latest] = await audit({ limit: 1 });
    for (const method of ['put', 'patch', 'delete', 'post'] as const) {
      for (const url of ['/api/v1/audit', `/api/v1/audit/${latest.id}`]) {
        const res = await (t.http as any)[method](url).set(auth(w.admin.token)).send({ actorId: null });
        expect({ method, url, status: res.status }).toEqual({ method, url, status: 404 });
      }
    }
    for (const token of [w.recruiter.token, w.manager.token]) expect((await t.http.get('/api/v1/audit').set(auth(token))).status).toBe(403);
    expect((await t.http.get('/api/v1/audit')).status).toBe(401);
    const db = new Client({ connectionString: t.url });
    await db.connect();
    try {
      await expect(db.query(`UPDATE audit_log SET actor_id = NULL WHERE id = $1`, [latest.id])).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM audit_log WHERE id = $1`, [latest.id])).rejects.toThrow(/append-only/);
      await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    } finally {
      await db.end();
    }
    const [again] = await audit({ before: latest.id + 1, limit: 1 });
    expect(again).toEqual(latest);
  });
  it('computes changed fields in the database: only what differs, updated_at left out, long values clipped', async () => {
    const db = new Client({ connectionString: t.url });
    await db.connect();
    try {
      const diff = async (before: object, after: object | null) =>
        (
          await db.query(`SELECT ${changesSql('$1::jsonb', '$2::jsonb')} AS changes`, [
            JSON.stringify(before),
            after === null ? null : JSON.stringify(after),
          ])
        ).rows[0].changes;
      expect(
        await diff({ stage: 'a', version: 1, updated_at: 'x', notes: null }, { stage: 'b', version: 1, updated_at: 'y', notes: 'n' }),
      ).toEqual({ stage: { before: 'a', after: 'b' }, notes: { before: null, after: 'n' } });
      expect(await diff({ stage: 'a' }, { stage: 'a' })).toBeNull();
      expect(await diff({ stage: 'a' }, null)).toBeNull();
      const clipped = await diff({ text: 'short', list: [1] }, { text: 'y'.repeat(5000), list: Array.from({ length: 3000 }, (_, i) => i) });
      expect(clipped.text.after).toBe(`${'y'.repeat(2000)}…[3000 more]`);
      expect(clipped.list.after).toMatch(/^\[\d+ characters of JSON\]$/);
    } finally {
      await db.end();
    }
  });
});
