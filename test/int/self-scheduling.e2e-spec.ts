import { randomBytes } from 'node:crypto';
import { Browser } from 'playwright-core';
import { hashPortalToken } from '../../src/assessments/domain/tokens';
import { Clock } from '../../src/common/clock/clock';
import { Role } from '../../src/identity/user.entity';
import { TestApp, startMailSuite } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, World, setReviewerProfile, acceptPublicCode } from '../support/factories';

const hourIn = (d: Date, zone: string) =>
  Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: zone }).format(d));
const weekdayIn = (d: Date, zone: string) => new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: zone }).format(d);

const loserLink = <T>(a: T, b: T, ra: { status: number }) => (ra.status === 409 ? a : b);

describe('self-scheduling: the candidate picks or moves their code-review slot from the portal', () => {
  let t: TestApp;
  let w: World;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let clock: Clock;
  let base: string;
  let browser: Browser;
  let reviewerId: string;

  beforeAll(async () => {
    suite = await startMailSuite();
    ({ t, w } = suite);
    base = await t.listen();
    clock = t.app.get(Clock);
    clock.set(new Date('2027-03-01T08:00:00Z')); // Monday
    const e = await t.login([Role.Engineer]);
    reviewerId = e.id;
    await setReviewerProfile(t, e, ['python'], 'Europe/Berlin');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    clock?.reset();
    await browser?.close();
    await suite?.close();
  });

  /** An application with a booked review and a portal link (the take-home rows written directly: no sandbox needed here). */
  async function candidateWithReview(name: string) {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name, timezone: 'Europe/London' });
    const app = await makeApplication(t, w, opening.id, c.id);
    await acceptPublicCode(t, w, app.id);
    const [{ id: assignmentId }] = await t.db.query(
      `INSERT INTO assignments (title, runtime, instructions, time_guidance_minutes) VALUES ('Word frequencies', 'python', 'Count words.', 120) RETURNING id`,
    );
    const [{ id: versionId }] = await t.db.query(
      `INSERT INTO assignment_versions (assignment_id, version, status, instructions, time_guidance_minutes, hidden_tests, hidden_tests_sha256, hidden_test_paths,
                                        reference_solution, reference_solution_sha256, created_at, published_at)
       VALUES ($1, 1, 'published', 'Count words.', 120, '\\x00', repeat('0', 64), '{}', '\\x00', repeat('0', 64), now(), now()) RETURNING id`,
      [assignmentId],
    );
    const token = randomBytes(32).toString('base64url');
    await t.db.query(
      `INSERT INTO invitations (application_id, assignment_id, version_id, token_hash, expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, '2027-12-31T00:00:00Z', now(), now())`,
      [app.id, assignmentId, versionId, hashPortalToken(token)],
    );
    const [review] = (await t.http.get(`/api/v1/reviews?applicationId=${app.id}`).set(auth(w.recruiter.token))).body;
    expect(review).toBeDefined();
    return { app, token, review };
  }

  it('offers several free slots inside both parties’ hours, moves the review, and gives a slot picked twice at once to one candidate (409 for the other)', async () => {
    const a = await candidateWithReview('Ada Example');
    const b = await candidateWithReview('Bea Example');
    const slotsA = await t.http.get(`/api/v1/portal/${a.token}/slots`);
    expect(slotsA.status).toBe(200);
    expect(slotsA.body.canMove).toBe(true);
    expect(slotsA.body.review.startsAt).toBe(a.review.startsAt);
    const starts: string[] = slotsA.body.slots.map((s: { startsAt: string }) => s.startsAt);
    expect(starts.length).toBeGreaterThanOrEqual(5);
    expect(starts).not.toContain(a.review.startsAt);
    expect(starts).not.toContain(b.review.startsAt);
    for (const s of starts.map((x) => new Date(x))) {
      expect(hourIn(s, 'Europe/Berlin')).toBeGreaterThanOrEqual(9);
      expect(hourIn(s, 'Europe/London')).toBeGreaterThanOrEqual(9);
      expect(hourIn(new Date(s.getTime() + 3_600_000 - 1), 'Europe/Berlin')).toBeLessThan(17);
      expect(['Sat', 'Sun']).not.toContain(weekdayIn(s, 'Europe/London'));
      if (weekdayIn(s, 'Europe/Berlin') === 'Fri') expect(hourIn(s, 'Europe/Berlin')).toBeLessThan(12);
    }
    // Both candidates pick the same slot at the same instant: one gets it, the other a 409.
    const slotsB = (await t.http.get(`/api/v1/portal/${b.token}/slots`)).body.slots.map((s: { startsAt: string }) => s.startsAt);
    const shared = starts.find((s) => slotsB.includes(s))!;
    expect(shared).toBeDefined();
    const [ra, rb] = await Promise.all([
      t.http.post(`/api/v1/portal/${a.token}/slots`).send({ startsAt: shared }),
      t.http.post(`/api/v1/portal/${b.token}/slots`).send({ startsAt: shared }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const winner = ra.status === 200 ? ra : rb;
    expect(winner.body).toMatchObject({ startsAt: shared, status: 'scheduled' });
    const loser = ra.status === 409 ? ra : rb;
    expect(loser.body.message).toMatch(/just taken/);
    const sessions = await t.db.query(`SELECT application_id, starts_at FROM review_sessions WHERE reviewer_id = $1 AND starts_at = $2`, [
      reviewerId,
      shared,
    ]);
    expect(sessions).toHaveLength(1);
    // A time never offered is refused too; bad input is a 400.
    expect((await t.http.post(`/api/v1/portal/${a.token}/slots`).send({ startsAt: '2027-03-06T10:00:00Z' })).status).toBe(409);
    expect((await t.http.post(`/api/v1/portal/${a.token}/slots`).send({ startsAt: 'tomorrow' })).status).toBe(400);
    expect((await t.http.get(`/api/v1/portal/${'x'.repeat(43)}/slots`)).status).toBe(404);

    // The loser cancels their (automatically booked) review: it is cancelled and times are offered to pick again.
    const cancelled = await t.http.delete(`/api/v1/portal/${loserLink(a, b, ra).token}/slots`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ status: 'cancelled' });
    const reopened = (await t.http.get(`/api/v1/portal/${loserLink(a, b, ra).token}/slots`)).body;
    expect(reopened).toMatchObject({ review: null, canPick: true });
    expect(reopened.slots.length).toBeGreaterThanOrEqual(3);
    expect((await t.http.delete(`/api/v1/portal/${loserLink(a, b, ra).token}/slots`)).status).toBe(409);
  });

  it('the portal page lists the times in the candidate’s zone and moves the review with a plain HTML form; close to the review it can no longer move', async () => {
    const c = await candidateWithReview('Cleo Example');
    // The take-home page links to it (checked in its HTML: its own test covers that page in the browser).
    const portal = await t.http.get(`/portal/${c.token}`);
    expect(portal.status).toBe(200);
    expect(portal.text).toContain(`href="/portal/${c.token}/review-time"`);
    expect(portal.text).toContain('Choose or move your code review time');
    // The form is plain HTML (a radio group and a submit button); no script is needed to post it.
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/portal/${c.token}/review-time`);
    await page.getByRole('heading', { level: 1, name: 'Your code review time' }).waitFor();
    expect(await page.textContent('main')).toContain('Europe/London');
    await expectAccessible(page);
    await expectFitsPhone(page);
    const options = page.getByRole('radio');
    expect(await options.count()).toBeGreaterThanOrEqual(3);
    const chosen = await options.nth(2).getAttribute('value');
    await options.nth(2).check();
    await page.getByRole('button', { name: 'Move my review' }).click();
    await page.getByText('your code review has moved').waitFor();
    await expectAccessible(page);
    await expectFitsPhone(page);
    const [moved] = (await t.http.get(`/api/v1/reviews?applicationId=${c.app.id}`).set(auth(w.recruiter.token))).body;
    expect(moved.startsAt).toBe(chosen);
    expect(moved.sequence).toBeGreaterThanOrEqual(1);

    // Within the notice (24 hours by default) the page says so and the API refuses.
    clock.set(new Date(new Date(moved.startsAt).getTime() - 3_600_000));
    await page.goto(`${base}/portal/${c.token}/review-time`);
    expect(await page.textContent('main')).toContain('can no longer be moved');
    expect(await page.getByRole('radio').count()).toBe(0);
    const late = await t.http.post(`/api/v1/portal/${c.token}/slots`).send({ startsAt: chosen });
    expect(late.status).toBe(409);
    clock.set(new Date('2027-03-01T08:00:00Z'));
    await context.close();
  });
});
