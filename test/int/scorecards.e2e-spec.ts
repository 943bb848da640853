import { Clock } from '../../src/common/clock/clock';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

type Person = { token: string; id: string; email: string };

/**
 * Scorecards through the HTTP API against a real PostgreSQL: filing rights, no anchoring, the
 * decision rule gating offers (and an admin's override), the feedback SLA through the sweep, and
 * the anonymous review packet.
 */
describe('scorecards and the decision', () => {
  let t: TestApp;
  let w: World;
  let clock: Clock;
  let e1: Person, e2: Person, e3: Person, reviewer: Person;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    w = await makeWorld(t);
    [e1, e2, e3, reviewer] = [
      await t.login([Role.Engineer]),
      await t.login([Role.Engineer]),
      await t.login([Role.Engineer]),
      await t.login([Role.Engineer]),
    ];
    clock = t.app.get(Clock);
    clock.set(new Date('2027-03-08T12:00:00Z')); // Monday
  });
  afterAll(async () => {
    clock?.reset();
    await t?.close();
  });

  const interview = async (appId: string, kind: string, ids: string[], startsAt: string, endsAt: string): Promise<string> =>
    (
      await t.db.query(
        `INSERT INTO interview_sessions (application_id, kind, interviewer_ids, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5, $4) RETURNING id`,
        [appId, kind, ids, startsAt, endsAt],
      )
    )[0].id;
  const review = async (appId: string, reviewerId: string, startsAt: string, endsAt: string): Promise<string> =>
    (
      await t.db.query(
        `INSERT INTO review_sessions (dedupe_key, application_id, reviewer_id, language, starts_at, ends_at, created_at) VALUES ($1, $2, $3, 'python', $4, $5, $4) RETURNING id`,
        [`test:${appId}:${reviewerId}:${startsAt}`, appId, reviewerId, startsAt, endsAt],
      )
    )[0].id;
  const newApp = async (openingId: string, candidate: Record<string, unknown> = {}) => {
    const c = await makeCandidate(t, w, { name: 'Katherine Johnson', ...candidate });
    return { ...(await makeApplication(t, w, openingId, c.id)), candidate: c };
  };
  const teamCard = (recommendation: string, notes = 'Explained trade-offs clearly') => ({
    ratings: [
      { competency: 'communication', score: 3 },
      { competency: 'working_with_others', score: 4 },
    ],
    recommendation,
    notes,
  });
  const fileInterview = (sessionId: string, who: Person, body: object) =>
    t.http.post(`/api/v1/interviews/${sessionId}/scorecards`).set(auth(who.token)).send(body);
  const events = async (appId: string) =>
    (await t.http.get(`/api/v1/applications/${appId}/events`).set(auth(w.recruiter.token))).body as Array<{ type: string; data: any }>;

  it('sets the competencies and the rule per opening, with defaults from the article, and refuses culture fit', async () => {
    const opening = await makeOpening(t, w);
    // e1 is on the hiring team: outside it the opening would answer 404 (hiring-team scope).
    await t.http
      .put(`/api/v1/openings/${opening.id}/team`)
      .set(auth(w.manager.token))
      .send({ members: [{ userId: e1.id, role: 'interviewer' }] })
      .expect(200);
    const defaults = await t.http.get(`/api/v1/openings/${opening.id}/scorecard`).set(auth(e1.token));
    expect(defaults.status).toBe(200);
    expect(defaults.body.competencies.map((c: { name: string }) => c.name)).toEqual([
      'Communication',
      'Technical skills',
      'Working with others',
    ]);
    expect(defaults.body.competencies[0].rubric).toHaveLength(4);
    expect(defaults.body.decisionRule).toBe('no_strong_no_and_one_strong_yes');

    const culture = await t.http
      .put(`/api/v1/openings/${opening.id}/scorecard`)
      .set(auth(w.manager.token))
      .send({ competencies: [{ name: 'Communication' }, { name: 'Culture fit' }], decisionRule: 'majority_yes' });
    expect(culture.status).toBe(422);
    expect(culture.body.message).toMatch(/Culture fit.*homogeneous team/);
    const badRule = await t.http
      .put(`/api/v1/openings/${opening.id}/scorecard`)
      .set(auth(w.manager.token))
      .send({ competencies: [{ name: 'Communication' }], decisionRule: 'vibes' });
    expect(badRule.status).toBe(400);
    expect(JSON.stringify(badRule.body)).toMatch(/decisionRule/);
    expect(
      (
        await t.http
          .put(`/api/v1/openings/${opening.id}/scorecard`)
          .set(auth(e1.token))
          .send({ competencies: [{ name: 'Communication' }], decisionRule: 'majority_yes' })
      ).status,
    ).toBe(403);

    const set = await t.http
      .put(`/api/v1/openings/${opening.id}/scorecard`)
      .set(auth(w.manager.token))
      .send({
        competencies: [
          { name: 'Communication', rubric: ['Unclear', 'Patchy', 'Clear', 'Crisp'] },
          { key: 'sql', name: 'SQL', appliesTo: ['pairing'] },
        ],
        decisionRule: 'unanimous_yes',
        feedbackDueBusinessHours: 8,
      });
    expect(set.status).toBe(200);
    const read = (await t.http.get(`/api/v1/openings/${opening.id}/scorecard`).set(auth(w.recruiter.token))).body;
    expect(read).toMatchObject({
      decisionRule: 'unanimous_yes',
      feedbackDueBusinessHours: 8,
      competencies: [
        { key: 'communication', rubric: ['Unclear', 'Patchy', 'Clear', 'Crisp'] },
        { key: 'sql', appliesTo: ['pairing'] },
      ],
    });
  });

  it("only the people on a session file its scorecard; until you file you see nobody else's; amendments keep history", async () => {
    const opening = await makeOpening(t, w);
    const app = await newApp(opening.id);
    const pairing = await interview(app.id, 'team_conversation', [e1.id, e2.id], '2027-03-03T14:00:00Z', '2027-03-03T15:00:00Z');
    const later = await interview(app.id, 'team_conversation', [e3.id], '2027-03-10T14:00:00Z', '2027-03-10T15:00:00Z');

    // Filing rights.
    expect((await fileInterview(pairing, e3, teamCard('yes'))).status).toBe(403);
    expect((await fileInterview(pairing, w.recruiter as Person, teamCard('yes'))).status).toBe(403);
    expect((await fileInterview('00000000-0000-4000-8000-000000000000', e1, teamCard('yes'))).status).toBe(404);
    const missing = await fileInterview(pairing, e1, { ratings: [{ competency: 'communication', score: 3 }], recommendation: 'yes' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/Missing a score for: Working with others/);
    const outOfRange = await fileInterview(pairing, e1, {
      ...teamCard('yes'),
      ratings: [
        { competency: 'communication', score: 5 },
        { competency: 'working_with_others', score: 4 },
      ],
    });
    expect(outOfRange.status).toBe(400);
    expect((await fileInterview(pairing, e1, { ...teamCard('maybe') })).status).toBe(400);
    const early = await fileInterview(later, e3, teamCard('yes'));
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/has not started yet/);

    const first = await fileInterview(pairing, e1, teamCard('strong_yes', 'Walked us through the schema design'));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, recommendation: 'strong_yes', amended: false });

    // No anchoring: e2 sits on the same interview but has not filed.
    const e2View = await t.http.get(`/api/v1/applications/${app.id}/scorecards`).set(auth(e2.token));
    expect(e2View.status).toBe(200);
    expect(e2View.body).toMatchObject({ seesAll: false, hiddenCount: 1, scorecards: [] });
    const e2Decision = (await t.http.get(`/api/v1/applications/${app.id}/decision`).set(auth(e2.token))).body;
    expect(e2Decision.counts).toBeNull();
    expect(e2Decision.reason).toMatch(/File your scorecard first/);
    expect(JSON.stringify(e2Decision)).not.toMatch(/strong_yes"?\s*:\s*1/);
    // The hiring manager and admins see everything.
    for (const who of [w.manager, w.admin]) {
      const all = (await t.http.get(`/api/v1/applications/${app.id}/scorecards`).set(auth(who.token))).body;
      expect(all.scorecards.map((c: { authorId: string }) => c.authorId)).toEqual([e1.id]);
      expect(all.scorecards[0].notes).toBe('Walked us through the schema design');
    }
    expect((await t.http.get(`/api/v1/applications/${app.id}/decision`).set(auth(w.manager.token))).body.counts).toEqual({
      strong_no: 0,
      no: 0,
      yes: 0,
      strong_yes: 1,
    });

    // After filing, e2 sees the others'.
    expect((await fileInterview(pairing, e2, teamCard('no', 'Struggled to explain the indexes'))).status).toBe(201);
    const after = (await t.http.get(`/api/v1/applications/${app.id}/scorecards`).set(auth(e2.token))).body;
    expect(after.seesAll).toBe(true);
    expect(after.scorecards.map((c: { authorId: string }) => c.authorId).sort()).toEqual([e1.id, e2.id].sort());

    // Amend: a new version, the old one kept.
    const amended = await fileInterview(pairing, e1, teamCard('yes', 'On reflection: good, not exceptional'));
    expect(amended.status).toBe(201);
    expect(amended.body).toMatchObject({ version: 2, amended: true, recommendation: 'yes' });
    const mine = (await t.http.get(`/api/v1/applications/${app.id}/scorecards`).set(auth(e1.token))).body.scorecards.find(
      (c: { authorId: string }) => c.authorId === e1.id,
    );
    expect(mine.history.map((v: { version: number; recommendation: string }) => [v.version, v.recommendation])).toEqual([
      [1, 'strong_yes'],
      [2, 'yes'],
    ]);
    const timeline = (await events(app.id)).filter((e) => e.type.startsWith('scorecard.'));
    expect(timeline.map((e) => e.type)).toEqual(['scorecard.filed', 'scorecard.filed', 'scorecard.amended']);
    // The timeline never carries the recommendation (no anchoring through the back door).
    expect(JSON.stringify(timeline)).not.toMatch(/strong_yes|recommendation/);
  });

  it('the offer waits for the decision rule (422 naming it); an admin may override with a reason, on the timeline', async () => {
    const opening = await makeOpening(t, w);
    await t.http
      .put(`/api/v1/openings/${opening.id}/scorecard`)
      .set(auth(w.manager.token))
      .send({ competencies: [{ name: 'Communication' }, { name: 'Working with others' }], decisionRule: 'majority_yes' })
      .expect(200);
    const app = await newApp(opening.id);
    const a = await interview(app.id, 'team_conversation', [e1.id, e2.id], '2027-03-04T14:00:00Z', '2027-03-04T15:00:00Z');
    const b = await interview(app.id, 'manager_conversation', [e3.id], '2027-03-04T15:15:00Z', '2027-03-04T16:00:00Z');
    const offer = (who: { token: string }, extra: object = {}) =>
      t.http
        .post(`/api/v1/applications/${app.id}/offers`)
        .set(auth(who.token))
        .send({ amount: 100000, currency: 'EUR', ...extra });

    const none = await offer(w.manager);
    expect(none.status).toBe(422);
    expect(none.body.message).toMatch(/A majority says yes.*\(majority_yes\).*Waiting for 3 of 3/);
    expect(none.body.rule).toBe('majority_yes');
    expect((await t.http.get(`/api/v1/applications/${app.id}/decision`).set(auth(w.recruiter.token))).body).toMatchObject({
      rule: 'majority_yes',
      satisfied: false,
      expected: 3,
      filed: 0,
    });

    await fileInterview(a, e1, teamCard('yes')).expect(201);
    await fileInterview(a, e2, teamCard('no')).expect(201);
    const halfway = await offer(w.manager);
    expect(halfway.status).toBe(422);
    expect(halfway.body.message).toMatch(/Waiting for 1 of 3/);
    await fileInterview(b, e3, teamCard('strong_no')).expect(201);
    const split = await offer(w.manager);
    expect(split.status).toBe(422);
    expect(split.body.message).toMatch(/1 of 3 say yes: not a majority/);

    // Override: admins only, with a reason.
    const notAdmin = await offer(w.manager, { decisionOverride: { reason: 'We need them' } });
    expect(notAdmin.status).toBe(422);
    expect(notAdmin.body.rule).toBe('decision_override_not_admin');
    const noReason = await offer(w.admin, { decisionOverride: { reason: '   ' } });
    expect(noReason.status).toBe(422);
    expect(noReason.body.rule).toBe('decision_override_without_reason');
    const overridden = await offer(w.admin, { decisionOverride: { reason: 'The strong no was about a team that is not hiring' } });
    expect(overridden.status).toBe(201);
    const timeline = await events(app.id);
    const override = timeline.filter((e) => e.type === 'decision.overridden');
    expect(override).toHaveLength(1);
    expect(override[0].data).toMatchObject({
      rule: 'majority_yes',
      reason: 'The strong no was about a team that is not hiring',
      offerId: overridden.body.id,
    });
    expect(timeline.find((e) => e.type === 'offer.made')!.data).toMatchObject({ decisionRule: 'majority_yes', decisionSatisfied: false });

    // The decision is made: scorecards no longer change.
    const late = await fileInterview(a, e2, teamCard('yes'));
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/decision is made/);

    // Same opening, another candidate: two of three say yes, a majority, and the offer goes out.
    const app2 = await newApp(opening.id, { name: 'Dorothy Vaughan' });
    const c = await interview(app2.id, 'team_conversation', [e1.id, e2.id, e3.id], '2027-03-05T09:00:00Z', '2027-03-05T10:00:00Z');
    await fileInterview(c, e1, teamCard('yes')).expect(201);
    await fileInterview(c, e2, teamCard('strong_yes')).expect(201);
    await fileInterview(c, e3, teamCard('no')).expect(201);
    expect((await t.http.get(`/api/v1/applications/${app2.id}/decision`).set(auth(w.manager.token))).body).toMatchObject({
      satisfied: true,
      reason: '2 of 3 say yes: a majority.',
    });
    const ok = await t.http
      .post(`/api/v1/applications/${app2.id}/offers`)
      .set(auth(w.manager.token))
      .send({ amount: 100000, currency: 'EUR' });
    expect(ok.status).toBe(201);
    expect((await events(app2.id)).filter((e) => e.type === 'decision.overridden')).toHaveLength(0);
  });

  it('feedback SLA through the sweep: a reminder to the filer when late, then an alert to the hiring manager', async () => {
    const opening = await makeOpening(t, w);
    await t.http
      .put(`/api/v1/openings/${opening.id}/scorecard`)
      .set(auth(w.manager.token))
      .send({ competencies: [{ name: 'Communication' }], decisionRule: 'majority_yes', feedbackDueBusinessHours: 24 })
      .expect(200);
    const app = await newApp(opening.id, { name: 'Mary Jackson' });
    // Ends Friday 15:00 in London (UTC in March): 9 business hours that day, 15 more on Monday -> due Monday 15:00.
    const s = await interview(app.id, 'team_conversation', [e1.id, e2.id], '2027-03-12T14:00:00Z', '2027-03-12T15:00:00Z');
    const sweep = (iso: string) => t.app.get(SweepRegistry).runAll(new Date(iso));
    const reminders = async () =>
      (await t.db.query(
        `SELECT to_address, subject, text FROM messages WHERE application_id = $1 AND template = 'scorecard_reminder' ORDER BY to_address`,
        [app.id],
      )) as Array<{ to_address: string; subject: string; text: string }>;
    const lateAlerts = async (who: { token: string }) =>
      (
        (await t.http.get('/api/v1/alerts').set(auth(who.token))).body as Array<{ kind: string; applicationId: string; message: string }>
      ).filter((a) => a.kind === 'scorecard_late' && a.applicationId === app.id);

    const report = await sweep('2027-03-15T14:59:00Z');
    expect(report['scorecard-feedback']).toBeDefined();
    expect(await reminders()).toHaveLength(0);
    clock.set(new Date('2027-03-15T10:00:00Z'));
    await t.http
      .post(`/api/v1/interviews/${s}/scorecards`)
      .set(auth(e2.token))
      .send({ ratings: [{ competency: 'communication', score: 3 }], recommendation: 'yes' })
      .expect(201);
    clock.set(new Date('2027-03-08T12:00:00Z'));

    await sweep('2027-03-15T15:00:00Z');
    await sweep('2027-03-15T15:00:00Z');
    await sweep('2027-03-15T18:00:00Z');
    const sent = await reminders();
    expect(sent.map((m) => m.to_address)).toEqual([e1.email]); // e2 filed; e1 gets exactly one
    expect(sent[0].subject).toMatch(/Scorecard due: Team conversation with Mary Jackson/);
    expect(sent[0].text).toContain(`http://hiring.test/interviews/${s}/scorecard`);
    expect(sent[0].text).toMatch(/Monday 15 March 2027, 15:00 \(Europe\/London\)/);
    expect(await lateAlerts(w.manager)).toHaveLength(0);

    // Late by as much again (Tuesday 15:00): one alert to the hiring manager.
    await sweep('2027-03-16T14:59:00Z');
    expect(await lateAlerts(w.manager)).toHaveLength(0);
    await sweep('2027-03-16T15:00:00Z');
    await sweep('2027-03-16T16:00:00Z');
    const alerts = await lateAlerts(w.manager);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toMatch(/has not filed the scorecard for the team conversation with Mary Jackson/);
    expect(await reminders()).toHaveLength(1);
  });

  it("anonymous review: the packet hides name, e-mail, source and referrer until the review's scorecard is filed", async () => {
    const opening = await makeOpening(t, w);
    await t.http
      .put(`/api/v1/openings/${opening.id}/scorecard`)
      .set(auth(w.manager.token))
      .send({
        competencies: [{ name: 'Communication' }, { name: 'Technical skills', appliesTo: ['code_review'] }],
        decisionRule: 'majority_yes',
        anonymousReview: true,
      })
      .expect(200);
    const app = await newApp(opening.id, { name: 'Annie Easley', source: { kind: 'job_board', detail: 'Hacker News' } });
    const r = await review(app.id, reviewer.id, '2027-03-05T10:00:00Z', '2027-03-05T11:00:00Z');
    const before = await t.http.get(`/api/v1/reviews/${r}`).set(auth(reviewer.token));
    expect(before.status).toBe(200);
    expect(before.body.candidate).toMatchObject({
      anonymous: true,
      name: 'Anonymous candidate',
      email: null,
      source: null,
      referrer: null,
    });
    expect(JSON.stringify(before.body)).not.toMatch(/Annie|Easley|Hacker News/);
    expect(JSON.stringify(before.body)).not.toContain(app.candidate.email);
    // Only the reviewer files the review's scorecard: a teammate who is not the reviewer gets 403.
    await t.http
      .put(`/api/v1/openings/${opening.id}/team`)
      .set(auth(w.manager.token))
      .send({ members: [{ userId: e1.id, role: 'interviewer' }] })
      .expect(200);
    expect(
      (await t.http.post(`/api/v1/reviews/${r}/scorecards`).set(auth(e1.token)).send({ ratings: [], recommendation: 'yes' })).status,
    ).toBe(403);
    await t.http
      .post(`/api/v1/reviews/${r}/scorecards`)
      .set(auth(reviewer.token))
      .send({
        ratings: [
          { competency: 'communication', score: 4 },
          { competency: 'technical_skills', score: 3 },
        ],
        recommendation: 'strong_yes',
        notes: 'Clean separation of parsing and rules',
      })
      .expect(201);
    const after = await t.http.get(`/api/v1/reviews/${r}`).set(auth(reviewer.token));
    expect(after.body.candidate).toMatchObject({
      anonymous: false,
      name: 'Annie Easley',
      email: app.candidate.email,
      source: 'Job board: Hacker News',
    });

    // Erasure keeps the scores and the recommendation (the decision's counts) and blanks the evidence notes.
    const erased = await t.http.post(`/api/v1/candidates/${app.candidate.id}/erasure`).set(auth(w.recruiter.token));
    expect(erased.status).toBe(200);
    expect(erased.body.genericTables).toEqual([]);
    const cards = await t.db.query(
      `SELECT s.recommendation, s.notes, v.notes AS version_notes FROM scorecards s JOIN scorecard_versions v ON v.scorecard_id = s.id WHERE s.session_id = $1`,
      [r],
    );
    expect(cards).toHaveLength(1);
    expect(cards[0].recommendation).toBe('strong_yes');
    expect(`${cards[0].notes} ${cards[0].version_notes}`).not.toMatch(/parsing/);
  });
});
