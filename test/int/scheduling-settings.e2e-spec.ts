import { Browser, Page } from 'playwright-core';
import { Clock } from '../../src/common/clock/clock';
import { Role } from '../../src/identity/user.entity';
import { PASSWORD, TestApp, startMailSuite } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, World, setReviewerProfile, acceptPublicCode } from '../support/factories';
import { eventually } from '../support/redis-server';

const MONDAY = new Date('2027-03-01T08:00:00Z');

/**
 * The scheduling setting an admin changes without a redeploy: whether candidates choose their
 * code-review time (default from the environment: off), how long offers stay open, the rounds
 * and the notice. The review flow reads it when the submission is graded (or public code accepted).
 */
describe('scheduling setting: admins switch self-scheduling on and off from the API and the page, no restart', () => {
  let t: TestApp;
  let w: World;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let clock: Clock;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // The environment says off (the default), with its own days and notice: the stored setting must win over it.
    suite = await startMailSuite({ SELF_SCHEDULE_OFFERS: undefined, SELF_SCHEDULE_OFFER_DAYS: '2', SELF_SCHEDULE_NOTICE_HOURS: '24' });
    ({ t, w } = suite);
    base = await t.listen();
    clock = t.app.get(Clock);
    clock.set(MONDAY);
    const e = await t.login([Role.Engineer]);
    await setReviewerProfile(t, e, ['python'], 'Europe/Berlin');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    clock?.reset();
    await browser?.close();
    await suite?.close();
  });

  /** Accepted public code: the same step as a graded take-home (the application enters code review, schedule() runs). */
  async function accepted(name: string) {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name, timezone: 'Europe/London' });
    const app = await makeApplication(t, w, opening.id, c.id);
    await acceptPublicCode(t, w, app.id);
    const mail = await eventually(
      async () => suite.smtp.to(c.email).filter((m) => /Choose a time for your code review|Code review with/.test(m.subject)),
      (x) => x.length >= 1,
      30_000,
    );
    return { c, app, subjects: mail.map((m) => m.subject) };
  }
  const reviewsOf = async (applicationId: string) =>
    (await t.http.get(`/api/v1/reviews?applicationId=${applicationId}`).set(auth(w.recruiter.token)).expect(200)).body as unknown[];

  it('GET shows the environment until saved; PUT (admins only) refuses out-of-range values naming the field, is audited, and the next accepted submission follows it', async () => {
    const first = await t.http.get('/api/v1/settings/scheduling').set(auth(w.admin.token)).expect(200);
    expect(first.body).toEqual({
      selfScheduleOffers: false,
      offerDays: 2,
      offerRounds: 2,
      noticeHours: 24,
      source: 'environment',
      updatedAt: null,
    });
    // Off (the environment's default): booked at once.
    const before = await accepted('Ann Direct');
    expect(before.subjects.some((s) => /Code review with/.test(s))).toBe(true);
    expect(await reviewsOf(before.app.id)).toHaveLength(1);

    // Not an admin: 403, for reading and writing.
    expect((await t.http.get('/api/v1/settings/scheduling').set(auth(w.recruiter.token))).status).toBe(403);
    expect((await t.http.put('/api/v1/settings/scheduling').set(auth(w.recruiter.token)).send({ selfScheduleOffers: true })).status).toBe(
      403,
    );

    // Out of range or the wrong type: 400 naming the field, nothing saved.
    for (const [body, name] of [
      [{ offerDays: 0 }, 'offerDays'],
      [{ offerDays: 31 }, 'offerDays'],
      [{ offerRounds: 11 }, 'offerRounds'],
      [{ noticeHours: -1 }, 'noticeHours'],
      [{ noticeHours: 2.5 }, 'noticeHours'],
      [{ selfScheduleOffers: 'yes' }, 'selfScheduleOffers'],
    ] as const) {
      const r = await t.http.put('/api/v1/settings/scheduling').set(auth(w.admin.token)).send(body);
      expect(r.status).toBe(400);
      expect(r.body.message).toContain(name);
      expect(
        r.body.fields?.map((f: { field: string }) => f.field) ?? r.body.details?.fields?.map((f: { field: string }) => f.field),
      ).toEqual([name]);
    }
    expect((await t.http.get('/api/v1/settings/scheduling').set(auth(w.admin.token))).body.source).toBe('environment');

    // On, with three business days: the next accepted submission gets times to choose from, no review.
    const on = await t.http
      .put('/api/v1/settings/scheduling')
      .set(auth(w.admin.token))
      .send({ selfScheduleOffers: true, offerDays: 3 })
      .expect(200);
    expect(on.body).toMatchObject({ selfScheduleOffers: true, offerDays: 3, offerRounds: 2, noticeHours: 24, source: 'setting' });
    const offered = await accepted('Bea Chooses');
    expect(offered.subjects).toEqual([expect.stringMatching(/Choose a time for your code review/)]);
    expect(await reviewsOf(offered.app.id)).toHaveLength(0);
    const [offer] = (await t.http.get('/api/v1/review-offers?status=open').set(auth(w.recruiter.token)).expect(200)).body.filter(
      (o: { applicationId: string }) => o.applicationId === offered.app.id,
    );
    // Monday 08:00 in London plus three business days: Thursday 08:00.
    expect(offer.expiresAt).toBe('2027-03-04T08:00:00.000Z');

    // Off again: booked directly, at once.
    await t.http.put('/api/v1/settings/scheduling').set(auth(w.admin.token)).send({ selfScheduleOffers: false }).expect(200);
    const after = await accepted('Cleo Direct');
    expect(after.subjects.some((s) => /Code review with/.test(s))).toBe(true);
    expect(after.subjects.some((s) => /Choose a time/.test(s))).toBe(false);
    expect(await reviewsOf(after.app.id)).toHaveLength(1);
    expect((await t.http.get('/api/v1/settings/scheduling').set(auth(w.admin.token))).body).toMatchObject({
      selfScheduleOffers: false,
      offerDays: 3,
      source: 'setting',
    });

    // Each change (and each refusal) is in the audit log, with who made it.
    const rows: Array<{ actor_id: string; status_code: number; outcome: string }> = await t.db.query(
      `SELECT actor_id, status_code, outcome FROM audit_log WHERE route = '/api/v1/settings/scheduling' AND method = 'PUT' ORDER BY id`,
    );
    expect(rows.filter((r) => r.outcome === 'succeeded' && r.actor_id === w.admin.id)).toHaveLength(2);
    expect(rows.filter((r) => r.status_code === 400)).toHaveLength(6);
  });

  it('the notice saved by an admin decides until when the candidate may cancel their booked review', async () => {
    await t.http.put('/api/v1/settings/scheduling').set(auth(w.admin.token)).send({ selfScheduleOffers: true, noticeHours: 0 }).expect(200);
    const x = await accepted('Dora Notice');
    const token = /\/portal\/([A-Za-z0-9_-]{43})\/review-time/.exec(
      suite.smtp.to(x.c.email).find((m) => /Choose a time/.test(m.subject))!.text,
    )![1];
    const slots = (await t.http.get(`/api/v1/portal/${token}/slots`).expect(200)).body.slots as Array<{ startsAt: string }>;
    await t.http.post(`/api/v1/portal/${token}/slots`).send({ startsAt: slots[0].startsAt }).expect(200);
    // An hour before the review: with a notice of 0 hours, still movable; with 24 hours, not.
    clock.set(new Date(new Date(slots[0].startsAt).getTime() - 3_600_000));
    expect((await t.http.get(`/api/v1/portal/${token}/slots`).expect(200)).body).toMatchObject({ canCancel: true });
    await t.http.put('/api/v1/settings/scheduling').set(auth(w.admin.token)).send({ noticeHours: 24 }).expect(200);
    expect((await t.http.get(`/api/v1/portal/${token}/slots`).expect(200)).body).toMatchObject({ canCancel: false, canMove: false });
    const refused = await t.http.delete(`/api/v1/portal/${token}/slots`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/within 24 hours/);
    clock.set(MONDAY);
  });

  async function open(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base, email, PASSWORD);
    return page;
  }
  const checked = async (page: Page) => {
    await expectAccessible(page);
    await expectFitsPhone(page);
  };
  const emailOf = async (id: string) => ((await t.db.query('SELECT email FROM users WHERE id = $1', [id]))[0] as { email: string }).email;

  it('page: an admin reaches Scheduling from the admin navigation, a bad value is shown beside its field with what was typed kept, saving works without JavaScript; others get 403', async () => {
    await t.http
      .put('/api/v1/settings/scheduling')
      .set(auth(w.admin.token))
      .send({ selfScheduleOffers: false, offerDays: 2, offerRounds: 2, noticeHours: 24 })
      .expect(200);
    const page = await open(await emailOf(w.admin.id));
    await Promise.all([
      page.waitForURL('**/admin'),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click(),
    ]);
    await Promise.all([
      page.waitForURL('**/admin/scheduling'),
      page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Scheduling' }).click(),
    ]);
    await checked(page);
    const toggle = page.getByRole('checkbox', { name: 'Candidates choose their code-review time' });
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.getByLabel('Business days an offer stays open').inputValue()).toBe('2');

    // A value out of range (the browser's own check switched off, as an old browser would): refused beside the field.
    await toggle.check();
    await page.getByLabel('Business days an offer stays open').fill('45');
    await page.getByLabel('Offers before the review is booked automatically').fill('3');
    await page.locator('form[action="/admin/scheduling"]').evaluate((f) => ((f as HTMLFormElement).noValidate = true));
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/scheduling') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save scheduling' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('Business days an offer stays open: give a whole number from 1 to 30');
    expect(await page.getByLabel('Business days an offer stays open').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Business days an offer stays open').inputValue()).toBe('45');
    expect(await page.getByLabel('Offers before the review is booked automatically').inputValue()).toBe('3');
    expect(await page.getByRole('checkbox', { name: 'Candidates choose their code-review time' }).isChecked()).toBe(true);
    expect(await page.getByRole('main').innerText()).not.toMatch(/offerDays|selfScheduleOffers/);
    await checked(page);
    expect((await t.http.get('/api/v1/settings/scheduling').set(auth(w.admin.token))).body.selfScheduleOffers).toBe(false);

    await page.getByLabel('Business days an offer stays open').fill('4');
    await Promise.all([page.waitForURL(/done=1/), page.getByRole('button', { name: 'Save scheduling' }).click()]);
    expect(await page.getByRole('status').innerText()).toContain('Scheduling saved');
    expect(await page.getByRole('main').innerText()).toMatch(/Last saved \w+day \d+ March 2027, \d\d:\d\d \(Europe\/London\)/);
    await checked(page);
    expect((await t.http.get('/api/v1/settings/scheduling').set(auth(w.admin.token))).body).toMatchObject({
      selfScheduleOffers: true,
      offerDays: 4,
      offerRounds: 3,
      noticeHours: 24,
      source: 'setting',
    });
    // The page's save is audited like the API's.
    expect(
      await t.db.query(
        `SELECT 1 FROM audit_log WHERE route = '/admin/scheduling' AND method = 'POST' AND actor_id = $1 AND status_code = 303`,
        [w.admin.id],
      ),
    ).toHaveLength(1);
    // ... and reads as words in the audit log.
    await Promise.all([
      page.waitForURL('**/admin/audit'),
      page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audit log' }).click(),
    ]);
    expect(await page.getByRole('main').innerText()).toContain('changed the scheduling settings');
    await page.context().close();

    // A recruiter: no Scheduling link, and the page itself is 403.
    const rp = await open(w.recruiter.email);
    const res = await rp.goto(`${base}/admin/scheduling`);
    expect(res?.status()).toBe(403);
    await rp.context().close();
  });

  it('Review times page: each open offer says until when it is open, in the viewer’s zone, and how many offers are left before automatic booking', async () => {
    await t.http
      .put('/api/v1/settings/scheduling')
      .set(auth(w.admin.token))
      .send({ selfScheduleOffers: true, offerDays: 2, offerRounds: 3, noticeHours: 24 })
      .expect(200);
    await t.http.patch(`/api/v1/users/${w.recruiter.id}`).set(auth(w.admin.token)).send({ timezone: 'America/New_York' }).expect(200);
    await accepted('Erin Waiting');
    const page = await open(w.recruiter.email);
    await Promise.all([
      page.waitForURL('**/review-offers'),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review times' }).click(),
    ]);
    const item = page.getByRole('listitem').filter({ hasText: 'Erin Waiting' });
    // Two business days in London from Monday 08:00 UTC: Wednesday 08:00 UTC, 03:00 in New York.
    expect(await item.innerText()).toContain('open until Wednesday 3 March 2027, 03:00 (America/New_York)');
    expect(await item.innerText()).toContain('offer 1 of 3');
    expect(await item.innerText()).toContain('new times are sent (2 more offers before the review is booked automatically)');
    expect(await page.locator('#offers-setting').innerText()).toContain('Candidates choose their code-review time: on.');
    // Not an admin: no link to change the setting.
    expect(await page.getByRole('link', { name: 'Change the scheduling settings' }).count()).toBe(0);
    await checked(page);
    await page.context().close();
  });
});
