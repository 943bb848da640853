import Docker from 'dockerode';
import { randomBytes, randomUUID } from 'node:crypto';
import { buildAllSandboxImages } from '../../src/sandbox';
import { tarGzDir, zipDir } from '../fixtures/assignments/pack';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';
import { errorShapeProblem, Fixtures, GUARD_FORBIDDEN, loadDoc, Operation, operations, send } from '../support/hostile-openapi';
import { fill, MatrixFixtures, RouteRow, routerRows } from '../support/route-matrix';

/**
 * Authorization matrix over every route the app serves, pages included: the rows come from the
 * Express router itself (test/support/route-matrix.ts), each joined to its handler's metadata
 * (@Public / @Roles as AuthGuard reads them, default admin-only; the team scope from its
 * @TeamScoped/@Unscoped marker or the rules TeamScopeGuard infers from the path). Personas: each
 * staff role as a member of the fixture opening's hiring team and as a non-member, an admin,
 * anonymous, and a candidate's link. Expectations derive from that metadata only, so a route added
 * later joins the matrix: a role the route does not declare gets the guard's 403; a non-member
 * gets 404 on a route scoped to the fixture opening's things, and no 2xx answer shows them its
 * data; a member never gets a 404 where an admin does not. Writes by members and admins run on
 * throwaway random ids (they would change the shared fixtures); non-members' writes run on the
 * real ids, since they must be refused before the handler. Logout rows run on throwaway users.
 * The portal sections below use the OpenAPI document for the candidate-facing JSON routes.
 */

interface Persona {
  name: string;
  role: Role;
  member: boolean;
  token: string;
}

describe('authorization matrix (from the router, pages included, with hiring-team scope)', () => {
  let t: TestApp;
  let w: World;
  let ops: Operation[];
  let rows: RouteRow[];
  let fixtures: Fixtures;
  let mf: MatrixFixtures;
  let openingTitle: string;
  const tokens = {} as Record<Role, string>;
  const personas: Persona[] = [];
  /** What an admin got on each GET row with real ids: the baseline for "exists". */
  const adminStatus = new Map<string, number>();

  beforeAll(async () => {
    suiteEnv();
    t = await createTestApp();
    w = await makeWorld(t);
    tokens[Role.Admin] = w.admin.token;
    tokens[Role.Recruiter] = w.recruiter.token;
    tokens[Role.HiringManager] = w.manager.token;
    const opening = await makeOpening(t, w);
    openingTitle = opening.title;
    const candidate = await makeCandidate(t, w, { name: 'Grace Matrixfixture' });
    const application = await makeApplication(t, w, opening.id, candidate.id);
    // A code review on the application (booked with the one engineer who reviews python).
    const reviewer = await t.login([Role.Engineer]);
    await t.http
      .put(`/api/v1/users/${reviewer.id}/reviewer-profile`)
      .set(auth(reviewer.token))
      .send({ languages: ['python'], timezone: 'UTC', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } })
      .expect(200);
    await t.http
      .post(`/api/v1/applications/${application.id}/exemptions`)
      .set(auth(w.recruiter.token))
      .send({ kind: 'public_code', url: 'https://github.com/example/lib', reason: 'Public library', language: 'python' })
      .expect(201);
    const [review] = await t.db.query(`SELECT id FROM review_sessions WHERE application_id = $1`, [application.id]);
    expect(review).toBeDefined();
    // The engineer member is named on the team (not the reviewer, so the review is not theirs to decide).
    const engineerMember = await t.login([Role.Engineer]);
    tokens[Role.Engineer] = engineerMember.token;
    await t.http
      .put(`/api/v1/openings/${opening.id}/team`)
      .set(auth(w.manager.token))
      .send({ members: [{ userId: engineerMember.id, role: 'interviewer' }] })
      .expect(200);
    fixtures = {
      openingId: opening.id,
      candidateId: candidate.id,
      applicationId: application.id,
      userId: w.manager.id,
      portalToken: randomBytes(32).toString('base64url'),
    };
    mf = { openingId: opening.id, candidateId: candidate.id, applicationId: application.id, reviewId: review.id, userId: w.manager.id };
    personas.push({ name: 'admin', role: Role.Admin, member: false, token: w.admin.token });
    for (const role of [Role.Recruiter, Role.HiringManager, Role.Engineer])
      personas.push({ name: `${role} not on the team`, role, member: false, token: (await t.login([role])).token });
    personas.push({ name: 'recruiter on the team (owner)', role: Role.Recruiter, member: true, token: w.recruiter.token });
    personas.push({ name: 'hiring_manager on the team (owner)', role: Role.HiringManager, member: true, token: w.manager.token });
    personas.push({ name: 'engineer on the team (interviewer)', role: Role.Engineer, member: true, token: engineerMember.token });
    ops = operations(await loadDoc(t));
    rows = routerRows(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  const isPortal = (op: Operation) => op.path.startsWith('/api/v1/portal/');
  const bodyOf = (op: Operation) => (op.jsonBody ? {} : undefined);
  const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;
  const rowLabel = (r: RouteRow) => `${r.method.toUpperCase()} ${r.path} [${r.handler}]`;
  const declared = (r: RouteRow) =>
    `roles: ${r.public ? 'public' : r.roles.join(',')}; scope: ${r.scope.length ? r.scope.map((s) => `${s.kind}(:${s.field})`).join(',') : 'none'}`;
  /** What a non-member must never see in a 2xx answer. */
  const traces = () => [mf.openingId, mf.applicationId, mf.candidateId, mf.reviewId, 'Matrixfixture', openingTitle];

  it('reads every route from the router, pages included, with roles and scope', () => {
    expect(rows.length).toBeGreaterThan(100);
    const keys = rows.map((r) => `${r.method} ${r.path}`);
    // Page controllers are rows too (not in the OpenAPI document).
    for (const k of [
      'post /reviews/:id/outcome',
      'get /reviews/:id',
      'get /dashboard/applications/:id',
      'get /dashboard/openings/:id',
      'get /screening/:applicationId',
      'put /api/v1/openings/:id/team',
    ])
      expect(keys).toContain(k);
    const missingFromOpenApi = rows.filter(
      (r) => r.api && !ops.some((o) => o.method === r.method && o.path.replace(/\{(\w+)\}/g, ':$1') === r.path),
    );
    expect(missingFromOpenApi.map(rowLabel)).toEqual([]);
    // Every staff route on a team-owned thing carries a scope.
    const find = (k: string) => rows.find((r) => `${r.method} ${r.path}` === k)!;
    expect(find('post /reviews/:id/outcome').scope).toEqual([{ kind: 'review', field: 'id', from: 'param' }]);
    expect(find('get /api/v1/applications/:id/events').scope[0].kind).toBe('application');
    expect(find('get /screening/:applicationId').scope[0].kind).toBe('application');
    const publicRows = rows.filter((r) => r.public).map(rowLabel);
    expect(
      publicRows
        .filter((l) => l.startsWith('POST /api/v1/') || l.startsWith('GET /api/v1/'))
        .filter((l) => !/\/api\/v1\/(portal\/|auth\/login|careers\/)/.test(l)),
    ).toEqual([]);
  });

  it('anonymous: 401 on every staff route (pages too), never on a public one, never a 500', async () => {
    const problems: string[] = [];
    for (const row of rows) {
      const { url } = fill(row, mf, row.method !== 'get');
      const res = await send(t, row.method, url, {}, row.method === 'get' ? undefined : {});
      const where = `${rowLabel(row)} as anonymous (${declared(row)})`;
      if (row.api) {
        const shape = errorShapeProblem(res.status, res.body);
        if (shape) problems.push(`${where}: ${res.status} ${shape}`);
      }
      if (res.status >= 500) problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
      else if (row.public && res.status === 401 && !/\/login$/.test(row.path)) problems.push(`${where}: 401 on a public route`);
      else if (!row.public && res.status !== 401) problems.push(`${where}: expected 401, got ${res.status}`);
    }
    expect(problems).toEqual([]);
  });

  const runPersona = async (p: Persona) => {
    const problems: string[] = [];
    let ok = 0;
    let scoped404 = 0;
    for (const row of rows) {
      if (row.public) continue;
      const allowed = row.roles.includes(p.role);
      // Members' and admins' writes would change the shared fixtures: random ids for them.
      const throwaway = row.method !== 'get' && (p.member || p.role === Role.Admin);
      const { url, realScopedId, allReal } = fill(row, mf, throwaway);
      const token = /logout/.test(row.path) ? (await t.login([p.role])).token : p.token;
      const res = await send(t, row.method, url, auth(token), row.method === 'get' ? undefined : {});
      const where = `${rowLabel(row)} as ${p.name} (${declared(row)})`;
      if (row.api) {
        const shape = errorShapeProblem(res.status, res.body);
        if (shape) problems.push(`${where}: ${res.status} ${shape}`);
      }
      if (res.status >= 500) {
        problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      if (res.status < 300) ok++;
      const guardDenied = res.status === 403 && GUARD_FORBIDDEN.test(String(res.body?.message));
      if (res.status === 401) problems.push(`${where}: 401 with a valid token`);
      if (!allowed) {
        if (!guardDenied)
          problems.push(`${where}: expected the role guard's 403, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        continue;
      }
      if (guardDenied) problems.push(`${where}: denied by the role guard although the role is declared`);
      const key = `${row.method} ${row.path}`;
      if (p.role === Role.Admin) {
        if (row.method === 'get' && allReal) adminStatus.set(key, res.status);
        continue;
      }
      if (!p.member && realScopedId) {
        if (res.status !== 404)
          problems.push(`${where}: not on the opening's team, expected 404, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        else scoped404++;
      }
      if (p.member && res.status === 404 && adminStatus.has(key) && adminStatus.get(key) !== 404) {
        problems.push(`${where}: on the opening's team, got 404 where an admin got ${adminStatus.get(key)}`);
      }
      if (!p.member && res.status < 300) {
        const text = res.text ?? JSON.stringify(res.body);
        for (const trace of traces())
          if (text.includes(trace)) problems.push(`${where}: not on the team, but the answer shows the team's ${trace}`);
      }
    }
    return { problems, ok, scoped404 };
  };

  it.each([
    ['admin', 0],
    ['recruiter not on the team', 1],
    ['hiring_manager not on the team', 2],
    ['engineer not on the team', 3],
    ['recruiter on the team (owner)', 4],
    ['hiring_manager on the team (owner)', 5],
    ['engineer on the team (interviewer)', 6],
  ])('%s: the role guard where the route does not declare the role, 404 off the team, never a 500 or 401', async (_name, i) => {
    const p = personas[i as number];
    const { problems, ok, scoped404 } = await runPersona(p);
    expect(problems).toEqual([]);
    // Not vacuous: real ids reach handlers, and non-members meet the scope on many rows.
    expect(ok).toBeGreaterThan(5);
    if (!p.member && p.role !== Role.Admin) expect(scoped404).toBeGreaterThan(5);
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
          if (res.text.includes(fixtures.candidateId) || /Grace Hopper|Matrixfixture/.test(res.text))
            problems.push(`${where}: leaked candidate data`);
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
      const created = await t.http
        .post('/api/v1/assignments')
        .set(auth(w.manager.token))
        .send({ title: 'Word frequencies', runtime: 'node', instructions: 'Count words.' });
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
        for (const to of ['manager_call', 'take_home'])
          await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to });
        const res = await t.http
          .post(`/api/v1/applications/${app.id}/invitations`)
          .set(auth(w.recruiter.token))
          .send({ assignmentId: created.body.id });
        expect(res.status).toBe(201);
        return {
          name,
          email,
          candidateId: candidate.id,
          applicationId: app.id,
          invitationId: res.body.id,
          token: String(res.body.portalUrl).split('/').pop()!,
        };
      };
      a = await invite('Katherine Johnson');
      b = await invite('Dorothy Vaughan');
      expect((await t.http.post(`/api/v1/portal/${a.token}/attestation`).send({ fullName: a.name, agreed: true })).status).toBeLessThan(
        300,
      );
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
      // Not vacuous: B's own link works on the portal routes (self-scheduling writes need a booked
      // review or an open offer, which B has not, so they answer 4xx here and are not counted).
      const needsBooking = (op: Operation) => op.method !== 'get' && /\/(slots|interview-slots)$/.test(op.path);
      expect(ok).toBeGreaterThanOrEqual(portalOps.filter((op) => !needsBooking(op)).length);
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
      for (const row of rows.filter((r) => !r.public)) {
        const { url } = fill(row, { ...mf, applicationId: a.applicationId, candidateId: a.candidateId }, row.method !== 'get');
        const res = await send(t, row.method, url, auth(a.token), row.method === 'get' ? undefined : {});
        if (res.status !== 401) problems.push(`${rowLabel(row)} with a candidate link as bearer: ${res.status}`);
      }
      expect(problems).toEqual([]);
    });
  });
});
