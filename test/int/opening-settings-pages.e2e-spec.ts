import { Browser, BrowserContext, Page } from 'playwright-core';
import { Clock } from '../../src/common/clock/clock';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn, submitForm } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * An opening's settings pages and the last application-page and admin forms, in headless
 * Chromium, found by accessible names; axe-core and the 390 px check on every page visited:
 * the hiring team (edited by the opening's hiring manager, read-only for the rest of the team,
 * absent for everyone else), the scorecard and decision rule (errors beside the fields), the data
 * period, cancelling an interview (the candidate is told), naming the onboarding buddy, and
 * editing a webhook (address, events, a new signing secret).
 */
jest.setTimeout(300_000);

const STAGES = [{ key: 'screen' }, { key: 'onsite', name: 'Team interviews' }, { key: 'offer', kind: 'offer' }];

describe('opening settings, interview cancellation, buddy and webhook pages in a real browser', () => {
  let t: TestApp;
  let w: World;
  let base: string;
  let browser: Browser;
  let clock: Clock;
  const contexts: BrowserContext[] = [];
  let opening: { id: string; title: string };
  let engineer: { token: string; id: string; email: string };
  let recruiter2: { token: string; id: string; email: string };
  let outsider: { token: string; id: string; email: string };
  const nameOf = async (id: string): Promise<string> => (await t.db.query('SELECT name FROM users WHERE id = $1', [id]))[0].name;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    base = await t.listen();
    w = await makeWorld(t);
    clock = t.app.get(Clock);
    engineer = await t.login([Role.Engineer]);
    recruiter2 = await t.login([Role.Recruiter]);
    outsider = await t.login([Role.HiringManager]);
    opening = await makeOpening(t, w, { stages: STAGES });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    clock?.reset();
    await t?.close();
  });

  async function open(email: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
    await signIn(page, base, email, PASSWORD);
    return { page, problems };
  }
  const checked = async (page: Page) => {
    await expectAccessible(page);
    await expectFitsPhone(page);
  };
  // The form's own page often already matches `url` (…/team posts to …/team): submitForm waits for the answer's navigation first.
  const submit = (page: Page, button: string | RegExp, url: RegExp) =>
    submitForm(page, page.getByRole('button', { name: button, exact: typeof button === 'string' }), url);
  const statusOf = async (page: Page, path: string) => (await page.request.get(`${base}${path}`, { maxRedirects: 0 })).status();
  // (Test users are called "Test hiring_manager 3": their names are left out.)
  // (Chromium puts a space before the visually hidden part of a link's name.)
  const teamLink = (page: Page) => page.getByRole('link', { name: new RegExp(`^${opening.title}\\s*: hiring team$`) });
  const noInternalKeys = (text: string | null) =>
    expect((text ?? '').replace(/Test [a-z_ ]+ \d+/g, '')).not.toMatch(/hiring_manager|take_home|code_review|no_strong_no|members\[/);

  it("the opening's hiring manager edits the team; the change takes effect; others see it read-only or not at all", async () => {
    const engineerName = await nameOf(engineer.id);
    const recruiter2Name = await nameOf(recruiter2.id);
    const { page: eng } = await open(engineer.email);
    const { page: rec2 } = await open(recruiter2.email);
    // Before: neither is on the team, so the opening does not exist for them.
    expect(await statusOf(eng, `/openings/${opening.id}/team`)).toBe(404);
    expect(await statusOf(rec2, `/openings/${opening.id}`)).toBe(404);
    await eng.goto(`${base}/dashboard`);
    expect(await teamLink(eng).count()).toBe(0);

    const { page, problems } = await open(w.manager.email);
    await page.goto(`${base}/openings/${opening.id}`);
    await Promise.all([page.waitForURL(/\/team$/), page.getByRole('link', { name: 'Hiring team' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(opening.title);
    const table = page.getByRole('table');
    expect(await table.textContent()).toMatch(/Hiring manager/);
    expect(await table.textContent()).toMatch(/Recruiter/);
    noInternalKeys(await page.locator('main').textContent());
    await checked(page);

    // A refusal the user can fix, in plain words beside the form; nothing changed.
    await page.getByLabel('Person to add').selectOption({ label: `${engineerName} (Engineer)` });
    await page.getByLabel('Their role on the team').selectOption({ label: 'Hiring manager' });
    await submit(page, 'Save hiring team', /\/team/);
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toMatch(
      new RegExp(`${engineerName} cannot be a hiring manager on this team: their account does not have the hiring manager role`),
    );
    noInternalKeys(await alert.textContent());
    await checked(page);
    expect(await statusOf(eng, `/openings/${opening.id}/team`)).toBe(404);

    // Add the engineer as an interviewer and the second recruiter as a recruiter.
    await page.getByLabel('Person to add').selectOption({ label: `${engineerName} (Engineer)` });
    await page.getByLabel('Their role on the team').selectOption({ label: 'Interviewer' });
    await submit(page, 'Save hiring team', /\/team/);
    expect(await page.getByRole('status').textContent()).toMatch(/Hiring team saved/);
    await page.getByLabel('Person to add').selectOption({ label: `${recruiter2Name} (Recruiter)` });
    await page.getByLabel('Their role on the team').selectOption({ label: 'Recruiter' });
    await submit(page, 'Save hiring team', /\/team/);
    expect(await page.getByRole('row', { name: new RegExp(engineerName) }).textContent()).toMatch(/Interviewer.*Added to the team/);
    expect(await page.getByRole('row', { name: new RegExp(recruiter2Name) }).textContent()).toMatch(/Recruiter/);
    await page.getByLabel(`Role of ${engineerName}`).waitFor();
    await checked(page);
    const stored = await t.db.query(
      `SELECT user_id, role FROM opening_team_members WHERE opening_id = $1 AND removed_at IS NULL ORDER BY role`,
      [opening.id],
    );
    expect(stored).toEqual([
      { user_id: engineer.id, role: 'interviewer' },
      { user_id: recruiter2.id, role: 'recruiter' },
    ]);

    // The change takes effect: both can now open what they could not.
    expect(await statusOf(rec2, `/openings/${opening.id}`)).toBe(200);
    // The engineer reaches it from the dashboard, which now lists the team.
    await eng.goto(`${base}/dashboard`);
    await Promise.all([eng.waitForURL(/\/team$/), teamLink(eng).click()]);
    expect(await eng.getByRole('heading', { level: 1 }).textContent()).toContain(opening.title);
    // ... but read-only: no form for an interviewer, a recruiter or a hiring manager outside the team.
    expect(await eng.getByRole('button', { name: 'Save hiring team' }).count()).toBe(0);
    expect(await eng.locator('main').textContent()).toMatch(/Only the opening's hiring manager/);
    await checked(eng);
    await rec2.goto(`${base}/openings/${opening.id}/team`);
    expect(await rec2.getByRole('button', { name: 'Save hiring team' }).count()).toBe(0);
    await checked(rec2);
    const forged = await rec2.request.post(`${base}/openings/${opening.id}/team`, {
      form: { _csrf: 'x', addUser: recruiter2.id, addRole: 'hiring_manager' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403); // recruiter account: the route's role
    const { page: out } = await open(outsider.email);
    expect(await statusOf(out, `/openings/${opening.id}/team`)).toBe(404);

    // CSRF kept: the same form without the page's token is refused, and the team is unchanged.
    const noToken = await page.request.post(`${base}/openings/${opening.id}/team`, {
      form: { [`role_${engineer.id}`]: 'remove' },
      maxRedirects: 0,
    });
    expect(noToken.status()).toBe(403);
    // Removing a member through the form: the engineer loses access again.
    await page.getByLabel(`Role of ${engineerName}`).selectOption({ label: 'Remove from the team' });
    await submit(page, 'Save hiring team', /\/team/);
    expect(await page.getByRole('row', { name: new RegExp(engineerName) }).count()).toBe(0);
    expect(await statusOf(eng, `/openings/${opening.id}/team`)).toBe(403); // was on it: told, not hidden
    expect(problems).toEqual([]);
  });

  it('the scorecard settings page: errors beside the fields, then the saved rule, competencies and anonymous review', async () => {
    const { page, problems } = await open(w.manager.email);
    await page.goto(`${base}/openings/${opening.id}`);
    await Promise.all([page.waitForURL(/\/scorecard$/), page.getByRole('link', { name: 'Scorecard and decision rule' }).click()]);
    // The defaults from the article, in plain words.
    expect(await page.getByLabel('Competency name 1').inputValue()).toBe('Communication');
    expect(await page.getByRole('radio', { name: 'No strong no, and at least one strong yes' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Feedback due (business hours after the session)').inputValue()).toBe('24');
    noInternalKeys(await page.locator('main').textContent());
    await checked(page);

    // Two mistakes: a "culture fit" competency and a feedback time that is not a number.
    const added = page.getByRole('group', { name: 'Add a competency' }).first();
    await added.getByLabel(/^Competency name/).fill('Culture fit');
    await page.getByLabel('Feedback due (business hours after the session)').fill('soon');
    await submit(page, 'Save scorecard', /\/scorecard/);
    expect(await page.getByRole('alert').textContent()).toMatch(/not saved/);
    const describedBy = async (label: string) => {
      const input = page.getByLabel(label, { exact: true });
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      const id = await input.getAttribute('aria-describedby');
      return page.locator(`[id="${id}"]`).textContent();
    };
    expect(await describedBy('Competency name 4')).toMatch(/Competency 4 \("Culture fit"\): .*homogeneous team/);
    expect(await describedBy('Feedback due (business hours after the session)')).toMatch(/whole number of business hours from 1 to 240/);
    // What was typed is kept.
    expect(await page.getByLabel('Competency name 4').inputValue()).toBe('Culture fit');
    await checked(page);
    expect((await t.http.get(`/api/v1/openings/${opening.id}/scorecard`).set(auth(w.manager.token))).body.decisionRule).toBe(
      'no_strong_no_and_one_strong_yes',
    );

    // Corrected: a real competency with its rubric, scored in pairing only; a stricter rule.
    await page.getByLabel('Competency name 4').fill('Debugging');
    for (const [n, text] of ['Guessed', 'Found it with help', 'Found it methodically', 'Taught us a technique'].entries())
      await page.getByLabel(`Score ${n + 1} of competency 4`).fill(text);
    await page.getByRole('checkbox', { name: 'Pairing (competency 4)' }).check();
    await page.getByRole('radio', { name: 'Everyone says yes' }).check();
    await page.getByLabel('Feedback due (business hours after the session)').fill('16');
    await page.getByRole('checkbox', { name: 'Anonymous take-home review' }).check();
    await submit(page, 'Save scorecard', /\/scorecard/);
    expect(await page.getByRole('status').textContent()).toMatch(/Scorecard saved/);
    expect(await page.getByRole('radio', { name: 'Everyone says yes' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Anonymous take-home review' }).isChecked()).toBe(true);
    await checked(page);
    const saved = (await t.http.get(`/api/v1/openings/${opening.id}/scorecard`).set(auth(w.manager.token))).body;
    expect(saved).toMatchObject({ decisionRule: 'unanimous_yes', feedbackDueBusinessHours: 16, anonymousReview: true });
    expect(saved.competencies.map((c: { name: string }) => c.name)).toEqual([
      'Communication',
      'Technical skills',
      'Working with others',
      'Debugging',
    ]);
    expect(saved.competencies[3]).toMatchObject({
      key: 'debugging',
      appliesTo: ['pairing'],
      rubric: ['Guessed', 'Found it with help', 'Found it methodically', 'Taught us a technique'],
    });

    // Removing a competency: empty its name.
    await page.getByLabel('Competency name 3').fill('');
    await submit(page, 'Save scorecard', /\/scorecard/);
    const after = (await t.http.get(`/api/v1/openings/${opening.id}/scorecard`).set(auth(w.manager.token))).body;
    expect(after.competencies.map((c: { key: string }) => c.key)).toEqual(['communication', 'technical_skills', 'debugging']);

    // An engineer on the team reads it, without a form.
    await t.http
      .put(`/api/v1/openings/${opening.id}/team`)
      .set(auth(w.manager.token))
      .send({ members: [{ userId: engineer.id, role: 'interviewer' }] })
      .expect(200);
    const { page: eng } = await open(engineer.email);
    expect(await statusOf(eng, `/openings/${opening.id}/scorecard`)).toBe(403); // recruiters and hiring managers only
    expect(problems).toEqual([]);
  });

  it("the data period: the opening's own months, then back to the company-wide period", async () => {
    const { page, problems } = await open(w.recruiter.email);
    await page.goto(`${base}/openings/${opening.id}`);
    await Promise.all([page.waitForURL(/\/retention$/), page.getByRole('link', { name: "Keeping candidates' data" }).click()]);
    expect(await page.locator('#retention-now').textContent()).toMatch(/the company-wide period/);
    await checked(page);
    await page.getByRole('radio', { name: 'Its own period' }).check();
    await page.getByLabel('Months to keep data').fill('300');
    await submit(page, 'Save data period', /\/retention/);
    expect(await page.getByRole('alert').textContent()).toMatch(/whole number from 1 to 240/);
    await checked(page);
    await page.getByLabel('Months to keep data').fill('9');
    await submit(page, 'Save data period', /\/retention/);
    expect(await page.getByRole('status').textContent()).toMatch(/keeps data for 9 months/);
    expect(await page.locator('#retention-now').textContent()).toMatch(/9 months/);
    expect((await t.db.query('SELECT retention_months FROM openings WHERE id = $1', [opening.id]))[0].retention_months).toBe(9);
    await page.getByRole('radio', { name: /company-wide period/ }).check();
    await submit(page, 'Save data period', /\/retention/);
    expect((await t.db.query('SELECT retention_months FROM openings WHERE id = $1', [opening.id]))[0].retention_months).toBeNull();
    await checked(page);
    expect(problems).toEqual([]);
  });

  it('cancelling an interview tells the candidate; the hiring manager names the onboarding buddy', async () => {
    clock.set(new Date('2027-03-01T08:00:00Z'));
    const c = await makeCandidate(t, w, { name: 'Mary Keller', timezone: 'UTC' });
    const app = await makeApplication(t, w, opening.id, c.id);
    expect(
      (await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to: 'onsite' })).status,
    ).toBe(200);
    const proposed = await t.http
      .post(`/api/v1/applications/${app.id}/interviews`)
      .set(auth(w.recruiter.token))
      .send({
        sessions: [{ kind: 'pairing', interviewerIds: [engineer.id], startsAt: '2027-03-03T14:00:00Z', endsAt: '2027-03-03T15:00:00Z' }],
      });
    expect(proposed.status).toBe(201);

    const { page, problems } = await open(w.recruiter.email);
    await page.goto(`${base}/dashboard/applications/${app.id}`);
    await page.getByText(/^Cancel Pairing/).click();
    await page.getByLabel(/^Words for the candidate/).fill('We will find a new time with you this week.');
    await page.getByLabel(/^Reason, for the interviewers/).fill('Interviewer is ill');
    await submit(page, /^Cancel interview/, /\/dashboard\/applications\//);
    expect(await page.getByRole('status').textContent()).toMatch(/Pairing cancelled: the candidate and the interviewers have been told/);
    expect(await page.locator('#interviews-title + ul').textContent()).toMatch(/Cancelled/);
    expect(await page.getByRole('button', { name: /^Cancel interview/ }).count()).toBe(0);
    // The candidate is told, with the words typed, and the thread on the page shows it.
    const toCandidate = await t.db.query(
      `SELECT subject, text FROM messages WHERE application_id = $1 AND template = 'interview_cancelled_candidate'`,
      [app.id],
    );
    expect(toCandidate).toHaveLength(1);
    expect(toCandidate[0].text).toMatch(/We will find a new time with you this week\./);
    expect(toCandidate[0].text).not.toMatch(/Interviewer is ill/);
    expect(await page.locator('#messages').textContent()).toContain(toCandidate[0].subject);
    expect(await page.locator('main').textContent()).toMatch(/Interview cancelled/);
    await checked(page);

    // Hired (offer by an admin's override of the decision rule), then the buddy.
    expect(
      (await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to: 'offer' })).status,
    ).toBe(200);
    const offer = await t.http
      .post(`/api/v1/applications/${app.id}/offers`)
      .set(auth(w.admin.token))
      .send({ amount: 100000, currency: 'EUR', startDate: '2027-06-07', decisionOverride: { reason: 'Test set-up' } });
    expect(offer.status).toBe(201);
    expect((await t.http.post(`/api/v1/applications/${app.id}/hire`).set(auth(w.manager.token)).send({})).status).toBe(200);

    // The recruiter is not the plan's owner: no buddy form for them.
    await page.goto(`${base}/dashboard/applications/${app.id}`);
    expect(await page.getByLabel('Buddy for the first two months').count()).toBe(0);
    const { page: hm, problems: hmProblems } = await open(w.manager.email);
    await hm.goto(`${base}/dashboard/applications/${app.id}`);
    expect(await hm.locator('#buddy-now').textContent()).toMatch(/nobody named yet/);
    await submit(hm, 'Name buddy', /onboarding/);
    expect(await hm.getByRole('alert').textContent()).toMatch(/Choose who will be the buddy/);
    const engineerName = await nameOf(engineer.id);
    await hm.getByLabel('Buddy for the first two months').selectOption({ label: engineerName });
    await submit(hm, 'Name buddy', /onboarding/);
    expect(await hm.getByRole('status').textContent()).toMatch(/Buddy named/);
    expect(await hm.locator('#buddy-now').textContent()).toContain(engineerName);
    await checked(hm);
    const plan = (await t.http.get(`/api/v1/applications/${app.id}/onboarding`).set(auth(w.manager.token))).body;
    expect(plan.buddyId).toBe(engineer.id);
    expect(
      plan.items.filter((i: { ownerRole: string; doneAt: string | null }) => i.ownerRole === 'buddy' && !i.doneAt).length,
    ).toBeGreaterThan(0);
    for (const i of plan.items.filter((x: { ownerRole: string; doneAt: string | null }) => x.ownerRole === 'buddy' && !x.doneAt))
      expect(i.ownerId).toBe(engineer.id);
    expect(problems).toEqual([]);
    expect(hmProblems).toEqual([]);
  });

  it('an admin edits a webhook: address, events and a new signing secret, with the deliveries below', async () => {
    await t.http.put('/api/v1/settings/webhooks').set(auth(w.admin.token)).send({ allowPrivateTargets: true }).expect(200);
    const created = await t.http
      .post('/api/v1/webhooks')
      .set(auth(w.admin.token))
      .send({ url: 'http://127.0.0.1:9/old', secret: 'first-secret-0123456789', events: ['application.created'] });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const admin = await t.login([Role.Admin]);
    const { page, problems } = await open(admin.email);
    await page.goto(`${base}/admin/webhooks/${id}`);
    await page.getByRole('heading', { name: 'Deliveries', exact: true }).waitFor();
    expect(await page.getByLabel('Address (URL)').inputValue()).toBe('http://127.0.0.1:9/old');
    await checked(page);

    const secretBefore = (await t.db.query('SELECT secret_enc FROM webhook_endpoints WHERE id = $1', [id]))[0].secret_enc;
    await page.getByLabel('New signing secret').fill('short');
    await page.getByRole('checkbox', { name: 'A candidate is hired' }).check();
    // The refusal is the same page again: wait for the new document, not the 'load' the current one fired long ago.
    await submitForm(page, page.getByRole('button', { name: 'Save webhook' }));
    await page.locator('#edit-error').waitFor();
    expect(await page.locator('#edit-error').textContent()).toMatch(/16 characters or more/);
    // What was typed is kept (the secret is never echoed back).
    expect(await page.getByRole('checkbox', { name: 'A candidate is hired' }).isChecked()).toBe(true);
    expect(await page.getByLabel('New signing secret').inputValue()).toBe('');
    await checked(page);

    await page.getByLabel('Address (URL)').fill('http://127.0.0.1:9/new');
    await page.getByRole('checkbox', { name: 'A candidate is put on an opening' }).uncheck();
    await page.getByLabel('New signing secret').fill('second-secret-0123456789');
    await submit(page, 'Save webhook', /done=rotated/);
    expect(await page.getByRole('status').textContent()).toMatch(/new signing secret/);
    expect(await page.getByLabel('Address (URL)').inputValue()).toBe('http://127.0.0.1:9/new');
    await checked(page);
    const after = (await t.http.get(`/api/v1/webhooks/${id}`).set(auth(w.admin.token))).body;
    expect(after).toMatchObject({ url: 'http://127.0.0.1:9/new', events: ['application.hired'] });
    const secretAfter = (await t.db.query('SELECT secret_enc FROM webhook_endpoints WHERE id = $1', [id]))[0].secret_enc;
    expect(secretAfter).not.toEqual(secretBefore);

    // Saving without a new secret keeps the current one.
    await page.getByLabel('Description').fill('Payroll system');
    await submit(page, 'Save webhook', /done=saved/);
    expect((await t.db.query('SELECT secret_enc FROM webhook_endpoints WHERE id = $1', [id]))[0].secret_enc).toEqual(secretAfter);
    expect(problems).toEqual([]);
  });
});
