import { randomBytes } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Clock } from '../../src/common/clock/clock';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { TEMPLATES } from '../../src/communications/template-registry';
import { Role } from '../../src/identity/user.entity';
import { TemplateService } from '../../src/communications/template.service';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { expectAccessible, expectFitsPhone, sidewaysOverflow } from '../support/a11y';
import { launchBrowser, signIn } from '../support/browser';
import { tarGzDir, zipDir } from '../fixtures/assignments/pack';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * An admin, an engineer and a hiring manager each do their work in the pages, found by accessible
 * names; every page visited is checked with axe-core and at 390 px. One browser for the suite.
 */
// Each test walks many pages with axe-core on a shared 2-core machine: a generous budget.
jest.setTimeout(300_000);

describe('admin, engineer and hiring manager pages in a real browser', () => {
  let t: TestApp;
  let w: World;
  let base: string;
  let browser: Browser;
  let clock: Clock;
  const contexts: BrowserContext[] = [];
  const erin = { name: 'Erin Reviewer', email: `erin-${randomBytes(3).toString('hex')}@example.com`, password: 'erin-password-12', id: '' };

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    base = await t.listen();
    w = await makeWorld(t);
    clock = t.app.get(Clock);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    clock?.reset();
    await t?.close();
  });

  async function open(email: string, password = PASSWORD): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
    await signIn(page, base, email, password);
    return { page, problems };
  }
  const checked = async (page: Page) => {
    await expectAccessible(page);
    await expectFitsPhone(page);
  };
  const submit = (page: Page, button: string | RegExp, url: RegExp) =>
    Promise.all([page.waitForURL(url), page.getByRole('button', { name: button }).click()]);
  const emailOf = async (id: string) =>
    (await t.db.query('SELECT email, name FROM users WHERE id = $1', [id]))[0] as { email: string; name: string };

  it('an admin creates a user, sets their reviewer profile, webhooks and settings, redelivers a delivery and reads the audit log in words', async () => {
    const admin = await emailOf(w.admin.id);
    const { page, problems } = await open(admin.email);
    await checked(page);
    await Promise.all([
      page.waitForURL('**/admin'),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click(),
    ]);
    await checked(page);
    const adminNav = page.getByRole('navigation', { name: 'Admin' });
    await Promise.all([page.waitForURL('**/admin/users'), adminNav.getByRole('link', { name: 'Users and roles' }).click()]);
    await checked(page);

    // A refused form keeps what was typed and says why, next to the form.
    await page.getByLabel('Name').fill(erin.name);
    await page.getByLabel('Email').fill(erin.email);
    await page.getByLabel('Password').fill('short-pw1'); // 9 characters: the browser allows it (no minlength on fill), the server refuses
    await page.getByRole('checkbox', { name: 'Engineer' }).check();
    await page.evaluate(() => document.querySelectorAll('form').forEach((f) => f.setAttribute('novalidate', '')));
    await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Create user' }).click()]);
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/password/i);
    expect(await page.getByLabel('Name').inputValue()).toBe(erin.name);
    expect(await page.getByRole('checkbox', { name: 'Engineer' }).isChecked()).toBe(true);
    await checked(page);

    await page.getByLabel('Password').fill(erin.password);
    await page.getByLabel('Time zone').selectOption('UTC');
    await submit(page, 'Create user', /\/admin\/users\/[0-9a-f-]{36}\?done=created/);
    erin.id = /users\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect(await page.getByRole('status').innerText()).toContain('The account was created');
    await checked(page);

    // Change the time zone (shown later in the audit log), then the reviewer profile with a meeting link.
    await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Berlin');
    await submit(page, 'Save changes', /done=saved/);
    expect(await page.getByRole('status').innerText()).toContain('Changes saved');
    await page.getByLabel('Languages').fill('javascript, python');
    await page.getByLabel('Reviewer time zone').selectOption('Europe/Berlin');
    await page.getByLabel('Working hours from').fill('09:00');
    await page.getByLabel('Working hours until').fill('17:00');
    await page.getByLabel('Meeting link').fill('https://meet.example.com/erin');
    await submit(page, 'Save reviewer profile', /done=profile/);
    expect(await page.getByRole('status').innerText()).toContain('Reviewer profile saved');
    expect(await page.getByLabel('Meeting link').inputValue()).toBe('https://meet.example.com/erin');
    expect(await page.getByRole('checkbox', { name: 'Friday' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Saturday' }).isChecked()).toBe(false);
    await checked(page);
    const [profile] = await t.db.query('SELECT languages, timezone, meeting_url, working_hours FROM reviewer_profiles WHERE user_id = $1', [
      erin.id,
    ]);
    expect(profile).toEqual({
      languages: ['javascript', 'python'],
      timezone: 'Europe/Berlin',
      meeting_url: 'https://meet.example.com/erin',
      working_hours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
    });

    await Promise.all([
      page.waitForURL('**/admin/reviewers'),
      page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Reviewer profiles' }).click(),
    ]);
    expect(await page.getByRole('listitem').filter({ hasText: erin.name }).innerText()).toMatch(
      /javascript, python · Mon, Tue, Wed, Thu, Fri 09:00–17:00 \(Europe\/Berlin\) · meeting link set/,
    );
    await checked(page);

    // Settings: retention and private webhook targets (the test receiver is on loopback).
    await Promise.all([
      page.waitForURL('**/admin/settings'),
      page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Retention and privacy' }).click(),
    ]);
    await page.getByLabel('Keep candidate data for (months)').fill('18');
    await page.getByRole('checkbox', { name: 'Allow webhooks to private network addresses' }).check();
    await submit(page, 'Save settings', /done=1/);
    expect(await page.getByRole('status').innerText()).toContain('Settings saved');
    await checked(page);
    expect((await t.http.get('/api/v1/settings/retention').set(auth(w.admin.token))).body).toEqual({
      defaultMonths: 18,
      source: 'setting',
    });

    // Interview kinds: a culture-fit kind is refused with the reason, what was typed kept.
    await Promise.all([
      page.waitForURL('**/admin/interview-kinds'),
      page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Interview kinds' }).click(),
    ]);
    await page.getByLabel('Interview kinds').fill('pairing\nculture fit');
    await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Save interview kinds' }).click()]);
    expect(await page.getByRole('alert').innerText()).toMatch(/culture fit.*cannot be an interview kind/i);
    expect(await page.getByLabel('Interview kinds').inputValue()).toBe('pairing\nculture fit');
    await checked(page);
    await page.getByLabel('Interview kinds').fill('pairing\nsystem design\ncode walkthrough');
    await submit(page, 'Save interview kinds', /done=1/);
    expect((await t.http.get('/api/v1/interview-kinds').set(auth(w.recruiter.token))).body.kinds).toEqual([
      'pairing',
      'system_design',
      'code_walkthrough',
    ]);
    expect(await page.getByRole('main').innerText()).not.toContain('system_design');

    // A webhook, a delivery from a real event, and redelivering it.
    await Promise.all([
      page.waitForURL('**/admin/webhooks'),
      page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Webhooks' }).click(),
    ]);
    await page.getByLabel('Address (URL)').fill('http://127.0.0.1:9/hiring-hook');
    await page.getByLabel('Signing secret').fill('a-shared-secret-123456');
    await page.getByRole('checkbox', { name: 'A candidate is put on an opening' }).check();
    await page.getByLabel('Description').fill('Data warehouse');
    await submit(page, 'Add webhook', /\/admin\/webhooks\/[0-9a-f-]{36}\?done=created/);
    await checked(page);
    const opening = await makeOpening(t, w);
    const candidate = await makeCandidate(t, w, { name: 'Wen Webhook' });
    await makeApplication(t, w, opening.id, candidate.id);
    await page.reload();
    const deliveries = page.getByRole('listitem', { name: /^Delivery:/ });
    expect(await deliveries.count()).toBe(1);
    expect(await deliveries.first().innerText()).toMatch(/A candidate is put on an opening/);
    expect(await deliveries.first().innerText()).not.toMatch(/application\.created|pending/);
    await submit(page, /^Redeliver A candidate is put on an opening/, /done=redelivered/);
    expect(await page.getByRole('status').innerText()).toContain('Sent again');
    expect(await deliveries.count()).toBe(2);
    expect(await deliveries.first().innerText()).toContain('(sent again)');
    await checked(page);

    // The audit log: filtered by who and by what, in plain words.
    await Promise.all([
      page.waitForURL('**/admin/audit'),
      page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audit log' }).click(),
    ]);
    await checked(page);
    await page.getByLabel('Who').selectOption({ label: admin.name });
    await submit(page, 'Filter', /actorId=/);
    const log = await page.getByRole('list').filter({ hasText: 'created a staff account' }).innerText();
    expect(log).toContain(`${admin.name} created a staff account “${erin.name}”`);
    expect(log).toContain(`changed a staff account “${erin.name}”`);
    expect(log).toContain('time zone: UTC → Europe/Berlin');
    expect(log).toMatch(/refused \(400\)/); // the short password
    expect(log).toContain('added a webhook');
    expect(log).not.toMatch(/\/api\/|\/admin\/|timezone|_id\b|\bPOST\b|\bPATCH\b/);
    await page.getByLabel('What').selectOption({ label: 'Webhooks' });
    await submit(page, 'Filter', /entity=webhook/);
    const hooks = await page.getByRole('list').filter({ hasText: 'webhook' }).innerText();
    expect(hooks).toContain('sent a webhook delivery again');
    expect(hooks).not.toContain('created a staff account');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From').fill(tomorrow);
    await submit(page, 'Filter', /from=/);
    expect(await page.getByText('Nothing recorded').count()).toBe(1);
    await checked(page);
    expect(problems).toEqual([]);
  });

  it('an engineer opens "My reviews", reads the packet and decides; a recruiter sees the packet without the outcome form', async () => {
    expect(erin.id).not.toBe('');
    const opening = await makeOpening(t, w, { title: 'Frontend Engineer' });
    const candidate = await makeCandidate(t, w, { name: 'Kim Candidate', timezone: 'Europe/Berlin' });
    const app = await makeApplication(t, w, opening.id, candidate.id);
    const ex = await t.http
      .post(`/api/v1/applications/${app.id}/exemptions`)
      .set(auth(w.recruiter.token))
      .send({ kind: 'public_code', url: 'https://github.com/example/kim', reason: 'Maintains a parser library', language: 'javascript' });
    expect(ex.status).toBe(201);
    const [review] = (await t.http.get(`/api/v1/reviews?reviewerId=${erin.id}`).set(auth(w.manager.token))).body as Array<{ id: string }>;
    expect(review).toBeDefined();

    // The recruiter: the packet, and no outcome form to fill in and lose.
    const recruiter = await open((await emailOf(w.recruiter.id)).email);
    await recruiter.page.goto(`${base}/reviews/${review.id}`);
    expect(await recruiter.page.getByRole('heading', { level: 1 }).innerText()).toContain('Kim Candidate');
    expect(await recruiter.page.getByRole('button', { name: 'Advance' }).count()).toBe(0);
    expect(await recruiter.page.getByLabel('Notes').count()).toBe(0);
    expect(await recruiter.page.getByText('The assigned reviewer or the hiring manager records the outcome').count()).toBe(1);
    await checked(recruiter.page);

    // Erin: her dashboard links only to what she can open; "My reviews" is in the navigation.
    const { page, problems } = await open(erin.email, erin.password);
    expect(await page.locator('a[href^="/dashboard/openings/"]').count()).toBe(0);
    await checked(page);
    await Promise.all([
      page.waitForURL('**/reviews'),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My reviews' }).click(),
    ]);
    await checked(page);
    const item = page.getByRole('listitem').filter({ hasText: 'Kim Candidate' });
    expect(await item.innerText()).toMatch(/Frontend Engineer[\s\S]*\(Europe\/Berlin\)/);
    await Promise.all([page.waitForURL(`**/reviews/${review.id}`), item.getByRole('link', { name: 'Review of Kim Candidate' }).click()]);
    await checked(page);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Code review: Kim Candidate');
    expect(await page.getByRole('main').innerText()).toMatch(/\(Europe\/Berlin\)/);
    await page.getByLabel('Notes').fill('Walked through the tokenizer; clear reasoning about the edge cases.');
    await submit(page, 'Advance', /decided=1/);
    expect(await page.getByRole('status').innerText()).toContain('Decided: move on');
    await checked(page);
    const decided = (await t.http.get(`/api/v1/reviews/${review.id}`).set(auth(w.manager.token))).body;
    expect(decided).toMatchObject({ decision: 'advance', notes: 'Walked through the tokenizer; clear reasoning about the edge cases.' });
    await page.goto(`${base}/reviews`);
    expect(await page.getByRole('region', { name: 'Decided or cancelled' }).innerText()).toContain('decided: move on');

    // Pages she may not open say so under the same signed-in header; the icon exists.
    const refused = await page.goto(`${base}/dashboard/openings/${opening.id}`);
    expect(refused!.status()).toBe(403);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My reviews' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await checked(page);
    const missing = await page.goto(`${base}/no-such-page`);
    expect(missing!.status()).toBe(404);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    const icon = await page.request.get(`${base}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
    expect(problems).toEqual([]);
  });

  it('a hiring manager acts on stale candidates from the board: acknowledge with a confirmation where the alerts are, nudge, move on; the board fits a phone and 1366 px', async () => {
    const NOW = new Date('2027-02-10T12:00:00Z'); // Wednesday
    const at = async <T>(iso: string, fn: () => Promise<T>) => {
      clock.set(new Date(iso));
      try {
        return await fn();
      } finally {
        clock.reset();
      }
    };
    const opening = await makeOpening(t, w, {
      title: 'Platform Engineer',
      timezone: 'UTC',
      stages: [
        { key: 'screen' },
        { key: 'call', name: 'Manager call' },
        { key: 'onsite' },
        { key: 'takehome', name: 'Take-home exercise' },
        { key: 'review', name: 'Code review' },
        { key: 'team', name: 'Team interviews' },
        { key: 'offer', kind: 'offer' },
      ],
    });
    for (const name of ['Lee Late', 'Max Stale', 'Nia Slow']) {
      const c = await makeCandidate(t, w, { name, timezone: 'UTC' });
      await at('2027-02-03T09:00:00Z', () => makeApplication(t, w, opening.id, c.id));
    }
    await t.app.get(SweepRegistry).runAll(NOW);
    clock.set(NOW);
    try {
      const { page, problems } = await open((await emailOf(w.manager.id)).email);
      await page.setViewportSize({ width: 1366, height: 800 });
      await Promise.all([
        page.waitForURL(`**/dashboard/openings/${opening.id}`),
        page.getByRole('link', { name: 'Platform Engineer', exact: true }).click(),
      ]);
      // Every column of seven stages is on screen at 1366 px, and nothing scrolls sideways.
      const columns = await page
        .locator('.board .column[data-stage]')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
      expect(columns).toHaveLength(7);
      for (const right of columns) expect(right).toBeLessThanOrEqual(1366);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
      await checked(page);

      await submit(page, 'Acknowledge the alert about Lee Late', /done=acknowledged/);
      expect(await page.getByRole('status').innerText()).toContain('Acknowledged the alert about Lee Late.');
      expect(new URL(page.url()).hash).toBe('#stale-alerts');
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(100); // at the alerts, not the top of the page
      expect(await page.getByRole('listitem', { name: 'Alert about Lee Late' }).count()).toBe(0);
      await checked(page);

      await submit(page, 'Nudge the recruiter about Max Stale', /done=nudged/);
      expect(await page.getByRole('status').innerText()).toContain('The recruiter was asked to get in touch with Max Stale');
      const recruiterAlerts = (await t.http.get('/api/v1/alerts').set(auth(w.recruiter.token))).body as Array<{
        message: string;
        applicationId: string;
      }>;
      expect(recruiterAlerts.filter((a) => /asks you to get in touch/.test(a.message) && a.message.includes('Max Stale'))).toHaveLength(1);
      await submit(page, 'Nudge the recruiter about Max Stale', /done=already-nudged/);
      expect(
        (await t.http.get('/api/v1/alerts').set(auth(w.recruiter.token))).body.filter((a: { message: string }) =>
          a.message.includes('Max Stale'),
        ),
      ).toHaveLength(1);

      await submit(page, 'Move to Manager call: Nia Slow', /done=moved/);
      expect(await page.getByRole('status').innerText()).toContain('Nia Slow moved to Manager call.');
      expect(await page.locator('[data-stage="call"]').innerText()).toContain('Nia Slow');
      await Promise.all([
        page.waitForURL(/\/dashboard\/applications\//),
        page.getByRole('link', { name: 'Open application of Max Stale' }).click(),
      ]);
      expect(problems).toEqual([]);
    } finally {
      clock.reset();
    }
  });

  it('every e-mail with long raw links fits a 390 px phone', async () => {
    const templates = t.app.get(TemplateService);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const long = `http://hiring.test/portal/${'k3Y'.repeat(40)}`;
    const tooWide: string[] = [];
    for (const [key, def] of Object.entries(TEMPLATES)) {
      const sample = def.sample as Record<string, any>;
      const links = Object.fromEntries(Object.keys(sample.links ?? { privacy: 1 }).map((k) => [k, long]));
      const m = await templates.render(key, { ...sample, packetUrl: long, meetingUrl: long, portalUrl: long, links });
      await page.setContent(m.html);
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0) tooWide.push(`${key}: ${overflow} px`);
    }
    expect(tooWide).toEqual([]);
    await page.close();
  });

  it('an admin disables an account from its page: its session ends and sign-in is refused; the last admin cannot demote themselves', async () => {
    const leaver = await t.login([Role.Recruiter]);
    const other = await open(leaver.email);
    const admin = await emailOf(w.admin.id);
    const { page } = await open(admin.email);
    await page.goto(`${base}/admin/users/${leaver.id}`);
    await submit(page, 'Disable account', /done=disabled/);
    expect(await page.getByRole('status').innerText()).toContain('The account is disabled');
    expect(await page.getByRole('button', { name: 'Enable account' }).count()).toBe(1);
    await checked(page);
    await other.page.goto(`${base}/dashboard`);
    expect(new URL(other.page.url()).pathname).toBe('/login');
    expect([401, 403]).toContain((await t.http.post('/api/v1/auth/login').send({ email: leaver.email, password: PASSWORD })).status);
    // Refused changes say why next to the form.
    await page.goto(`${base}/admin/users/${w.admin.id}`);
    await page.getByRole('checkbox', { name: 'Admin' }).uncheck();
    await page.getByRole('checkbox', { name: 'Recruiter' }).check();
    await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Save changes' }).click()]);
    expect(await page.getByRole('alert').innerText()).toMatch(/Not changed:.*admin/i);
    await checked(page);
  });

  it("a candidate's refused attestation and upload say why next to the form, on the portal's own address, with times in their zone", async () => {
    // A published take-home. Publishing runs the reference solution in the Docker sandbox (tested in
    // the portal and assessments suites); here the version is marked published directly.
    const engineer = await t.login([Role.Engineer]);
    const a = await t.http
      .post('/api/v1/assignments')
      .set(auth(w.manager.token))
      .send({ title: 'Word frequencies', runtime: 'node', instructions: '# Count words\n\nWrite `topWords(text, n)`.' });
    expect(a.status).toBe(201);
    const v = await t.http
      .post(`/api/v1/assignments/${a.body.id}/versions`)
      .set(auth(engineer.token))
      .attach('hiddenTests', zipDir('node-wordfreq/hidden-tests'), 'hidden.zip')
      .attach('starter', zipDir('node-wordfreq/starter', 'wordfreq/'), 'starter.zip')
      .attach('referenceSolution', await tarGzDir('node-wordfreq/reference'), 'reference.tar.gz');
    expect(v.status).toBe(201);
    await t.db.query(`UPDATE assignment_versions SET status = 'published', published_at = now() WHERE assignment_id = $1`, [a.body.id]);
    const opening = await makeOpening(t, w);
    const candidate = await makeCandidate(t, w, { name: 'Hedy Lamarr', timezone: 'America/New_York' });
    const app = await makeApplication(t, w, opening.id, candidate.id);
    for (const to of ['manager_call', 'take_home'])
      expect((await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to })).status).toBe(200);
    const inv = await t.http
      .post(`/api/v1/applications/${app.id}/invitations`)
      .set(auth(w.recruiter.token))
      .send({ assignmentId: a.body.id });
    expect(inv.status).toBe(201);
    const token = String(inv.body.portalUrl).split('/').pop()!;

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/portal/${token}`);
    // The link's expiry in the candidate's own zone, named (as the e-mail says it).
    expect(await page.getByRole('main').innerText()).toMatch(/Link valid until\s+\w+day \d+ \w+ \d{4}, \d\d:\d\d \(America\/New_York\)/);
    expect(await page.getByRole('main').innerText()).not.toMatch(/\d UTC\b/);
    await checked(page);

    // An attestation without the box ticked (the browser's own check bypassed, as an old browser would).
    await page.getByLabel('Your full name').fill('Hedy Lamarr');
    await page.evaluate(() => document.querySelectorAll('form').forEach((f) => f.setAttribute('novalidate', '')));
    await Promise.all([page.waitForURL(/refused=attest/), page.getByRole('button', { name: 'Sign and open the starter code' }).click()]);
    expect(new URL(page.url()).pathname).toBe(`/portal/${token}`);
    const attestError = page.getByRole('alert');
    expect(await attestError.innerText()).toMatch(/Tick the box/);
    const [errorBox, buttonBox] = await Promise.all([
      attestError.boundingBox(),
      page.getByRole('button', { name: 'Sign and open the starter code' }).boundingBox(),
    ]);
    expect(Math.abs(buttonBox!.y - errorBox!.y)).toBeLessThan(400); // next to the form, not at the top of the page
    expect(await attestError.isVisible()).toBe(true);
    await checked(page);

    await page.getByLabel('Your full name').fill('Hedy Lamarr');
    await page.getByRole('checkbox').check();
    await Promise.all([page.waitForURL(/done=attested/), page.getByRole('button', { name: 'Sign and open the starter code' }).click()]);
    await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an archive') });
    await page.evaluate(() => document.querySelectorAll('form').forEach((f) => f.setAttribute('novalidate', '')));
    await Promise.all([page.waitForURL(/refused=upload/), page.getByRole('button', { name: 'Upload' }).click()]);
    expect(new URL(page.url()).pathname).toBe(`/portal/${token}`);
    expect(await page.getByRole('alert').innerText()).toMatch(/Not uploaded:.*not a zip or tar\.gz archive/);
    expect(await page.getByRole('alert').isVisible()).toBe(true);
    await checked(page);
    // A reload shows the portal (the reason was said once), never "Cannot GET".
    const again = await page.reload();
    expect(again!.status()).toBe(200);
    expect(await page.getByRole('alert').count()).toBe(0);
    // The form's own address, opened directly, leads back to the portal.
    const direct = await page.goto(`${base}/portal/${token}/submit`);
    expect(direct!.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/portal/${token}`);
    expect(await page.getByRole('heading', { level: 1 }).first().innerText()).toBe('Word frequencies');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM submissions WHERE application_id = $1`, [app.id]))[0].n).toBe(0);
  });
});
