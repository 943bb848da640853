import { Role } from '../../src/identity/user.entity';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * Hiring teams: who is on an opening's team, and what staff see and change through it (JSON API
 * and pages, against the real PostgreSQL). Pages are called with a bearer token, which the guard
 * accepts like the session cookie (CSRF applies only to cookie-authenticated writes).
 */
describe('hiring teams and scoped access', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    suiteEnv({ PUBLIC_URL: 'https://hiring.test' });
    t = await createTestApp();
    w = await makeWorld(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string, token: string) => t.http.get(url).set(auth(token));
  const put = (url: string, token: string, body: unknown) =>
    t.http
      .put(url)
      .set(auth(token))
      .send(body as object);

  describe('the team of an opening', () => {
    it('lists the owners; the hiring manager names members; refused input is named; only the hiring manager or an admin changes it', async () => {
      const opening = await makeOpening(t, w);
      const url = `/api/v1/openings/${opening.id}/team`;
      const initial = await get(url, w.recruiter.token);
      expect(initial.status).toBe(200);
      expect(initial.body.members.map((m: any) => [m.userId, m.role, m.source])).toEqual([
        [w.manager.id, 'hiring_manager', 'owner'],
        [w.recruiter.id, 'recruiter', 'owner'],
      ]);

      const coordinator = await t.login([Role.Recruiter]);
      const engineer = await t.login([Role.Engineer]);
      const otherManager = await t.login([Role.HiringManager]);

      // The recruiter owner cannot change the team (hiring managers only), an outside hiring manager does not even see it.
      expect((await put(url, w.recruiter.token, { members: [] })).status).toBe(403);
      const outside = await put(url, otherManager.token, { members: [{ userId: otherManager.id, role: 'hiring_manager' }] });
      expect(outside.status).toBe(404);
      expect(outside.body.message).toBe('Opening not found');
      expect((await get(url, otherManager.token)).status).toBe(404);

      const bad = await put(url, w.manager.token, { members: [{ userId: engineer.id, role: 'boss' }] });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toMatch(/role must be one of: recruiter, hiring_manager, coordinator, interviewer/);
      const wrongRole = await put(url, w.manager.token, { members: [{ userId: engineer.id, role: 'hiring_manager' }] });
      expect(wrongRole.status).toBe(400);
      expect(wrongRole.body.message).toMatch(/members\[0\]\.role: hiring_manager needs a user with the hiring_manager role/);
      const twice = await put(url, w.manager.token, {
        members: [
          { userId: engineer.id, role: 'interviewer' },
          { userId: engineer.id, role: 'coordinator' },
        ],
      });
      expect(twice.status).toBe(400);
      expect(twice.body.message).toMatch(/listed twice/);
      const unknown = await put(url, w.manager.token, {
        members: [{ userId: '00000000-0000-4000-8000-000000000000', role: 'interviewer' }],
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/no user 00000000-0000-4000-8000-000000000000/);

      const saved = await put(url, w.manager.token, {
        members: [
          { userId: coordinator.id, role: 'coordinator' },
          { userId: engineer.id, role: 'interviewer' },
          { userId: otherManager.id, role: 'hiring_manager' },
        ],
      });
      expect(saved.status).toBe(200);
      expect(saved.body.members).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ userId: coordinator.id, role: 'coordinator', source: 'member' }),
          expect.objectContaining({ userId: engineer.id, role: 'interviewer', source: 'member' }),
          expect.objectContaining({ userId: otherManager.id, role: 'hiring_manager', source: 'member' }),
          expect.objectContaining({ userId: w.manager.id, role: 'hiring_manager', source: 'owner' }),
        ]),
      );
      // A named hiring manager may now change the team; the engineer member may read it but not change it.
      expect((await get(url, engineer.token)).status).toBe(200);
      expect((await put(url, engineer.token, { members: [] })).status).toBe(403);
      const byNamedManager = await put(url, otherManager.token, {
        members: [
          { userId: otherManager.id, role: 'hiring_manager' },
          { userId: engineer.id, role: 'interviewer' },
        ],
      });
      expect(byNamedManager.status).toBe(200);
      expect(byNamedManager.body.members.some((m: any) => m.userId === coordinator.id)).toBe(false);
      // An admin may change any team.
      expect((await put(url, w.admin.token, { members: [] })).status).toBe(200);
      // A former member is told 403 (the id came to them legitimately), not 404.
      const former = await get(`/api/v1/openings/${opening.id}`, coordinator.token);
      expect(former.status).toBe(403);
      expect(former.body.message).toMatch(/not on the hiring team/);
    });
  });

  describe('members and non-members', () => {
    let openingA: { id: string; title: string };
    let openingB: { id: string; title: string };
    let appA: { id: string };
    let appB: { id: string };
    let candA: { id: string; email: string };
    let interviewer: { token: string; id: string };
    let outsider: Record<'recruiter' | 'manager' | 'engineer', { token: string; id: string }>;
    let otherOwners: World;

    beforeAll(async () => {
      openingA = await makeOpening(t, w);
      candA = await makeCandidate(t, w, { name: 'Annie Teamfixture' });
      appA = await makeApplication(t, w, openingA.id, candA.id);
      // Opening B belongs to other owners.
      otherOwners = { admin: w.admin, recruiter: await t.login([Role.Recruiter]), manager: await t.login([Role.HiringManager]) };
      openingB = await makeOpening(t, otherOwners);
      const candB = await makeCandidate(t, otherOwners, { name: 'Bea Otherteam' });
      appB = await makeApplication(t, otherOwners, openingB.id, candB.id);
      interviewer = await t.login([Role.Engineer]);
      await put(`/api/v1/openings/${openingA.id}/team`, w.manager.token, {
        members: [{ userId: interviewer.id, role: 'interviewer' }],
      }).expect(200);
      outsider = {
        recruiter: await t.login([Role.Recruiter]),
        manager: await t.login([Role.HiringManager]),
        engineer: await t.login([Role.Engineer]),
      };
    });

    it('a member sees the opening, its applications and candidates, in lists too; a non-member gets 404 and empty lists', async () => {
      expect((await get(`/api/v1/applications/${appA.id}`, interviewer.token)).status).toBe(200);
      expect((await get(`/api/v1/applications/${appB.id}`, interviewer.token)).status).toBe(404);
      const list = await get('/api/v1/applications', interviewer.token);
      expect(list.body.map((a: any) => a.id)).toContain(appA.id);
      expect(list.body.map((a: any) => a.id)).not.toContain(appB.id);

      const openings = await get('/api/v1/openings', w.recruiter.token);
      expect(openings.body.map((o: any) => o.id)).toContain(openingA.id);
      expect(openings.body.map((o: any) => o.id)).not.toContain(openingB.id);
      const all = await get('/api/v1/openings', w.admin.token);
      expect(all.body.map((o: any) => o.id)).toEqual(expect.arrayContaining([openingA.id, openingB.id]));

      for (const who of Object.values(outsider)) {
        expect((await get(`/api/v1/applications/${appA.id}/events`, who.token)).status).toBe(404);
        expect((await get(`/api/v1/applications?openingId=${openingA.id}`, who.token)).status).toBe(404);
        const theirList = await get('/api/v1/applications', who.token);
        expect(theirList.body.map((a: any) => a.id)).not.toContain(appA.id);
      }
      const opening404 = await get(`/api/v1/openings/${openingA.id}`, outsider.recruiter.token);
      expect(opening404.status).toBe(404);
      expect(opening404.body.message).toBe('Opening not found');
      expect((await get(`/api/v1/candidates/${candA.id}`, outsider.recruiter.token)).status).toBe(404);
      expect((await get(`/api/v1/candidates/${candA.id}`, w.recruiter.token)).status).toBe(200);
      expect((await get(`/api/v1/candidates?email=${encodeURIComponent(candA.email)}`, outsider.recruiter.token)).body).toEqual([]);
      expect((await get(`/api/v1/candidates?email=${encodeURIComponent(candA.email)}`, w.recruiter.token)).body).toHaveLength(1);
      // Writes too: the outsider's transition never reaches the application.
      const move = await t.http
        .post(`/api/v1/applications/${appA.id}/transitions`)
        .set(auth(outsider.manager.token))
        .send({ to: 'manager_call' });
      expect(move.status).toBe(404);
      const [row] = await t.db.query(`SELECT stage FROM applications WHERE id = $1`, [appA.id]);
      expect(row.stage).toBe('recruiter_screen');
      // A new application for an opening one is not on: 404 naming the opening.
      const cand = await makeCandidate(t, w);
      const create = await t.http
        .post('/api/v1/applications')
        .set(auth(outsider.recruiter.token))
        .send({ candidateId: cand.id, openingId: openingA.id });
      expect(create.status).toBe(404);
      expect(create.body.message).toBe('Opening not found');
      // The team is checked before the body is validated (the check runs in the move's and the
      // create's own read, in a route guard): an outsider's malformed request is a 404 too, not a 400.
      const badMove = await t.http.post(`/api/v1/applications/${appA.id}/transitions`).set(auth(outsider.manager.token)).send({});
      expect(badMove.status).toBe(404);
      const badCreate = await t.http
        .post('/api/v1/applications')
        .set(auth(outsider.recruiter.token))
        .send({ candidateId: 'not-a-uuid', openingId: openingA.id });
      expect(badCreate.status).toBe(404);
      // The same malformed requests from the team are validation errors.
      expect((await t.http.post(`/api/v1/applications/${appA.id}/transitions`).set(auth(w.manager.token)).send({})).status).toBe(400);
    });

    it('insights count only the caller’s teams', async () => {
      const totalOf = (body: any) => body.totals.applications as number;
      const admin = await get('/api/v1/insights/funnel', w.admin.token);
      const owner = await get('/api/v1/insights/funnel', w.manager.token);
      const stranger = await get('/api/v1/insights/funnel', outsider.manager.token);
      expect(admin.status).toBe(200);
      expect(totalOf(stranger.body)).toBe(0);
      expect(totalOf(owner.body)).toBeGreaterThan(0);
      expect(totalOf(owner.body)).toBeLessThan(totalOf(admin.body));
      expect((await get(`/api/v1/insights/flow?openingId=${openingA.id}`, outsider.recruiter.token)).status).toBe(404);
    });

    it('pages: the application page and the board answer 404 off the team; the dashboard lists only the own openings', async () => {
      const page = await get(`/dashboard/applications/${appA.id}`, interviewer.token);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Annie Teamfixture');
      const denied = await get(`/dashboard/applications/${appA.id}`, outsider.engineer.token);
      expect(denied.status).toBe(404);
      expect(denied.text).not.toContain('Annie Teamfixture');
      expect((await get(`/dashboard/openings/${openingA.id}`, outsider.manager.token)).status).toBe(404);
      expect((await get(`/dashboard/openings/${openingA.id}`, w.manager.token)).status).toBe(200);
      expect((await get(`/screening/${appA.id}`, outsider.recruiter.token)).status).toBe(404);
      const home = await get('/dashboard', otherOwners.manager.token);
      expect(home.status).toBe(200);
      expect(home.text).toContain(openingB.title);
      expect(home.text).not.toContain(openingA.title);
    });

    it('owners and templates: only the opening’s hiring manager changes it; only its recruiter or hiring manager overrides templates', async () => {
      const coordinator = await t.login([Role.Recruiter]);
      const namedManager = await t.login([Role.HiringManager]);
      await put(`/api/v1/openings/${openingA.id}/team`, w.manager.token, {
        members: [
          { userId: interviewer.id, role: 'interviewer' },
          { userId: coordinator.id, role: 'coordinator' },
          { userId: namedManager.id, role: 'interviewer' },
        ],
      }).expect(200);
      const patch = (token: string) =>
        t.http.patch(`/api/v1/openings/${openingA.id}`).set(auth(token)).send({ hiringManagerId: outsider.manager.id });
      expect((await patch(outsider.manager.token)).status).toBe(404);
      const asInterviewer = await patch(namedManager.token);
      expect(asInterviewer.status).toBe(403);
      expect(asInterviewer.body.message).toMatch(
        /Only the hiring manager on this opening's hiring team \(or an admin\) can change the opening or its owners/,
      );
      const [owners] = await t.db.query(`SELECT hiring_manager_id FROM openings WHERE id = $1`, [openingA.id]);
      expect(owners.hiring_manager_id).toBe(w.manager.id);

      const tpl = `/api/v1/openings/${openingA.id}/templates/stage_changed`;
      const body = { subject: 'Update', html: '<p>Hello {{candidate.firstName}}</p>', text: 'Hello {{candidate.firstName}}' };
      expect((await put(tpl, outsider.recruiter.token, body)).status).toBe(404);
      const coord = await put(tpl, coordinator.token, body);
      expect(coord.status).toBe(403);
      expect(coord.body.message).toMatch(/Only the recruiter or hiring manager on this opening's hiring team/);
      expect((await put(tpl, w.recruiter.token, body)).status).toBe(200);
    });

    it('templates: {{portalUrl}} in a link to another site is refused with 422 naming it; a link to the product is accepted', async () => {
      const tpl = `/api/v1/openings/${openingA.id}/templates/take_home_invitation`;
      const base = { subject: 'Your take-home', text: 'Start here: {{portalUrl}}' };
      const offsite = await put(tpl, w.recruiter.token, {
        ...base,
        html: '<p><a href="https://evil.example.net/start?u={{portalUrl}}">Start</a></p>',
      });
      expect(offsite.status).toBe(422);
      expect(offsite.body.message).toMatch(
        /\{\{portalUrl\}\} is inside a link to "https:\/\/evil\.example\.net\/start\?u=\{\{portalUrl\}\}"; link variables may only be used in links to https:\/\/hiring\.test/,
      );
      const glued = await put(tpl, w.recruiter.token, {
        ...base,
        html: '<p><a href="{{portalUrl}}">Start</a></p>',
        text: 'Start: https://evil.example.net/?next={{portalUrl}}',
      });
      expect(glued.status).toBe(422);
      expect(glued.body.message).toMatch(/text: \{\{portalUrl\}\} is glued into the address/);
      const listed = await get(`/api/v1/openings/${openingA.id}/templates`, w.recruiter.token);
      expect(listed.body.find((x: any) => x.key === 'take_home_invitation').overridden).toBe(false);
      const ok = await put(tpl, w.recruiter.token, {
        ...base,
        html: '<p><a href="{{portalUrl}}">Start the take-home</a> · <a href="https://hiring.test/help">Help</a></p>',
      });
      expect(ok.status).toBe(200);
      expect(ok.body.preview.html).toContain('href="https://hiring.example.com/portal/');
    });
  });

  describe('the code review outcome', () => {
    it('the page route and the JSON route: only the assigned reviewer or the opening’s hiring manager; others 403, non-members 404', async () => {
      const opening = await makeOpening(t, w);
      const cand = await makeCandidate(t, w, { name: 'Rita Reviewfixture' });
      const app = await makeApplication(t, w, opening.id, cand.id);
      const reviewer = await t.login([Role.Engineer]);
      await put(`/api/v1/users/${reviewer.id}/reviewer-profile`, reviewer.token, {
        languages: ['haskell'],
        timezone: 'UTC',
        workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
      }).expect(200);
      await t.http
        .post(`/api/v1/applications/${app.id}/exemptions`)
        .set(auth(w.recruiter.token))
        .send({ kind: 'public_code', url: 'https://github.com/example/hs', reason: 'Public Haskell library', language: 'haskell' })
        .expect(201);
      const [review] = await t.db.query(`SELECT id, reviewer_id FROM review_sessions WHERE application_id = $1`, [app.id]);
      expect(review.reviewer_id).toBe(reviewer.id);

      const colleague = await t.login([Role.Engineer]);
      await put(`/api/v1/openings/${opening.id}/team`, w.manager.token, {
        members: [{ userId: colleague.id, role: 'interviewer' }],
      }).expect(200);
      const stranger = await t.login([Role.Engineer]);
      const messagesBefore = (await t.db.query(`SELECT count(*)::int AS n FROM messages WHERE application_id = $1`, [app.id]))[0].n;
      const pagePost = (token: string, decision: string) =>
        t.http.post(`/reviews/${review.id}/outcome`).set(auth(token)).type('form').send({ decision, notes: 'Not convinced' });

      // The finding: a second engineer's post through the page rejected the candidate. Now refused.
      const byColleague = await pagePost(colleague.token, 'reject');
      expect(byColleague.status).toBe(403);
      // The page answers with the review page again, saying why nothing was recorded.
      expect(byColleague.text).toMatch(
        /Not recorded:<\/strong> Only the assigned reviewer or the opening(&#x27;|')s hiring manager can record the outcome/,
      );
      const byColleagueJson = await t.http
        .post(`/api/v1/reviews/${review.id}/outcome`)
        .set(auth(colleague.token))
        .send({ decision: 'reject', notes: 'x' });
      expect(byColleagueJson.status).toBe(403);
      expect((await pagePost(stranger.token, 'reject')).status).toBe(404);
      expect((await get(`/reviews/${review.id}`, stranger.token)).status).toBe(404);
      let [state] = await t.db.query(
        `SELECT a.status, r.decision FROM applications a JOIN review_sessions r ON r.application_id = a.id WHERE r.id = $1`,
        [review.id],
      );
      expect(state).toEqual({ status: 'active', decision: null });
      // No rejection e-mail to the candidate, no rejection event.
      expect((await t.db.query(`SELECT count(*)::int AS n FROM messages WHERE application_id = $1`, [app.id]))[0].n).toBe(messagesBefore);
      expect(
        (
          await t.db.query(
            `SELECT count(*)::int AS n FROM application_events WHERE application_id = $1 AND type = 'application.rejected'`,
            [app.id],
          )
        )[0].n,
      ).toBe(0);

      // The assigned reviewer decides through the page.
      const byReviewer = await pagePost(reviewer.token, 'advance');
      expect(byReviewer.status).toBe(303);
      // Back to the review page, at its outcome with the confirmation.
      expect(byReviewer.headers.location).toBe(`/reviews/${review.id}?decided=1#outcome`);
      [state] = await t.db.query(
        `SELECT a.status, r.decision FROM applications a JOIN review_sessions r ON r.application_id = a.id WHERE r.id = $1`,
        [review.id],
      );
      expect(state).toEqual({ status: 'active', decision: 'advance' });
      // The reviewer, once booked, is on the team: they see the application.
      expect((await get(`/api/v1/applications/${app.id}`, reviewer.token)).status).toBe(200);
    });

    it("the opening's hiring manager may decide a review they are not assigned to", async () => {
      const opening = await makeOpening(t, w);
      const cand = await makeCandidate(t, w);
      const app = await makeApplication(t, w, opening.id, cand.id);
      const reviewer = await t.login([Role.Engineer]);
      await put(`/api/v1/users/${reviewer.id}/reviewer-profile`, reviewer.token, {
        languages: ['ocaml'],
        timezone: 'UTC',
        workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
      }).expect(200);
      await t.http
        .post(`/api/v1/applications/${app.id}/exemptions`)
        .set(auth(w.recruiter.token))
        .send({ kind: 'public_code', url: 'https://github.com/example/ml', reason: 'Public OCaml code', language: 'ocaml' })
        .expect(201);
      const [review] = await t.db.query(`SELECT id FROM review_sessions WHERE application_id = $1`, [app.id]);
      const otherManager = await t.login([Role.HiringManager]);
      expect(
        (await t.http.post(`/api/v1/reviews/${review.id}/outcome`).set(auth(otherManager.token)).send({ decision: 'reject', notes: 'x' }))
          .status,
      ).toBe(404);
      const res = await t.http
        .post(`/api/v1/reviews/${review.id}/outcome`)
        .set(auth(w.manager.token))
        .send({ decision: 'reject', notes: 'Does not fit the role' });
      expect(res.status).toBe(200);
      const [a] = await t.db.query(`SELECT status FROM applications WHERE id = $1`, [app.id]);
      expect(a.status).toBe('rejected');
    });
  });
});
