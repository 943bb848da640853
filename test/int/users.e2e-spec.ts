import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeOpening, makeWorld, World } from '../support/factories';

/**
 * Account administration: roles, disabling, hand-over of openings, and people managing their own
 * sessions and API tokens. Nobody is forgotten between hand-offs: an account that owns open
 * openings cannot be disabled or lose the role until they are handed over, and the hand-over moves
 * the open alerts with them.
 */
describe('accounts: roles, disabling, hand-over, tokens', () => {
  let t: TestApp;
  let w: World;
  let db: Client;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined });
    t = await createTestApp();
    w = await makeWorld(t);
    db = new Client({ connectionString: t.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const patchUser = (id: string, body: object, token = w.admin.token) => t.http.patch(`/api/v1/users/${id}`).set(auth(token)).send(body);
  const login = (email: string) => t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
  const raiseAlert = async (kind: string, recipientId: string, openingId: string) =>
    (
      await db.query(
        `INSERT INTO alerts (kind, dedupe_key, recipient_id, opening_id, message, data, created_at) VALUES ($1, $2, $3, $4, 'x', '{}', now()) RETURNING id`,
        [kind, `test:${randomUUID()}`, recipientId, openingId],
      )
    ).rows[0].id as string;
  const recipientOf = async (alertId: string) =>
    (await db.query(`SELECT recipient_id FROM alerts WHERE id = $1`, [alertId])).rows[0].recipient_id;

  it('refuses to disable someone who owns open openings until they are handed over, with their open alerts; then their access ends at once', async () => {
    const leaving = await t.login([Role.Recruiter]);
    const successor = await t.login([Role.Recruiter]);
    const opening = await makeOpening(t, w, { recruiterId: leaving.id });
    const sla = await raiseAlert('sla_breached', leaving.id, opening.id);
    const stale = await raiseAlert('stale', w.manager.id, opening.id);
    expect((await t.http.get('/api/v1/me').set(auth(leaving.token))).status).toBe(200);

    const refused = await patchUser(leaving.id, { disabled: true });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`"${opening.title}" (recruiter)`);
    expect(refused.body).toMatchObject({ reason: 'OWNS_OPENINGS', openings: [{ id: opening.id, as: ['recruiter'] }] });
    expect((await t.http.get(`/api/v1/users/${leaving.id}`).set(auth(w.admin.token))).body.disabled).toBe(false);

    // A disabled or unqualified successor is refused; a recruiter is accepted and gets the SLA alert.
    expect(
      (await t.http.patch(`/api/v1/openings/${opening.id}`).set(auth(w.admin.token)).send({ recruiterId: randomUUID() })).status, // nobody's id
    ).toBe(400);
    const handover = await t.http.patch(`/api/v1/openings/${opening.id}`).set(auth(w.admin.token)).send({ recruiterId: successor.id });
    expect(handover.status).toBe(200);
    expect(handover.body.recruiterId).toBe(successor.id);
    expect(await recipientOf(sla)).toBe(successor.id);
    expect(await recipientOf(stale)).toBe(w.manager.id); // the hiring manager did not change

    const disabled = await patchUser(leaving.id, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: leaving.id, disabled: true });
    expect((await t.http.get('/api/v1/me').set(auth(leaving.token))).status).toBe(401);
    expect((await login(leaving.email)).status).toBe(401);
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM auth_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [leaving.id])).rows[0].n,
    ).toBe(0);
    // A disabled account cannot be given an opening either.
    expect((await t.http.patch(`/api/v1/openings/${opening.id}`).set(auth(w.admin.token)).send({ recruiterId: leaving.id })).status).toBe(
      400,
    );

    // Re-enabled: may sign in again; the old tokens stay revoked.
    expect((await patchUser(leaving.id, { disabled: false })).body.disabled).toBe(false);
    expect((await login(leaving.email)).status).toBe(200);
    expect((await t.http.get('/api/v1/me').set(auth(leaving.token))).status).toBe(401);
  });

  it('hands stale-candidate alerts to the new hiring manager, and guards the role an ownership needs', async () => {
    const manager = await t.login([Role.HiringManager, Role.Engineer]);
    const next = await t.login([Role.HiringManager]);
    const opening = await makeOpening(t, w, { hiringManagerId: manager.id });
    const stale = await raiseAlert('stale', manager.id, opening.id);

    const demote = await patchUser(manager.id, { roles: [Role.Engineer] });
    expect(demote.status).toBe(409);
    expect(demote.body.openings).toEqual([{ id: opening.id, title: opening.title, as: ['hiring_manager'] }]);
    expect((await t.http.patch(`/api/v1/openings/${opening.id}`).set(auth(w.admin.token)).send({ hiringManagerId: next.id })).status).toBe(
      200,
    );
    expect(await recipientOf(stale)).toBe(next.id);

    expect((await t.http.get('/api/v1/users').set(auth(manager.token))).status).toBe(200);
    const demoted = await patchUser(manager.id, { roles: [Role.Engineer], name: 'Grace H.', timezone: 'America/New_York' });
    expect(demoted.status).toBe(200);
    expect(demoted.body).toMatchObject({ roles: [Role.Engineer], name: 'Grace H.', timezone: 'America/New_York', disabled: false });
    // The role change takes effect on the very next request in this process.
    expect((await t.http.get('/api/v1/users').set(auth(manager.token))).status).toBe(403);
  });

  it('keeps the last active admin and refuses disabling yourself', async () => {
    const { body: admins } = await t.http.get('/api/v1/users').query({ role: 'admin' }).set(auth(w.admin.token));
    for (const a of admins as Array<{ id: string }>)
      if (a.id !== w.admin.id) expect((await patchUser(a.id, { disabled: true })).status).toBe(200);

    const self = await patchUser(w.admin.id, { disabled: true });
    expect(self.status).toBe(409);
    expect(self.body.reason).toBe('SELF_DISABLE');
    const last = await patchUser(w.admin.id, { roles: [Role.Recruiter] });
    expect(last.status).toBe(409);
    expect(last.body.reason).toBe('LAST_ADMIN');
    expect((await t.http.get(`/api/v1/users/${w.admin.id}`).set(auth(w.admin.token))).body.roles).toEqual([Role.Admin]);

    // With a second admin, the first may step down.
    const second = await t.login([Role.Admin]);
    expect((await patchUser(w.admin.id, { roles: [Role.Admin, Role.Recruiter] })).status).toBe(200);
    expect((await patchUser(second.id, { roles: [Role.Engineer] }, w.admin.token)).status).toBe(200);
  });

  it('validates changes and keeps accounts private', async () => {
    const bad = await patchUser(w.recruiter.id, { roles: ['wizard'], timezone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/roles .*timezone/);
    expect((await patchUser(randomUUID(), { name: 'Nobody' })).status).toBe(404);
    expect((await patchUser(w.manager.id, { name: 'x' }, w.recruiter.token)).status).toBe(403);
    expect((await t.http.get(`/api/v1/users/${w.recruiter.id}`).set(auth(w.recruiter.token))).status).toBe(200);
    expect((await t.http.get(`/api/v1/users/${w.manager.id}`).set(auth(w.recruiter.token))).status).toBe(403);
  });

  it("lets a person list and revoke their own sessions and API tokens, and nobody else's", async () => {
    const person = await t.login([Role.Engineer]);
    const created = await t.http.post('/api/v1/auth/tokens').set(auth(person.token)).send({ name: 'CI integration' });
    expect(created.status).toBe(201);
    const list = await t.http.get('/api/v1/auth/tokens').set(auth(person.token));
    expect(list.status).toBe(200);
    expect(list.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: created.body.id, name: 'CI integration', kind: 'api_token', current: false }),
        expect.objectContaining({ current: true }),
      ]),
    );
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    // Someone else's token id is not found, and stays valid.
    expect((await t.http.delete(`/api/v1/auth/tokens/${created.body.id}`).set(auth(w.recruiter.token))).status).toBe(404);
    expect((await t.http.get('/api/v1/me').set(auth(created.body.token))).status).toBe(200);
    expect((await t.http.delete(`/api/v1/auth/tokens/${created.body.id}`).set(auth(person.token))).status).toBe(204);
    expect((await t.http.get('/api/v1/me').set(auth(created.body.token))).status).toBe(401);
    expect((await t.http.get('/api/v1/auth/tokens').set(auth(person.token))).body.map((x: { id: string }) => x.id)).not.toContain(
      created.body.id,
    );
  });
});
