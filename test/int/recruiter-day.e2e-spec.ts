import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { IdentityService } from '../../src/identity/identity.service';
import { Role, TokenKind } from '../../src/identity/user.entity';
import { FIXTURES, tarGzDir, zipDir } from '../fixtures/assignments/pack';
import { PASSWORD, startMailSuite } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn, submitForm } from '../support/browser';
import { auth } from '../support/factories';

/** Poll until `check` holds (mail delivery and grading are asynchronous). */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, ms = 30000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A recruiter's day and a hiring manager's, in Chromium, through the pages only (found by their
 * accessible names, as a screen-reader user would): create an opening, add candidates, move them
 * through the stages, reject with a reason (the message previewed first), withdraw, invite to the
 * take-home, make an offer, hire; a hiring manager acts on a candidate. axe-core and the 390 px
 * check run on every page visited.
 */
describe("the recruiter's and hiring manager's day in the browser", () => {
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let base: string;
  let browser: Browser;
  let recruiter: { id: string; email: string };
  let manager: { id: string; email: string };
  let engineerToken: string;
  let engineerId: string;
  let ritaToken: string;
  const problems: string[] = [];

  const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => r.status() >= 500 && problems.push(`${r.status()} ${r.url()}`));
    return { context, page };
  };
  /** Every page a test lands on: no serious axe-core violation, nothing sideways at 390 px, no internal keys. */
  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectFitsPhone(page);
    // (Users made by the suite's factories are named after their roles, "Test hiring_manager 3": data, not a label.)
    const text = (await page.locator('main').innerText()).replace(/Test [a-z_ ]+ \d+/g, '');
    expect(text).not.toMatch(
      /\b(recruiter_screen|manager_call|take_home|code_review|team_interviews|hiring_manager|message\.queued|stage\.changed)\b/,
    );
    expect(text).not.toMatch(/\d{2}:\d{2} UTC\b/);
  };
  // The answer's load, after its navigation (the form's own page fired its 'load' long before).
  const submit = (page: Page, name: string | RegExp) => submitForm(page, page.getByRole('button', { name }).first());
  const status = (page: Page) => page.getByRole('status').innerText();

  beforeAll(async () => {
    suite = await startMailSuite();
    const identity = suite.t.app.get(IdentityService);
    const r = await identity.createUser({
      email: 'rita@test.local',
      name: 'Rita Recruiter',
      password: PASSWORD,
      roles: [Role.Recruiter],
      timezone: 'Europe/Berlin',
    });
    const m = await identity.createUser({
      email: 'hank@test.local',
      name: 'Hank Manager',
      password: PASSWORD,
      roles: [Role.HiringManager],
      timezone: 'America/New_York',
    });
    await identity.createUser({
      email: 'other@test.local',
      name: 'Olga Other',
      password: PASSWORD,
      roles: [Role.HiringManager],
      timezone: 'UTC',
    });
    recruiter = { id: r.id, email: r.email };
    manager = { id: m.id, email: m.email };
    const e = await suite.t.login([Role.Engineer]);
    engineerToken = e.token;
    engineerId = e.id;
    // Rita owns the opening she creates below: the hiring-team scope lets only its team act on it.
    ritaToken = (await identity.issueToken(r.id, TokenKind.ApiToken)).token;
    base = await suite.t.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await suite?.close();
  });

  let openingId: string;
  let applicationId: string;

  it('creates an opening and adds a candidate to it, from the dashboard', async () => {
    const { context, page } = await newPage();
    await signIn(page, base, recruiter.email, PASSWORD);
    await check(page);
    expect(await page.getByLabel('Search candidates').count()).toBe(1);
    await Promise.all([page.waitForURL('**/openings/new'), page.getByRole('main').getByRole('link', { name: 'New opening' }).click()]);
    await check(page);
    await page.getByLabel('Title').fill('Platform Engineer');
    const managerSelect = page.getByLabel('Hiring manager');
    const options = await managerSelect.locator('option').allInnerTexts();
    expect(options[0]).toBe('Choose a person');
    expect(options).toEqual(expect.arrayContaining(['Hank Manager', 'Olga Other']));
    expect(options).not.toContain('Rita Recruiter');
    await managerSelect.selectOption({ label: 'Hank Manager' });
    await page.getByLabel('Recruiter').selectOption({ label: 'Rita Recruiter' });
    await page.getByLabel('Minimum').fill('90000');
    await page.getByLabel('Maximum').fill('80000');
    await page.getByLabel('Currency').fill('EUR');
    // A refused form comes back with the reason and what was typed.
    await submit(page, 'Create opening');
    expect(page.url()).toMatch(/\/openings\/new$/);
    expect(await page.getByRole('alert').innerText()).toContain('compensation.max must be at least compensation.min');
    expect(await page.getByLabel('Title').inputValue()).toBe('Platform Engineer');
    await page.getByLabel('Maximum').fill('120000');
    await page.getByLabel('Hiring manager').selectOption({ label: 'Hank Manager' });
    await page.getByLabel('Recruiter').selectOption({ label: 'Rita Recruiter' });
    await submit(page, 'Create opening');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Platform Engineer');
    expect(await status(page)).toContain('Opening “Platform Engineer” created');
    openingId = page.url().split('/').pop()!;
    const main = await page.locator('main').innerText();
    expect(main).toContain('Hiring manager: Hank Manager');
    expect(main).toContain('€90,000.00 – €120,000.00');
    expect(main).toMatch(
      /Recruiter screen[\s\S]*Hiring manager call[\s\S]*Take-home coding test[\s\S]*Coding test review[\s\S]*Team interviews[\s\S]*Offer/,
    );
    await check(page);

    // Add a candidate straight onto the opening: lands on the new application's page.
    await Promise.all([
      page.waitForURL('**/candidates/new'),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Add candidate' }).click(),
    ]);
    await check(page);
    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await page.getByLabel('Source', { exact: true }).selectOption({ label: 'Job board' });
    await page.getByLabel(/Which board/).fill('Hacker News');
    const openingSelect = page.getByLabel('Opening', { exact: true });
    expect(await openingSelect.locator('option').allInnerTexts()).toContain('Platform Engineer');
    await openingSelect.selectOption({ label: 'Platform Engineer' });
    await submit(page, 'Add candidate');
    expect(page.url()).toMatch(/\/dashboard\/applications\/[0-9a-f-]{36}$/);
    applicationId = page.url().split('/').pop()!;
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Ada Lovelace');
    expect(await page.locator('#status-line').innerText()).toContain('Stage: Recruiter screen');
    // Times in the recruiter's own zone, named.
    expect(await page.locator('#status-line').innerText()).toMatch(/\d{2}:\d{2} \(Europe\/Berlin\)/);
    await check(page);
    // The same e-mail again is refused with a way to the existing profile.
    await page.goto(`${base}/candidates/new`);
    await page.getByLabel('Name', { exact: true }).fill('Ada Again');
    await page.getByLabel('Email').fill('ADA@example.com');
    await submit(page, 'Add candidate');
    expect(await page.getByRole('alert').innerText()).toContain('already exists');
    // (The profile's own address: `**/candidates/*` also matches the form's /candidates/new, and would not wait.)
    await Promise.all([
      page.waitForURL(/\/candidates\/[0-9a-f-]{36}$/),
      page.getByRole('link', { name: /existing candidate's profile/ }).click(),
    ]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Ada Lovelace');
    expect(await page.getByRole('link', { name: 'Platform Engineer' }).count()).toBe(1);
    expect(await page.locator('main').innerText()).toContain('Recruiter screen');
    await check(page);
    await context.close();
  });

  it('moves a candidate forward and back, writes a note and a message, then rejects with a reason (one rejection e-mail)', async () => {
    const { context, page } = await newPage();
    await signIn(page, base, recruiter.email, PASSWORD, `/dashboard/applications/${applicationId}`);
    await submit(page, 'Move to Hiring manager call');
    expect(await status(page)).toContain('Moved to Hiring manager call');
    expect(await page.locator('#status-line').innerText()).toContain('Stage: Hiring manager call');
    await submit(page, 'Move back to Recruiter screen');
    expect(await page.locator('#status-line').innerText()).toContain('Stage: Recruiter screen');
    await submit(page, 'Move to Hiring manager call');
    await check(page);

    await page.getByRole('textbox', { name: 'Notes' }).fill('Strong on distributed systems.');
    await submit(page, 'Add note');
    await page.getByLabel('Subject (optional)').fill('Your call with Hank');
    await page.getByLabel('Message', { exact: true }).fill('Hi Ada,\nHank will call you on Tuesday.');
    await submit(page, 'Send message');
    expect(await status(page)).toContain('Message sent');
    const timeline = await page.locator('#timeline').innerText();
    expect(timeline).toContain('Moved from Recruiter screen to Hiring manager call');
    expect(timeline).toContain('Moved back from Hiring manager call to Recruiter screen');
    expect(timeline).toContain('Rita Recruiter: Note: Strong on distributed systems.');
    const mail = await eventually(
      async () => suite.smtp.to('ada@example.com').filter((m) => m.subject === 'Your call with Hank'),
      (m) => m.length === 1,
    );
    expect(mail[0].text).toContain('Hank will call you on Tuesday.');
    // The thread shows each message's text and whether it was delivered.
    await eventually(
      async () => {
        await page.reload();
        return page.locator('#messages li', { hasText: 'Your call with Hank' }).innerText();
      },
      (t) => /Sent/.test(t),
    );
    const thread = page.locator('#messages li', { hasText: 'Your call with Hank' });
    expect(await thread.innerText()).toContain('Hank will call you on Tuesday.');
    await check(page);

    // Reject: the reason (internal) and a preview of the message the candidate will get.
    await Promise.all([page.waitForURL(/\/reject/), page.getByRole('button', { name: 'Reject' }).click()]);
    await check(page);
    expect(await page.locator('main').innerText()).toContain('We have decided not to go further with your application.');
    await page.getByLabel('Reason').fill('Prefers a frontend role');
    await submit(page, 'Reject');
    expect(page.url()).toMatch(new RegExp(`/dashboard/applications/${applicationId}$`));
    expect(await page.locator('#status-line').innerText()).toContain('Rejected');
    expect(await page.getByRole('button', { name: /^Move to/ }).count()).toBe(0);
    expect(await page.locator('#timeline').innerText()).toContain('Rejected in Hiring manager call (“Prefers a frontend role”)');
    await check(page);
    const rejections = await eventually(
      async () => suite.smtp.to('ada@example.com').filter((m) => m.subject === 'Your application for Platform Engineer'),
      (m) => m.length >= 1,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(suite.smtp.to('ada@example.com').filter((m) => m.subject === 'Your application for Platform Engineer')).toHaveLength(1);
    expect(rejections[0].text).not.toContain('Prefers a frontend role');
    await context.close();
  });

  it('withdraws a candidate, invites another to the take-home, makes an offer and hires', async () => {
    // Set-up through the API: a second and third candidate on the opening, a published assignment.
    const { t } = suite;
    const token = ritaToken;
    const mk = async (name: string, email: string) => {
      const c = await t.http
        .post('/api/v1/candidates')
        .set(auth(token))
        .send({ name, email, timezone: 'UTC', source: { kind: 'direct' } })
        .expect(201);
      return (await t.http.post('/api/v1/applications').set(auth(token)).send({ candidateId: c.body.id, openingId }).expect(201)).body
        .id as string;
    };
    const leaving = await mk('Linus Leaving', 'linus@example.com');
    const grace = await mk('Grace Hopper', 'grace@example.com');
    const a = await t.http
      .post('/api/v1/assignments')
      .set(auth(engineerToken))
      .send({
        title: 'Word frequencies',
        runtime: 'node',
        instructions: readFileSync(path.join(FIXTURES, 'node-wordfreq', 'instructions.md'), 'utf8'),
      })
      .expect(201);
    await t.http
      .post(`/api/v1/assignments/${a.body.id}/versions`)
      .set(auth(engineerToken))
      .attach('hiddenTests', zipDir('node-wordfreq/hidden-tests'), 'hidden.zip')
      .attach('starter', zipDir('node-wordfreq/starter'), 'starter.zip')
      .attach('referenceSolution', await tarGzDir('node-wordfreq/reference'), 'reference.tar.gz')
      .expect(201);
    // Publishing runs the sandbox; its page is tested on the opening page. Here it is data.
    await t.db.query(`UPDATE assignment_versions SET status = 'published', published_at = now() WHERE assignment_id = $1`, [a.body.id]);

    const { context, page } = await newPage();
    await signIn(page, base, recruiter.email, PASSWORD, `/dashboard/applications/${leaving}`);
    await submit(page, 'Withdraw');
    expect(await page.locator('#status-line').innerText()).toContain('Withdrawn');
    expect(await page.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
    await check(page);

    await page.goto(`${base}/dashboard/applications/${grace}`);
    expect(await page.getByRole('button', { name: 'Invite to take-home' }).count()).toBe(0);
    await submit(page, 'Move to Hiring manager call');
    await submit(page, 'Move to Take-home coding test');
    await page.getByLabel('Assignment').selectOption({ label: 'Word frequencies (version 1)' });
    await submit(page, 'Invite to take-home');
    expect(await status(page)).toContain('Invited to the take-home');
    expect(await page.locator('#take-home').innerText()).toMatch(
      /Invited to “Word frequencies” \(version 1\)[\s\S]*link valid until .*\(Europe\/Berlin\)/,
    );
    await check(page);
    const invite = await eventually(
      async () => suite.smtp.to('grace@example.com').filter((m) => /take-home/.test(m.subject)),
      (m) => m.length === 1,
    );
    expect(invite[0].subject).toBe('Your take-home for Platform Engineer: Word frequencies');

    // Straight to the offer stage (skips need a reason: given through the API here).
    await t.http
      .post(`/api/v1/applications/${grace}/exemptions`)
      .set(auth(token))
      .send({ kind: 'public_code', url: 'https://github.com/grace/cobol', reason: 'Compiler author' })
      .expect(201);
    await page.reload();
    expect(await page.locator('#status-line').innerText()).toContain('Stage: Coding test review');
    await submit(page, 'Move to Team interviews');
    // Offers wait for the scorecard decision rule: a reviewer files a strong yes first.
    const [{ id: reviewId }] = await t.db.query(
      `INSERT INTO review_sessions (dedupe_key, application_id, reviewer_id, language, starts_at, ends_at, created_at)
       VALUES ($1, $2, $3, 'javascript', now() - interval '2 hours', now() - interval '1 hour', now() - interval '3 days') RETURNING id`,
      [`decided:${grace}`, grace, engineerId],
    );
    await t.http
      .post(`/api/v1/reviews/${reviewId}/scorecards`)
      .set(auth(engineerToken))
      .send({
        ratings: [
          { competency: 'communication', score: 4 },
          { competency: 'technical_skills', score: 4 },
          { competency: 'working_with_others', score: 4 },
        ],
        recommendation: 'strong_yes',
      })
      .expect(201);
    await submit(page, 'Move to Offer');
    await page.getByLabel('Yearly amount').fill('130000');
    await submit(page, 'Make offer');
    expect(await page.getByRole('alert').innerText()).toMatch(/range/i);
    await page.getByLabel('Yearly amount').fill('115000');
    await page.getByLabel('First working day').fill('2099-05-03');
    await submit(page, 'Make offer');
    expect(await status(page)).toContain('Offer made');
    expect(await page.locator('#offer').innerText()).toMatch(/Offered €115,000\.00 a year, starting \w{3} 3 May 2099/);
    await check(page);
    await submit(page, 'Hire');
    expect(await page.locator('#status-line').innerText()).toContain('Hired');
    expect(await page.locator('#onboarding').count()).toBe(1);
    await check(page);
    const timeline = await page.locator('#timeline').innerText();
    expect(timeline).toContain('Invited to the take-home coding test');
    expect(timeline).toContain('Public code accepted instead of the take-home: https://github.com/grace/cobol');
    expect(timeline).toContain(
      'Automatically: Moved from Take-home coding test to Coding test review (“Public code accepted instead of the take-home”)',
    );
    expect(timeline).toMatch(/Offer made: €115,000\.00/);
    expect(timeline).toContain('Hired');
    await context.close();
  });

  it('a hiring manager changes stage settings and moves a candidate, seeing times in New York', async () => {
    const { t } = suite;
    const token = ritaToken;
    const c = await t.http
      .post('/api/v1/candidates')
      .set(auth(token))
      .send({ name: 'Edsger Dijkstra', email: 'edsger@example.com', timezone: 'Europe/Amsterdam', source: { kind: 'direct' } })
      .expect(201);
    const app = (await t.http.post('/api/v1/applications').set(auth(token)).send({ candidateId: c.body.id, openingId }).expect(201)).body
      .id as string;
    const { context, page } = await newPage();
    await signIn(page, base, manager.email, PASSWORD, `/openings/${openingId}`);
    await check(page);
    await page.getByLabel('Contact within (business days) in Take-home coding test').fill('5');
    await page.getByLabel('Alert when in stage longer than (business days) in Take-home coding test').fill('8');
    await submit(page, 'Save stage settings');
    expect(await status(page)).toContain('Stage settings saved');
    const stages = (await t.http.get(`/api/v1/openings/${openingId}`).set(auth(token))).body.stages as Array<{
      key: string;
      contactSlaBusinessDays: number;
      staleAfterBusinessDays: number;
    }>;
    expect(stages.find((s) => s.key === 'take_home')).toMatchObject({ contactSlaBusinessDays: 5, staleAfterBusinessDays: 8 });
    // Title edit.
    await page.getByText('Edit title and pay range').click();
    await page.getByLabel('Title', { exact: true }).fill('Senior Platform Engineer');
    await submit(page, 'Save opening');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Senior Platform Engineer');
    await check(page);

    await page.goto(`${base}/dashboard/applications/${app}`);
    expect(await page.locator('#status-line').innerText()).toMatch(/\(America\/New_York\)/);
    await submit(page, 'Move to Hiring manager call');
    expect(await page.locator('#status-line').innerText()).toContain('Stage: Hiring manager call');
    await check(page);
    const events = (await t.http.get(`/api/v1/applications/${app}/events`).set(auth(token))).body as Array<{
      type: string;
      actor: { id: string };
    }>;
    expect(events.filter((e) => e.type === 'stage.changed').pop()!.actor.id).toBe(manager.id);
    await context.close();
    expect(problems).toEqual([]);
  });

  it('schedules interviews with the broken rule shown beside its session, and edits templates and the screening form with their checks', async () => {
    const { t } = suite;
    // Rita owns the opening: the team scope answers 404 to a recruiter off the team.
    const token = ritaToken;
    const managerToken = (await t.login([Role.HiringManager])).token;
    openingId = (
      await t.http
        .post('/api/v1/openings')
        .set(auth(managerToken))
        .send({
          title: 'Compiler Engineer',
          hiringManagerId: manager.id,
          recruiterId: recruiter.id,
          compensation: { min: 90000, max: 120000, currency: 'EUR' },
        })
        .expect(201)
    ).body.id;
    const c = await t.http
      .post('/api/v1/candidates')
      .set(auth(token))
      .send({ name: 'Barbara Liskov', email: 'barbara@example.com', timezone: 'Europe/Amsterdam', source: { kind: 'direct' } })
      .expect(201);
    const app = (await t.http.post('/api/v1/applications').set(auth(token)).send({ candidateId: c.body.id, openingId }).expect(201)).body
      .id as string;
    const { context, page } = await newPage();
    await signIn(page, base, recruiter.email, PASSWORD, `/dashboard/applications/${app}`);
    const session1 = page.getByRole('group', { name: 'Session 1' });
    await session1.getByLabel(/^Kind/).selectOption({ label: 'Pairing' });
    await session1.getByLabel(/^Interviewer/).selectOption({ label: 'Hank Manager' });
    await session1.getByLabel(/^Starts/).fill('2020-03-03T10:00');
    await session1.getByLabel(/^Ends/).fill('2020-03-03T11:00');
    await submit(page, 'Schedule interviews');
    expect(await page.getByRole('group', { name: 'Session 1' }).locator('.violation').innerText()).toContain(
      'Session 1 would start in the past',
    );
    // What was typed is still there; a weekday next week, 10:00-11:00 in the recruiter's zone (Berlin).
    expect(await session1.getByLabel(/^Starts/).inputValue()).toBe('2020-03-03T10:00');
    const day = DateTime.now().setZone('Europe/Berlin').plus({ weeks: 1 }).set({ weekday: 2 }).toISODate();
    await session1.getByLabel(/^Starts/).fill(`${day}T10:00`);
    await session1.getByLabel(/^Ends/).fill(`${day}T11:00`);
    await submit(page, 'Schedule interviews');
    expect(await status(page)).toContain('1 interview scheduled');
    const interviews = await page.locator('section[aria-labelledby="interviews-title"]').innerText();
    expect(interviews).toMatch(/Pairing with Hank Manager: \w{3} \d+ \w{3} \d{4}, 10:00 \(Europe\/Berlin\)/);
    await check(page);
    const [session] = (await t.http.get(`/api/v1/applications/${app}/interviews`).set(auth(token))).body as Array<{ startsAt: string }>;
    expect(new Date(session.startsAt).toISOString()).toBe(DateTime.fromISO(`${day}T10:00`, { zone: 'Europe/Berlin' }).toUTC().toISO());

    // The opening's message templates: a preview, and an edit that names an unknown variable is refused.
    await page.goto(`${base}/openings/${openingId}`);
    const rejection = page.locator('#template-rejection');
    await rejection.getByText('A respectful rejection').first().click();
    expect(await rejection.locator('.preview').innerText()).toContain('We have decided not to go further with your application.');
    await rejection.getByLabel(/^Plain text/).fill('Hi {{candidate.shoeSize}}');
    await Promise.all([page.waitForURL(/#template-rejection$/), rejection.getByRole('button', { name: /^Save template/ }).click()]);
    expect(await page.locator('#template-rejection').getByRole('alert').innerText()).toContain('refused');
    // The screening form: a new question whose accepted answer repeats the expected one is saved with a warning.
    const fresh = page.getByRole('group', { name: 'Add a question' });
    await fresh.getByLabel(/^Question/).fill('What does HTTP stand for?');
    await fresh.getByLabel(/^Expected answer/).fill('Hypertext Transfer Protocol');
    await fresh.getByLabel(/^Other accepted answers/).fill('hypertext transfer protocol');
    await submit(page, 'Save screening form');
    expect(await status(page)).toMatch(/Screening form saved as version 2 \(see the warnings below\)/);
    expect(await page.getByRole('note', { name: 'Problems found in the screening form' }).innerText()).toMatch(
      /Warning in question \d+: .*hypertext transfer protocol/,
    );
    await check(page);
    await context.close();
    expect(problems).toEqual([]);
  });
});
