import { randomBytes } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Role } from '../../src/identity/user.entity';
import { PASSWORD, startMailSuite } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, World } from '../support/factories';
import { SmtpCapture } from '../support/smtp';

/**
 * The candidate experience survey (issue 22): an application that ends sends the candidate a
 * signed link to a two-question survey in the portal; one answer per application (a second one
 * replaces it); the opening's report hides figures for groups under five answers.
 */
describe('candidate experience survey: e-mail on close, answered in the portal, anonymised report', () => {
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let t: typeof suite.t;
  let w: World;
  let smtp: SmtpCapture;
  let base: string;
  let browser: Browser;
  let ctx: BrowserContext;
  let opening: { id: string; title: string };
  const people: Array<{ id: string; email: string; name: string; applicationId: string; link?: string }> = [];

  const waitForMail = async (to: string, subject: RegExp, timeoutMs = 30_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = smtp.mails.find((x) => x.to === to && subject.test(x.subject));
      if (m) return m;
      if (Date.now() > until)
        throw new Error(`no mail to ${to} matching ${subject}; got: ${smtp.mails.map((x) => `${x.to}: ${x.subject}`).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const SUBJECT = /Two questions about your application/;
  /** The survey path (on this test server) from the e-mail's link. */
  const surveyPath = (text: string) => {
    const m = /http:\/\/hiring\.test(\/portal\/[A-Za-z0-9_-]+\/survey)/.exec(text);
    if (!m) throw new Error(`no survey link in: ${text}`);
    return m[1];
  };
  const answer = (path: string, body: Record<string, string>) => t.http.post(path).type('form').send(body);
  const report = () => t.http.get(`/api/v1/openings/${opening.id}/experience-survey`).set(auth(w.manager.token));

  beforeAll(async () => {
    suite = await startMailSuite({ COMPANY_NAME: 'Acme Robotics' });
    ({ t, w, smtp } = suite);
    base = await t.listen();
    opening = await makeOpening(t, w, {
      title: 'Survey Engineer',
      stages: [
        { key: 'screen', name: 'Recruiter screen' },
        { key: 'manager_call', name: 'Hiring manager call' },
        { key: 'offer', kind: 'offer' },
      ],
    });
    for (let i = 0; i < 6; i++) {
      const c = await makeCandidate(t, w, { name: `Person${i} Survey`, email: `survey${i}-${randomBytes(3).toString('hex')}@example.com` });
      const a = await makeApplication(t, w, opening.id, c.id);
      people.push({ ...c, applicationId: a.id });
    }
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Asia/Tokyo' });
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    await browser?.close();
    await suite?.close();
  });

  it('each ended application sends its candidate the survey once, with a signed portal link kept out of the stored message', async () => {
    // Five rejected at the first stage, one withdrawn after moving to the second.
    for (const p of people.slice(0, 5)) {
      const r = await t.http
        .post(`/api/v1/applications/${p.applicationId}/reject`)
        .set(auth(w.recruiter.token))
        .send({ reason: 'Not this time' });
      expect(r.status).toBe(200);
    }
    const last = people[5];
    expect(
      (
        await t.http
          .post(`/api/v1/applications/${last.applicationId}/transitions`)
          .set(auth(w.recruiter.token))
          .send({ to: 'manager_call' })
      ).status,
    ).toBe(200);
    expect((await t.http.post(`/api/v1/applications/${last.applicationId}/withdraw`).set(auth(w.recruiter.token)).send({})).status).toBe(
      200,
    );

    for (const p of people) {
      const mail = await waitForMail(p.email, SUBJECT);
      expect(mail.text).toMatch(/Survey Engineer has come to an end/);
      p.link = surveyPath(mail.text);
    }
    // One each, distinct links.
    expect(new Set(people.map((p) => p.link)).size).toBe(6);
    await new Promise((r) => setTimeout(r, 500));
    for (const p of people) expect(smtp.mails.filter((m) => m.to === p.email && SUBJECT.test(m.subject))).toHaveLength(1);
    // The link is a bearer secret: the stored body does not hold it.
    const [stored] = await t.db.query(`SELECT text FROM messages WHERE candidate_id = $1 AND template = 'experience_survey'`, [
      people[0].id,
    ]);
    expect(stored.text).toContain('/portal/[hidden]/survey');
    expect(stored.text).not.toContain(people[0].link);
    const rows = await t.db.query(`SELECT stage, outcome FROM candidate_surveys WHERE opening_id = $1 ORDER BY stage`, [opening.id]);
    expect(rows.filter((r: any) => r.stage === 'screen' && r.outcome === 'rejected')).toHaveLength(5);
    expect(rows.filter((r: any) => r.stage === 'manager_call' && r.outcome === 'withdrawn')).toHaveLength(1);
  });

  it("erasure: the survey link stops working, the comment goes, the score stays (the figures stay true); no survey for the erasure's own withdrawal", async () => {
    // In another opening, so the report below counts only the six.
    const other = await makeOpening(t, w, { title: 'Other Survey Opening' });
    const c = await makeCandidate(t, w, { name: 'Erin Erased', email: `erased-${randomBytes(3).toString('hex')}@example.com` });
    const a = await makeApplication(t, w, other.id, c.id);
    expect((await t.http.post(`/api/v1/applications/${a.id}/reject`).set(auth(w.recruiter.token)).send({ reason: 'No' })).status).toBe(200);
    const link = surveyPath((await waitForMail(c.email, SUBJECT)).text);
    expect((await answer(link, { score: '6', informed: 'no', comment: 'Erin here: too slow.' })).status).toBe(303);
    const c2 = await makeCandidate(t, w, { name: 'Ed Erased', email: `erased2-${randomBytes(3).toString('hex')}@example.com` });
    await makeApplication(t, w, other.id, c2.id);
    for (const id of [c.id, c2.id])
      expect((await t.http.post(`/api/v1/candidates/${id}/erasure`).set(auth(w.recruiter.token))).status).toBe(200);
    expect((await t.http.get(link)).status).toBe(404);
    expect((await answer(link, { score: '10' })).status).toBe(404);
    expect(await t.db.query(`SELECT score, informed, comment FROM candidate_surveys WHERE candidate_id = $1`, [c.id])).toEqual([
      { score: 6, informed: 'no', comment: null },
    ]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.mails.filter((m) => m.to === c2.email && SUBJECT.test(m.subject))).toHaveLength(0);
  });

  it('the candidate answers in the portal without JavaScript, and a second answer replaces the first', async () => {
    const page: Page = await ctx.newPage();
    await page.route('**/*.js', (r) => r.abort()); // the form works without scripts
    await page.goto(`${base}${people[0].link}`);
    await expect(page.getByRole('heading', { name: 'How was applying for Survey Engineer?' }).isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await expectFitsPhone(page);
    await page.getByRole('radio', { name: '9', exact: true }).check();
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByLabel('Anything else you want to tell us?').fill('Quick and kind answers.');
    await Promise.all([page.waitForURL(/done=saved/), page.getByRole('button', { name: 'Send my answer' }).click()]);
    await expect(page.locator('#survey-notice').innerText()).resolves.toMatch(/your answer is recorded/);
    // Answered time in the candidate's own zone (UTC here), named.
    await expect(page.locator('#survey-answered').innerText()).resolves.toMatch(/You answered on .+ \(UTC\)/);
    await expect(page.getByRole('radio', { name: '9', exact: true }).isChecked()).resolves.toBe(true);
    await expectAccessible(page);
    await expectFitsPhone(page);

    await page.getByRole('radio', { name: '3', exact: true }).check();
    await page.getByRole('radio', { name: 'Partly' }).check();
    await Promise.all([page.waitForURL(/done=updated/), page.getByRole('button', { name: 'Update my answer' }).click()]);
    await expect(page.locator('#survey-notice').innerText()).resolves.toMatch(/your answer is updated/);
    await page.close();

    const rows = await t.db.query(`SELECT score, informed, comment FROM candidate_surveys WHERE application_id = $1`, [
      people[0].applicationId,
    ]);
    expect(rows).toEqual([{ score: 3, informed: 'partly', comment: 'Quick and kind answers.' }]);
  });

  it('a bad link is the portal 404; a score out of range is a 400 naming the field, and nothing is stored', async () => {
    const good = people[1].link!;
    const token = good.split('/')[2];
    const forged = `/portal/${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}/survey`;
    for (const path of [forged, '/portal/not-a-token/survey', `/portal/${randomBytes(32).toString('base64url')}/survey`]) {
      const g = await t.http.get(path);
      expect(g.status).toBe(404);
      expect(g.text).toMatch(/This link does not work/);
      expect((await answer(path, { score: '5' })).status).toBe(404);
    }
    for (const score of ['11', '-1', 'ten', '']) {
      const r = await answer(good, { score, informed: 'yes' });
      expect(r.status).toBe(400);
      expect(r.text).toMatch(/score: choose how likely you are to recommend us, a whole number from 0 to 10/);
    }
    const bad = await answer(good, { score: '7', informed: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/informed: answer yes, partly or no/);
    expect(
      (await t.db.query(`SELECT answered_at FROM candidate_surveys WHERE application_id = $1`, [people[1].applicationId]))[0].answered_at,
    ).toBeNull();
  });

  it('the report shows no figures below five answers and shows them at five, per stage, with comments but no names', async () => {
    // people[0] answered 3 (partly). Three more at the first stage: four answers, not enough.
    expect((await answer(people[1].link!, { score: '10', informed: 'yes', comment: 'Clear steps.' })).status).toBe(303);
    expect((await answer(people[2].link!, { score: '9', informed: 'yes' })).status).toBe(303);
    expect((await answer(people[3].link!, { score: '7', informed: 'no' })).status).toBe(303);
    let r = await report();
    expect(r.status).toBe(200);
    expect(r.body.sent).toBe(6);
    expect(r.body.overall).toMatchObject({ answers: 4, enough: false, nps: null, promoters: null, informed: null });
    expect(r.body.comments).toEqual([]);

    const page = await ctx.newPage();
    await signIn(page, base, w.manager.email, PASSWORD, `/dashboard/openings/${opening.id}`);
    await page.goto(`${base}/dashboard/openings/${opening.id}`);
    const section = page.locator('#experience-survey');
    await expect(section.innerText()).resolves.toMatch(/4 of 6 candidates answered/);
    await expect(section.innerText()).resolves.toMatch(/Not enough answers yet/);
    await expect(section.innerText()).resolves.not.toMatch(/Quick and kind/);

    // The fifth answer at the first stage: figures appear (3 would recommend, 1 would not of 5: NPS 40).
    expect((await answer(people[4].link!, { score: '10', informed: 'partly' })).status).toBe(303);
    // One answer where the withdrawal happened: that stage alone stays hidden.
    expect((await answer(people[5].link!, { score: '8', informed: 'yes', comment: 'Slow to hear back.' })).status).toBe(303);
    r = await report();
    expect(r.body.overall).toMatchObject({ answers: 6, enough: true, nps: 33, promoters: 3, passives: 2, detractors: 1 });
    expect(r.body.overall.informed).toEqual({ yes: 3, partly: 2, no: 1 });
    expect(r.body.byStage).toEqual([
      expect.objectContaining({
        stage: 'screen',
        stageName: 'Recruiter screen',
        answers: 5,
        enough: true,
        nps: 40,
        promoters: 3,
        passives: 1,
        detractors: 1,
      }),
      expect.objectContaining({ stage: 'manager_call', stageName: 'Hiring manager call', answers: 1, enough: false, nps: null }),
    ]);
    expect(r.body.comments).toEqual(['Clear steps.', 'Quick and kind answers.', 'Slow to hear back.']);
    expect(JSON.stringify(r.body)).not.toMatch(new RegExp(people.map((p) => p.id).join('|')));

    await page.goto(`${base}/dashboard/openings/${opening.id}`);
    const rows = await section.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toMatch(/All stages\s+6\s+33\s+3\s+2\s+1\s+3 \/ 2 \/ 1/);
    expect(rows[1]).toMatch(/Recruiter screen\s+5\s+40/);
    expect(rows[2]).toMatch(/Hiring manager call\s+1\s+Not enough answers yet/);
    await expect(section.locator('#survey-comments li').allInnerTexts()).resolves.toEqual([
      'Clear steps.',
      'Quick and kind answers.',
      'Slow to hear back.',
    ]);
    await expectAccessible(page);
    await expectFitsPhone(page);
    await page.close();

    // A hiring manager who is not on the opening's team does not see it.
    const outsider = await t.login([Role.HiringManager]);
    expect((await t.http.get(`/api/v1/openings/${opening.id}/experience-survey`).set(auth(outsider.token))).status).toBe(404);
  }, 120_000);
});
