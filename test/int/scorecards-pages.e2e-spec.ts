import type { Browser, Page } from 'playwright-core';
import { Clock } from '../../src/common/clock/clock';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * The scorecard pages in headless Chromium, found by accessible names: the anonymous review packet,
 * filing a scorecard (no anchoring before, the others' after), the debrief and the decision rule
 * on the application page and the board.
 */
describe('scorecard pages', () => {
  let t: TestApp;
  let w: World;
  let base: string;
  let browser: Browser;
  let reviewer: { token: string; id: string; email: string };
  let e1: { token: string; id: string; email: string };
  let e2: { token: string; id: string; email: string };
  let appId: string, openingId: string, reviewId: string, interviewId: string;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    w = await makeWorld(t);
    [reviewer, e1, e2] = [await t.login([Role.Engineer]), await t.login([Role.Engineer]), await t.login([Role.Engineer])];
    t.app.get(Clock).set(new Date('2027-03-08T12:00:00Z'));
    const opening = await makeOpening(t, w);
    openingId = opening.id;
    await t.http
      .put(`/api/v1/openings/${opening.id}/scorecard`)
      .set(auth(w.manager.token))
      .send({
        competencies: [
          { name: 'Communication' },
          { name: 'Technical skills', appliesTo: ['code_review', 'pairing'] },
          { name: 'Working with others' },
        ],
        decisionRule: 'unanimous_yes',
        anonymousReview: true,
      })
      .expect(200);
    const c = await makeCandidate(t, w, { name: 'Annie Easley', source: { kind: 'job_board', detail: 'Hacker News' } });
    appId = (await makeApplication(t, w, opening.id, c.id)).id;
    [{ id: reviewId }] = await t.db.query(
      `INSERT INTO review_sessions (dedupe_key, application_id, reviewer_id, language, starts_at, ends_at, created_at)
       VALUES ('pages-test', $1, $2, 'python', '2027-03-05T10:00:00Z', '2027-03-05T11:00:00Z', '2027-03-01T10:00:00Z') RETURNING id`,
      [appId, reviewer.id],
    );
    [{ id: interviewId }] = await t.db.query(
      `INSERT INTO interview_sessions (application_id, kind, interviewer_ids, starts_at, ends_at, created_at)
       VALUES ($1, 'pairing', $2, '2027-03-04T14:00:00Z', '2027-03-04T15:00:00Z', '2027-03-01T10:00:00Z') RETURNING id`,
      [appId, [e1.id, e2.id]],
    );
    base = await t.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    t?.app.get(Clock).reset();
    await t?.close();
  });

  const pickScore = (page: Page, competency: string, score: number) =>
    page
      .getByRole('group', { name: competency })
      .getByRole('radio', { name: new RegExp(`^${score} –`) })
      .check();

  it('the reviewer reads an anonymous packet, files the scorecard by accessible names, then sees who the candidate is', async () => {
    const page = await browser.newPage();
    await signIn(page, base, reviewer.email, PASSWORD, `/reviews/${reviewId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Anonymous candidate/);
    const packetText = await page.locator('main').textContent();
    expect(packetText).not.toMatch(/Annie|Easley|Hacker News/);
    expect(await page.title()).not.toMatch(/Annie/);
    await expectAccessible(page);
    await expectFitsPhone(page);

    await page.goto(`${base}/reviews/${reviewId}/scorecard`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Scorecard: Code review with the anonymous candidate/);
    await expectAccessible(page);
    await expectFitsPhone(page);
    await pickScore(page, 'Communication', 4);
    await pickScore(page, 'Technical skills', 3);
    await pickScore(page, 'Working with others', 3);
    await page.getByRole('group', { name: 'Overall recommendation' }).getByRole('radio', { name: 'Strong yes', exact: true }).check();
    await page.getByLabel('Evidence notes').fill('Separated parsing from the rules; explained each test.');
    await Promise.all([page.waitForURL(/filed=1/), page.getByRole('button', { name: 'File scorecard' }).click()]);
    expect(await page.getByRole('status').textContent()).toMatch(/Scorecard filed/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Annie Easley/);
    // Amending is offered, with the filed answers kept in the form.
    expect(
      await page.getByRole('group', { name: 'Overall recommendation' }).getByRole('radio', { name: 'Strong yes', exact: true }).isChecked(),
    ).toBe(true);
    await page.getByRole('button', { name: 'Amend scorecard' }).waitFor();
    await expectAccessible(page);

    await page.goto(`${base}/reviews/${reviewId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Annie Easley/);
    const stored = await t.db.query(`SELECT recommendation, ratings, notes FROM scorecards WHERE session_id = $1`, [reviewId]);
    expect(stored).toEqual([
      {
        recommendation: 'strong_yes',
        notes: 'Separated parsing from the rules; explained each test.',
        ratings: [
          { competency: 'communication', score: 4 },
          { competency: 'technical_skills', score: 3 },
          { competency: 'working_with_others', score: 3 },
        ],
      },
    ]);
    await page.close();
  });

  it("an interviewer sees nobody else's feedback until they file; then the others' scorecards appear", async () => {
    await t.http
      .post(`/api/v1/interviews/${interviewId}/scorecards`)
      .set(auth(e2.token))
      .send({
        ratings: [
          { competency: 'communication', score: 3 },
          { competency: 'technical_skills', score: 3 },
          { competency: 'working_with_others', score: 4 },
        ],
        recommendation: 'yes',
        notes: 'Paired well; asked before assuming.',
      })
      .expect(201);
    const page = await browser.newPage();
    // "My scorecards" lists what they owe, with when it is due in their zone, named.
    await signIn(page, base, e1.email, PASSWORD, '/scorecards');
    const owed = page.getByRole('link', { name: 'Pairing with Annie Easley' });
    expect(await page.locator('main').textContent()).toMatch(/late.*was due Friday 5 March 2027, 15:00 \(Europe\/London\)/s);
    await expectAccessible(page);
    await expectFitsPhone(page);
    await Promise.all([page.waitForURL(/\/interviews\/.*\/scorecard$/), owed.click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Scorecard: Pairing with Annie Easley/);
    expect(await page.getByRole('heading', { name: "The others' scorecards" }).count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/Paired well/);
    // Filing rights: another engineer is refused the form.
    const other = await t.http.get(`/interviews/${interviewId}/scorecard`).set(auth(reviewer.token));
    expect(other.status).toBe(403);

    await pickScore(page, 'Communication', 3);
    await pickScore(page, 'Technical skills', 4);
    await pickScore(page, 'Working with others', 3);
    await page.getByRole('group', { name: 'Overall recommendation' }).getByRole('radio', { name: 'Yes', exact: true }).check();
    await page.getByLabel('Evidence notes').fill('Wrote the failing test first.');
    await Promise.all([page.waitForURL(/filed=1/), page.getByRole('button', { name: 'File scorecard' }).click()]);
    await page.getByRole('heading', { name: "The others' scorecards" }).waitFor();
    expect(await page.locator('main').textContent()).toMatch(/Paired well; asked before assuming\./);
    await expectAccessible(page);
    await expectFitsPhone(page);
    await page.goto(`${base}/scorecards`);
    expect(await page.locator('main').textContent()).toMatch(/Nothing to file/);
    await page.close();
  });

  it('the hiring manager sees the decision rule on the application page and the board, and the debrief side by side', async () => {
    const page = await browser.newPage();
    await signIn(page, base, w.manager.email, PASSWORD, `/dashboard/applications/${appId}`);
    const rule = page.getByRole('region', { name: 'Decision rule' });
    expect(await rule.textContent()).toMatch(/Everyone says yes:\s*holds/);
    expect(await rule.textContent()).toMatch(/3 of 3 scorecards filed/);
    await expectAccessible(page);
    await expectFitsPhone(page);

    await page.goto(`${base}/dashboard/openings/${openingId}`);
    const board = page.getByRole('region', { name: /Decision rule/ });
    expect(await board.getByRole('row', { name: /Annie Easley/ }).textContent()).toMatch(/3 of 3.*holds/s);
    await expectAccessible(page);
    // The board itself scrolls sideways at 390 px without this partial (its source table, measured:
    // 342 px); what the partial adds must fit a phone by itself.
    await page.setViewportSize({ width: 390, height: 800 });
    const fits = await board.evaluate((el) => ({ right: el.getBoundingClientRect().right, inner: el.scrollWidth - el.clientWidth }));
    expect(fits.right).toBeLessThanOrEqual(390);
    expect(fits.inner).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();

    await board.getByRole('link', { name: 'Annie Easley' }).click();
    await page.waitForURL(/\/debrief$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Debrief: Annie Easley/);
    const table = page.getByRole('table');
    const headers = (await table.getByRole('columnheader').allTextContents()).join(' | ');
    expect(headers).toMatch(/Code review/);
    expect(headers).toMatch(/Pairing/);
    const communication = await table.getByRole('row', { name: /^Communication/ }).textContent();
    expect(communication).toMatch(/4[\s\S]*3[\s\S]*3/);
    expect(await table.getByRole('row', { name: /^Recommendation/ }).textContent()).toMatch(/Strong yes[\s\S]*Yes/);
    expect(
      (await page.getByRole('region', { name: 'Code review' }).count()) +
        (await page.getByRole('heading', { name: 'Code review' }).count()),
    ).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).not.toMatch(/strong_yes|code_review|team_conversation/);
    await expectAccessible(page);
    await expectFitsPhone(page);

    // An engineer is not the hiring manager: no debrief.
    expect((await t.http.get(`/dashboard/applications/${appId}/debrief`).set(auth(e1.token))).status).toBe(403);
    await page.close();
  });
});
