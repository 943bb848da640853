import { Clock } from '../../src/common/clock/clock';
import { Role } from '../../src/identity/user.entity';
import { TestApp, startMailSuite } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, World, setReviewerProfile } from '../support/factories';
import { eventually } from '../support/redis-server';
import { CapturedMail, SmtpCapture } from '../support/smtp';

type Person = { token: string; id: string; email: string };

/**
 * Two scorecard leftovers against real PostgreSQL and a real SMTP server:
 * - with anonymous review on, the invitation the reviewer receives (subject, text, HTML and the
 *   calendar file) and their "My reviews" list do not name the candidate or carry their address;
 *   with it off they do; the candidate's own invitation is unchanged;
 * - who sees every scorecard follows the hiring team (TeamScope): a hiring manager named on the
 *   team sees all and opens the debrief, a hiring-manager account on the team only as an
 *   interviewer does not.
 */
describe('anonymous review invitations and team-scoped scorecard visibility', () => {
  let t: TestApp;
  let w: World;
  let smtp: SmtpCapture;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let clock: Clock;

  beforeAll(async () => {
    suite = await startMailSuite();
    ({ smtp, t, w } = suite);
    clock = t.app.get(Clock);
    clock.set(new Date('2027-03-01T08:00:00Z')); // Monday
  });
  afterAll(async () => {
    clock?.reset();
    await suite?.close();
  });

  const engineer = async (languages: string[]): Promise<Person> => {
    const e = await t.login([Role.Engineer]);
    await setReviewerProfile(t, e, languages, 'Europe/Berlin');
    return e;
  };
  const mailFor = (m: CapturedMail) => {
    const ics = m.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content.toString('utf8') ?? '';
    return { subject: m.subject, text: String(m.parsed.text ?? ''), html: String(m.parsed.html || ''), ics };
  };
  async function scheduleReview(anonymousReview: boolean, language: string, name: string) {
    const reviewer = await engineer([language]);
    const opening = await makeOpening(t, w);
    await t.http
      .put(`/api/v1/openings/${opening.id}/scorecard`)
      .set(auth(w.manager.token))
      .send({ competencies: [{ name: 'Communication' }], decisionRule: 'majority_yes', anonymousReview })
      .expect(200);
    const c = await makeCandidate(t, w, { name, timezone: 'Europe/Berlin' });
    const app = await makeApplication(t, w, opening.id, c.id);
    await t.http
      .post(`/api/v1/applications/${app.id}/exemptions`)
      .set(auth(w.recruiter.token))
      .send({ kind: 'public_code', url: 'https://github.com/example/lib', reason: 'Maintains a known library', language })
      .expect(201);
    // Delivered by the worker through SMTP: allowed the 30 s the other mail suites allow on a loaded machine.
    const [mail] = await eventually(
      async () => smtp.to(reviewer.email),
      (m) => m.length >= 1,
      30_000,
    );
    const [toCandidate] = await eventually(
      async () => smtp.to(c.email).filter((m) => /Code review/.test(m.subject)),
      (m) => m.length >= 1,
      30_000,
    );
    expect([mail, toCandidate].map(Boolean)).toEqual([true, true]);
    return { reviewer, candidate: c, opening, app, mail: mailFor(mail), toCandidate: mailFor(toCandidate) };
  }

  it('with anonymous review on, the reviewer is invited without the candidate\'s name or address (e-mail, calendar file, "My reviews")', async () => {
    const { reviewer, candidate, mail, toCandidate } = await scheduleReview(true, 'rust', 'Radia Perlmanova');
    const local = candidate.email.split('@')[0];
    for (const part of [mail.subject, mail.text, mail.html, mail.ics]) {
      expect(part).not.toMatch(/Radia|Perlmanova/);
      expect(part).not.toContain(local);
    }
    expect(mail.ics).toMatch(/BEGIN:VEVENT/);
    expect(mail.subject).toMatch(/Code review with an anonymous candidate/);
    expect(mail.text).toMatch(/You are reviewing the take-home of an anonymous candidate/);
    expect(mail.ics).toMatch(/SUMMARY:Code review: anonymous candidate/);
    // The candidate's own invitation still reaches them, with their calendar entry.
    expect(toCandidate.text).toMatch(/Hi Radia/);
    expect(toCandidate.ics).toContain(candidate.email);
    // Their "My reviews" list names nobody either.
    const page = await t.http.get('/reviews').set(auth(reviewer.token));
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Anonymous candidate/);
    expect(page.text).not.toMatch(/Radia|Perlmanova/);
  });

  it("with anonymous review off, the reviewer's invitation names the candidate as before", async () => {
    const { mail, candidate } = await scheduleReview(false, 'haskell', 'Barbara Liskova');
    expect(mail.subject).toMatch(/Code review with Barbara Liskova/);
    expect(mail.ics).toMatch(/SUMMARY:Code review: Barbara Liskova/);
    expect(mail.ics).toContain(candidate.email);
  });

  it('every scorecard is visible to a hiring manager named on the team, not to one on it only as an interviewer', async () => {
    const named = await t.login([Role.HiringManager]);
    const asInterviewer = await t.login([Role.HiringManager]);
    const e1 = await t.login([Role.Engineer]);
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Edsger Test' });
    const app = await makeApplication(t, w, opening.id, c.id);
    const [{ id: interviewId }] = await t.db.query(
      `INSERT INTO interview_sessions (application_id, kind, interviewer_ids, starts_at, ends_at, created_at)
       VALUES ($1, 'team_conversation', $2, '2027-02-25T10:00:00Z', '2027-02-25T11:00:00Z', '2027-02-20T10:00:00Z') RETURNING id`,
      [app.id, [e1.id, asInterviewer.id]],
    );
    await t.http
      .post(`/api/v1/interviews/${interviewId}/scorecards`)
      .set(auth(e1.token))
      .send({
        ratings: [
          { competency: 'communication', score: 3 },
          { competency: 'working_with_others', score: 3 },
        ],
        recommendation: 'yes',
        notes: 'Clear.',
      })
      .expect(201);
    // Before being named: no access at all to this opening's scorecards (not on the team).
    expect((await t.http.get(`/api/v1/applications/${app.id}/scorecards`).set(auth(named.token))).status).toBe(404);
    await t.http
      .put(`/api/v1/openings/${opening.id}/team`)
      .set(auth(w.manager.token))
      .send({ members: [{ userId: named.id, role: 'hiring_manager' }] })
      .expect(200);
    const namedView = await t.http.get(`/api/v1/applications/${app.id}/scorecards`).set(auth(named.token));
    expect(namedView.status).toBe(200);
    expect(namedView.body).toMatchObject({ seesAll: true, hiddenCount: 0 });
    expect(namedView.body.scorecards).toHaveLength(1);
    const decision = await t.http.get(`/api/v1/applications/${app.id}/decision`).set(auth(named.token));
    expect(decision.body.redacted).toBe(false);
    expect((await t.http.get(`/dashboard/applications/${app.id}/debrief`).set(auth(named.token))).status).toBe(200);
    // A hiring-manager account booked only as an interviewer is anchored like any interviewer.
    const interviewerView = await t.http.get(`/api/v1/applications/${app.id}/scorecards`).set(auth(asInterviewer.token));
    expect(interviewerView.body).toMatchObject({ seesAll: false, hiddenCount: 1, scorecards: [] });
    const redacted = await t.http.get(`/api/v1/applications/${app.id}/decision`).set(auth(asInterviewer.token));
    expect(redacted.body).toMatchObject({ redacted: true, counts: null });
    expect((await t.http.get(`/dashboard/applications/${app.id}/debrief`).set(auth(asInterviewer.token))).status).toBe(403);
    // Removed from the team: no longer sees them.
    await t.http.put(`/api/v1/openings/${opening.id}/team`).set(auth(w.manager.token)).send({ members: [] }).expect(200);
    expect((await t.http.get(`/api/v1/applications/${app.id}/scorecards`).set(auth(named.token))).status).toBe(403);
  });
});
