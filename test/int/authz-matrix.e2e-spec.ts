import Docker from 'dockerode';
import { randomBytes, randomUUID } from 'node:crypto';
import { buildAllSandboxImages } from '../../src/sandbox';
import { tarGzDir, zipDir } from '../fixtures/assignments/pack';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';
import { Access, accessOf, errorShapeProblem, Fixtures, fillPath, GUARD_FORBIDDEN, loadDoc, Operation, operations, send } from '../support/hostile-openapi';

/**
 * Authorization matrix, generated from the app's own OpenAPI document: every /api/v1 route ×
 * every staff role, anonymous, foreign/unknown portal tokens, and another candidate's real link. Expectations come from the
 * live route metadata (@Public / @Roles, read with Nest's DiscoveryService + Reflector, default
 * admin-only), so a route that forgets its @Roles, or a guard that lets a role through that the
 * route does not declare, fails here. Only status codes are checked: rows that would change or
 * destroy the shared fixtures (no JSON body to fail validation: DELETE, erasure, hire, publish…)
 * run on throwaway random ids, and logout runs on fresh throwaway users.
 */
const ROLES_UNDER_TEST = [Role.Admin, Role.Recruiter, Role.HiringManager, Role.Engineer];

describe('authorization matrix (from the OpenAPI document)', () => {
  let t: TestApp;
  let w: World;
  let ops: Operation[];
  let accessFor: (operationId: string) => Access;
  let fixtures: Fixtures;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    suiteEnv();
    t = await createTestApp();
    w = await makeWorld(t);
    tokens[Role.Admin] = w.admin.token;
    tokens[Role.Recruiter] = w.recruiter.token;
    tokens[Role.HiringManager] = w.manager.token;
    tokens[Role.Engineer] = (await t.login([Role.Engineer])).token;
    const opening = await makeOpening(t, w);
    const candidate = await makeCandidate(t, w);
    const application = await makeApplication(t, w, opening.id, candidate.id);
    fixtures = { openingId: opening.id, candidateId: candidate.id, applicationId: application.id, userId: w.manager.id, portalToken: randomBytes(32).toString('base64url') };
    ops = operations(await loadDoc(t));
    accessFor = accessOf(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  const isPortal = (op: Operation) => op.path.startsWith('/api/v1/portal/');
  const isLogin = (op: Operation) => op.path === '/api/v1/auth/login';
  /** Rows with side effects that no validation error would stop: run them on random ids. */
  const throwaway = (op: Operation) => op.method !== 'get' && !op.jsonBody;
  const bodyOf = (op: Operation) => (op.jsonBody ? {} : undefined);
  const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;
  /** The careers page's public list and apply (the referral link is staff-only). */
  const isCareers = (op: Operation) => ['GET /api/v1/careers/openings', 'POST /api/v1/careers/{openingId}/applications'].includes(label(op));

  it('finds the routes and their role metadata', () => {
    expect(ops.length).toBeGreaterThan(80);
    const publicOps = ops.filter((op) => accessFor(op.operationId).public).map(label).sort();
    // Only login, the candidate portal and the careers page's list and apply are open under /api/v1.
    expect(publicOps.filter((l) => !l.includes('/api/v1/portal/') && !l.endsWith('/api/v1/auth/login') && !['GET /api/v1/careers/openings', 'POST /api/v1/careers/{openingId}/applications'].includes(l))).toEqual([]);
    expect(publicOps.length).toBeGreaterThan(1);
  });

  it('anonymous: 401 everywhere except login and the portal; never a 500', async () => {
    const problems: string[] = [];
    for (const op of ops) {
      const res = await send(t, op.method, fillPath(op.path, fixtures, { throwaway: throwaway(op) }), {}, bodyOf(op));
      const shape = errorShapeProblem(res.status, res.body);
      if (shape) problems.push(`${label(op)} anonymous: ${res.status} ${shape}`);
      if (res.status >= 500) problems.push(`${label(op)} anonymous: ${res.status} ${res.text.slice(0, 200)}`);
      else if (isLogin(op) || isPortal(op) || isCareers(op)) {
        if (res.status === 401 && !isLogin(op)) problems.push(`${label(op)} anonymous: 401 on a public route`);
      } else if (res.status !== 401) problems.push(`${label(op)} anonymous: expected 401, got ${res.status}`);
    }
    expect(problems).toEqual([]);
  });

  it.each(ROLES_UNDER_TEST)('role %s: 403 exactly where the route does not declare it, never a 500 or 401', async (role) => {
    const problems: string[] = [];
    const rows: string[] = [];
    for (const op of ops) {
      const access = accessFor(op.operationId);
      let token = tokens[role];
      // Logging out would revoke the shared token: use a fresh throwaway user.
      if (/logout/i.test(op.operationId)) token = (await t.login([role])).token;
      const res = await send(t, op.method, fillPath(op.path, fixtures, { throwaway: throwaway(op) }), auth(token), bodyOf(op));
      rows.push(`${label(op)} ${res.status}`);
      const where = `${label(op)} as ${role} (declared: ${access.public ? 'public' : access.roles.join(',')})`;
      const shape = errorShapeProblem(res.status, res.body);
      if (shape) problems.push(`${where}: ${res.status} ${shape}`);
      if (res.status >= 500) {
        problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      const allowed = access.public || access.roles.includes(role);
      const guardDenied = res.status === 403 && GUARD_FORBIDDEN.test(String(res.body?.message));
      if (res.status === 401 && !isLogin(op)) problems.push(`${where}: 401 with a valid token`);
      if (allowed && guardDenied) problems.push(`${where}: denied by the guard although the role is declared`);
      if (!allowed && !guardDenied) problems.push(`${where}: expected the guard's 403, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
    expect(rows.length).toBe(ops.length);
    // The matrix is not vacuous: real ids reach handlers (2xx), and only admin is never guard-denied.
    expect(rows.some((r) => / 2\d\d$/.test(r))).toBe(true);
    expect(rows.some((r) => / 403$/.test(r))).toBe(role !== Role.Admin);
  });

  it('portal: unknown, malformed, staff and foreign-looking tokens get 404 (or a 4xx on writes), never a 500 or data', async () => {
    const portalOps = ops.filter(isPortal);
    expect(portalOps.length).toBeGreaterThan(3);
    const badTokens = [
      randomUUID(),
      randomBytes(32).toString('base64url'),
      tokens[Role.Recruiter], // a staff bearer token is not a portal token
      tokens[Role.Admin],
      'a'.repeat(5000),
      '%00',
      '..%2F..%2Fetc%2Fpasswd',
      "'; DROP TABLE invitations; --",
      '%F0%9F%92%A9%E2%80%AE',
    ];
    const problems: string[] = [];
    for (const op of portalOps) {
      for (const token of badTokens) {
        for (const headers of [{}, auth(tokens[Role.Admin])]) {
          const url = op.path.replace('{token}', token.startsWith('%') || token.includes('%2F') ? token : encodeURIComponent(token));
          const res = await send(t, op.method, url, headers, bodyOf(op));
          const where = `${label(op)} token=${token.slice(0, 40)}${'authorization' in headers ? ' (+admin bearer)' : ''}`;
          const shape = errorShapeProblem(res.status, res.body);
          if (shape) problems.push(`${where}: ${res.status} ${shape}`);
          if (res.status >= 500) problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
          else if (op.method === 'get' && res.status !== 404) problems.push(`${where}: expected 404, got ${res.status}`);
          else if (res.status < 400 || res.status === 401) problems.push(`${where}: expected a 4xx refusal, got ${res.status}`);
          if (res.text.includes(fixtures.candidateId) || /Grace Hopper/.test(res.text)) problems.push(`${where}: leaked candidate data`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  describe("another candidate's link", () => {
    const NODE = 'node-wordfreq';
    type Invited = { name: string; email: string; candidateId: string; applicationId: string; invitationId: string; token: string };
    let a: Invited;
    let b: Invited;
    let submissionA: string;

    beforeAll(async () => {
      await buildAllSandboxImages(new Docker({ socketPath: '/var/run/docker.sock' }), () => undefined);
      const engineer = (await t.login([Role.Engineer])).token;
      const created = await t.http.post('/api/v1/assignments').set(auth(w.manager.token)).send({ title: 'Word frequencies', runtime: 'node', instructions: 'Count words.' });
      const v = await t.http
        .post(`/api/v1/assignments/${created.body.id}/versions`)
        .set(auth(engineer))
        .attach('hiddenTests', zipDir(`${NODE}/hidden-tests`), 'hidden.zip')
        .attach('starter', zipDir(`${NODE}/starter`, 'wordfreq/'), 'starter.zip')
        .attach('referenceSolution', await tarGzDir(`${NODE}/reference`), 'reference.tar.gz');
      expect(v.status).toBe(201);
      expect((await t.http.post(`/api/v1/assignments/${created.body.id}/versions/1/publish`).set(auth(engineer))).status).toBe(200);
      const invite = async (name: string): Promise<Invited> => {
        const opening = await makeOpening(t, w);
        const email = `${name.split(' ')[0].toLowerCase()}.${randomUUID().slice(0, 8)}@example.org`;
        const candidate = await makeCandidate(t, w, { name, email });
        const app = await makeApplication(t, w, opening.id, candidate.id);
        for (const to of ['manager_call', 'take_home']) await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to });
        const res = await t.http.post(`/api/v1/applications/${app.id}/invitations`).set(auth(w.recruiter.token)).send({ assignmentId: created.body.id });
        expect(res.status).toBe(201);
        return { name, email, candidateId: candidate.id, applicationId: app.id, invitationId: res.body.id, token: String(res.body.portalUrl).split('/').pop()! };
      };
      a = await invite('Katherine Johnson');
      b = await invite('Dorothy Vaughan');
      expect((await t.http.post(`/api/v1/portal/${a.token}/attestation`).send({ fullName: a.name, agreed: true })).status).toBeLessThan(300);
      const up = await t.http.post(`/api/v1/portal/${a.token}/submission`).attach('file', zipDir(`${NODE}/broken`), 'a.zip');
      expect(up.status).toBe(201);
      submissionA = up.body.id;
    }, 180_000);

    /** Every identifier and personal detail of A that could leak into B's answers. */
    const traces = () => [a.candidateId, a.applicationId, a.invitationId, submissionA, a.token, a.name, a.email, 'Katherine'];

    it("B's real link on every portal route answers about B only, and B's writes leave A untouched", async () => {
      const portalOps = ops.filter(isPortal);
      const before = await t.db.query(`SELECT id, status FROM submissions WHERE invitation_id = $1 ORDER BY id`, [a.invitationId]);
      const problems: string[] = [];
      let ok = 0;
      for (const op of portalOps) {
        const url = op.path.replace('{token}', b.token);
        let res: { status: number; text: string; body: any };
        if (/submission$/.test(op.path) && op.method === 'post') {
          res = await t.http.post(url).attach('file', zipDir(`${NODE}/broken`), 'b.zip');
        } else if (/attestation$/.test(op.path)) {
          res = await send(t, op.method, url, {}, { fullName: b.name, agreed: true });
        } else if (/feedback$/.test(op.path)) {
          res = await send(t, op.method, url, {}, { clarity: 4, minutesSpent: 90 });
        } else {
          res = await send(t, op.method, url, {}, op.jsonBody ? {} : undefined);
        }
        const text = res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('latin1') : JSON.stringify(res.body));
        if (res.status >= 500) problems.push(`${label(op)} with B's link: ${res.status}`);
        if (res.status < 300) ok++;
        for (const trace of traces()) if (text.includes(trace)) problems.push(`${label(op)} with B's link shows A's ${trace}`);
      }
      expect(problems).toEqual([]);
      // Not vacuous: B's own link works on the portal routes.
      expect(ok).toBeGreaterThanOrEqual(portalOps.length - 1);
      const view = await t.http.get(`/api/v1/portal/${b.token}`);
      expect(view.status).toBe(200);
      expect(JSON.stringify(view.body)).toContain('Dorothy');
      const after = await t.db.query(`SELECT id, status FROM submissions WHERE invitation_id = $1 ORDER BY id`, [a.invitationId]);
      expect(after.map((r: { id: string }) => r.id)).toEqual(before.map((r: { id: string }) => r.id));
      const attestedA = await t.db.query(`SELECT count(*)::int AS n FROM attestations WHERE invitation_id = $1`, [a.invitationId]);
      expect(attestedA[0].n).toBe(1);
    });

    it("a candidate's link is no staff credential: 401 on every staff route", async () => {
      const problems: string[] = [];
      for (const op of ops.filter((o) => !isPortal(o) && !isLogin(o))) {
        const res = await send(t, op.method, fillPath(op.path, { ...fixtures, applicationId: a.applicationId, candidateId: a.candidateId }, { throwaway: throwaway(op) }), auth(a.token), bodyOf(op));
        if (res.status !== 401) problems.push(`${label(op)} with a candidate link as bearer: ${res.status}`);
      }
      expect(problems).toEqual([]);
    });
  });
});
