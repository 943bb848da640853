import { Browser } from 'playwright-core';
import { Clock } from '../../src/common/clock/clock';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { Role } from '../../src/identity/user.entity';
import { PASSWORD, TestApp, startMailSuite } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, World, setReviewerProfile, acceptPublicCode } from '../support/factories';
import { eventually } from '../support/redis-server';

const hourIn = (d: Date, zone: string) =>
  Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: zone }).format(d));
const weekdayIn = (d: Date, zone: string) => new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: zone }).format(d);
const MONDAY = new Date('2027-03-01T08:00:00Z');

describe('self-scheduling offers: the candidate picks the first review time, may cancel, and unanswered offers expire', () => {
  let t: TestApp;
  let w: World;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let clock: Clock;
  let base: string;
  let browser: Browser;
  let reviewerId: string;

  beforeAll(async () => {
    suite = await startMailSuite({ SELF_SCHEDULE_OFFERS: 'on', SELF_SCHEDULE_OFFER_DAYS: '2', SELF_SCHEDULE_OFFER_ROUNDS: '2' });
    ({ t, w } = suite);
    base = await t.listen();
    clock = t.app.get(Clock);
    clock.set(MONDAY);
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

  /** Accepted public code puts the application in code review; with offers on, the candidate is e-mailed times and a link. */
  async function candidateWithOffer(name: string) {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name, timezone: 'Europe/London' });
    const app = await makeApplication(t, w, opening.id, c.id);
    await acceptPublicCode(t, w, app.id);
    const [mail] = await eventually(
      async () => suite.smtp.to(c.email).filter((m) => /Choose a time for your code review/.test(m.subject)),
      (x) => x.length === 1,
      30_000,
    );
    const token = /\/portal\/([A-Za-z0-9_-]{43})\/review-time/.exec(mail.text)![1];
    return { opening, c, app, token, mail };
  }

  it('e-mails times in the candidate’s zone instead of booking; the first pick books, and one slot picked at once by two candidates (or a candidate and a recruiter) goes to one', async () => {
    const a = await candidateWithOffer('Ada Offer');
    const b = await candidateWithOffer('Bea Offer');
    // Nothing booked yet: the candidate chooses.
    expect((await t.http.get(`/api/v1/reviews?applicationId=${a.app.id}`).set(auth(w.recruiter.token))).body).toHaveLength(0);
    expect(a.mail.text).toContain('(Europe/London)');
    expect(a.mail.text).toMatch(/Please choose by \w+day \d+ March 2027/);

    const slotsA = await t.http.get(`/api/v1/portal/${a.token}/slots`);
    expect(slotsA.status).toBe(200);
    expect(slotsA.body).toMatchObject({ review: null, canPick: true, canMove: false, candidateTimezone: 'Europe/London' });
    expect(slotsA.body.offer.expiresAt).toBe('2027-03-03T08:00:00.000Z'); // two business days in London
    const starts: string[] = slotsA.body.slots.map((s: { startsAt: string }) => s.startsAt);
    expect(starts.length).toBeGreaterThanOrEqual(5);
    for (const s of starts.map((x) => new Date(x))) {
      expect(hourIn(s, 'Europe/Berlin')).toBeGreaterThanOrEqual(9);
      expect(hourIn(s, 'Europe/London')).toBeGreaterThanOrEqual(9);
      expect(hourIn(new Date(s.getTime() + 3_600_000 - 1), 'Europe/Berlin')).toBeLessThan(17);
      expect(['Sat', 'Sun']).not.toContain(weekdayIn(s, 'Europe/London'));
      if (weekdayIn(s, 'Europe/Berlin') === 'Fri') expect(hourIn(s, 'Europe/Berlin')).toBeLessThan(12);
    }

    // The staff list shows both offers waiting.
    const list = await t.http.get('/api/v1/review-offers?status=open').set(auth(w.recruiter.token)).expect(200);
    expect(list.body.map((o: { applicationId: string }) => o.applicationId)).toEqual(expect.arrayContaining([a.app.id, b.app.id]));
    expect((await t.http.get('/api/v1/review-offers?status=maybe').set(auth(w.recruiter.token))).status).toBe(400);

    // Two candidates pick the same time at once: one books it, the other is told it was just taken.
    const slotsB = (await t.http.get(`/api/v1/portal/${b.token}/slots`)).body.slots.map((s: { startsAt: string }) => s.startsAt);
    const shared = starts.find((s) => slotsB.includes(s))!;
    const [ra, rb] = await Promise.all([
      t.http.post(`/api/v1/portal/${a.token}/slots`).send({ startsAt: shared }),
      t.http.post(`/api/v1/portal/${b.token}/slots`).send({ startsAt: shared }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    expect((ra.status === 200 ? ra : rb).body).toMatchObject({ startsAt: shared, status: 'scheduled' });
    expect((ra.status === 409 ? ra : rb).body.message).toMatch(/just taken/);
    const atShared = await t.db.query(`SELECT application_id FROM review_sessions WHERE reviewer_id = $1 AND starts_at = $2`, [
      reviewerId,
      shared,
    ]);
    expect(atShared).toHaveLength(1);
    const winner = atShared[0].application_id === a.app.id ? a : b;
    const loser = winner === a ? b : a;
    // The winner has the invitation; their link now shows the booked review (to move or cancel).
    await eventually(
      async () => suite.smtp.to(winner.c.email).filter((m) => /Code review with/.test(m.subject)),
      (x) => x.length === 1,
      30_000,
    );
    const after = (await t.http.get(`/api/v1/portal/${winner.token}/slots`)).body;
    expect(after).toMatchObject({ canPick: false, canMove: true, canCancel: true, review: { startsAt: shared } });

    // A candidate and a recruiter take the same time at the same instant: one wins, the other 409.
    const c = await candidateWithOffer('Cleo Offer');
    const loserSlots: string[] = (await t.http.get(`/api/v1/portal/${loser.token}/slots`)).body.slots.map(
      (s: { startsAt: string }) => s.startsAt,
    );
    const cSlots: string[] = (await t.http.get(`/api/v1/portal/${c.token}/slots`)).body.slots.map((s: { startsAt: string }) => s.startsAt);
    const both = loserSlots.find((s) => cSlots.includes(s))!;
    const [offerC] = (await t.http.get('/api/v1/review-offers?status=open').set(auth(w.recruiter.token))).body.filter(
      (o: { applicationId: string }) => o.applicationId === c.app.id,
    );
    const [byCandidate, byRecruiter] = await Promise.all([
      t.http.post(`/api/v1/portal/${loser.token}/slots`).send({ startsAt: both }),
      t.http.post(`/api/v1/review-offers/${offerC.id}/book`).set(auth(w.recruiter.token)).send({ startsAt: both }),
    ]);
    // Exactly one of them books it (the candidate 200 or the recruiter 201); the other gets 409.
    expect((byCandidate.status === 200 && byRecruiter.status === 409) || (byCandidate.status === 409 && byRecruiter.status === 201)).toBe(
      true,
    );
    expect(await t.db.query(`SELECT 1 FROM review_sessions WHERE reviewer_id = $1 AND starts_at = $2`, [reviewerId, both])).toHaveLength(1);
    // The same offer cannot be booked twice.
    const again = await t.http.post(`/api/v1/review-offers/${offerC.id}/book`).set(auth(w.recruiter.token)).send({});
    if (byRecruiter.status === 201) expect(again.status).toBe(409);
    else expect(again.status).toBe(201); // the recruiter books the earliest free time instead
  });

  it('the candidate books from the e-mailed link in the browser, cancels, and is offered times again; the recruiter sees the offers from the navigation and books one directly', async () => {
    const d = await candidateWithOffer('Dora Offer');
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/portal/${d.token}/review-time`);
    await page.getByRole('heading', { level: 1, name: 'Your code review time' }).waitFor();
    expect(await page.textContent('main')).toContain('Europe/London');
    await expectAccessible(page);
    await expectFitsPhone(page);
    const options = page.getByRole('radio');
    expect(await options.count()).toBeGreaterThanOrEqual(3);
    const chosen = await options.nth(1).getAttribute('value');
    await options.nth(1).check();
    await page.getByRole('button', { name: 'Book my review' }).click();
    await page.getByText('your code review is booked').waitFor();
    expect(await page.textContent('#current-time')).toContain('(Europe/London)');
    await expectAccessible(page);
    await expectFitsPhone(page);
    const [booked] = (await t.http.get(`/api/v1/reviews?applicationId=${d.app.id}`).set(auth(w.recruiter.token))).body;
    expect(booked).toMatchObject({ startsAt: chosen, status: 'scheduled' });

    // Cancel: the review is cancelled (both sides get the cancellation) and times are offered again on the same page.
    await page.getByRole('button', { name: 'Cancel my review' }).click();
    await page.getByText('Your code review is cancelled').waitFor();
    expect(await page.getByRole('button', { name: 'Book my review' }).count()).toBe(1);
    await expectAccessible(page);
    await expectFitsPhone(page);
    const [cancelled] = (await t.http.get(`/api/v1/reviews?applicationId=${d.app.id}`).set(auth(w.recruiter.token))).body;
    expect(cancelled.status).toBe('cancelled');
    await eventually(
      async () => suite.smtp.to(d.c.email).filter((m) => /cancel/i.test(m.subject)),
      (x) => x.length >= 1,
      30_000,
    );
    await context.close();

    // The recruiter: "Review times" in the navigation, the offer waiting, "Book now" books the earliest free time.
    const staff = await browser.newContext();
    const sp = await staff.newPage();
    sp.setDefaultTimeout(20_000);
    await signIn(sp, base, w.recruiter.email, PASSWORD);
    await sp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review times' }).click();
    await sp.getByRole('heading', { level: 1, name: 'Review time offers' }).waitFor();
    const item = sp.getByRole('listitem').filter({ hasText: 'Dora Offer' }).filter({ hasText: 'Waiting for the candidate' });
    await item.waitFor();
    await expectAccessible(sp);
    await expectFitsPhone(sp);
    await item.getByRole('button', { name: /Book now/ }).click();
    await sp.getByText('The review is booked; both sides get the invitation.', { exact: true }).waitFor();
    expect(await sp.getByRole('listitem').filter({ hasText: 'Dora Offer' }).filter({ hasText: 'Booked by the team' }).count()).toBe(1);
    await expectAccessible(sp);
    await expectFitsPhone(sp);
    const rows = (await t.http.get(`/api/v1/reviews?applicationId=${d.app.id}`).set(auth(w.recruiter.token))).body;
    expect(rows.filter((r: { status: string }) => r.status === 'scheduled')).toHaveLength(1);
    await staff.close();
  });

  it('interviews: the candidate chooses when the whole loop starts (panel hours, breaks between interviewers); one time picked twice at once goes to one', async () => {
    const nyc = await t.login([Role.Engineer]);
    await setReviewerProfile(t, nyc, ['go'], 'America/New_York');
    const plan = {
      sessions: [
        { kind: 'pairing', interviewerIds: [reviewerId], durationMinutes: 60 },
        { kind: 'team_conversation', interviewerIds: [nyc.id], durationMinutes: 45 },
      ],
      breakMinutes: 15,
    };
    const people = [];
    for (const name of ['Ivy Loop', 'Jon Loop']) {
      const opening = await makeOpening(t, w);
      const c = await makeCandidate(t, w, { name, timezone: 'Europe/London' });
      const app = await makeApplication(t, w, opening.id, c.id);
      const res = await t.http.post(`/api/v1/applications/${app.id}/interview-offers`).set(auth(w.recruiter.token)).send(plan);
      expect(res.status).toBe(201);
      const [mail] = await eventually(
        async () => suite.smtp.to(c.email).filter((m) => /Choose a time for your interviews/.test(m.subject)),
        (x) => x.length === 1,
        30_000,
      );
      expect(mail.text).toContain('Team conversation, 45 minutes');
      people.push({ c, app, token: /\/portal\/([A-Za-z0-9_-]{43})\/interview-time/.exec(mail.text)![1] });
    }
    // Bad plans are refused naming the problem.
    const bad = await t.http
      .post(`/api/v1/applications/${people[0].app.id}/interview-offers`)
      .set(auth(w.recruiter.token))
      .send({ sessions: [{ kind: 'pairing', interviewerIds: [reviewerId], durationMinutes: 5 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/durationMinutes/);

    const [ivy, jon] = people;
    const view = (await t.http.get(`/api/v1/portal/${ivy.token}/interview-slots`)).body;
    expect(view).toMatchObject({ canPick: true, candidateTimezone: 'Europe/London' });
    expect(view.options.length).toBeGreaterThanOrEqual(2);
    for (const o of view.options) {
      const [pairing, team] = o.sessions.map((s: { startsAt: string; endsAt: string }) => ({
        s: new Date(s.startsAt),
        e: new Date(s.endsAt),
      }));
      expect(team.s.getTime() - pairing.e.getTime()).toBe(15 * 60_000); // the break between interviewers
      expect(hourIn(pairing.s, 'Europe/Berlin')).toBeGreaterThanOrEqual(9);
      expect(hourIn(team.s, 'America/New_York')).toBeGreaterThanOrEqual(9);
      expect(hourIn(new Date(team.e.getTime() - 1), 'Europe/London')).toBeLessThan(18);
      expect(['Sat', 'Sun', 'Fri']).not.toContain(weekdayIn(pairing.s, 'Europe/Berlin')); // New York's morning is Friday afternoon in Europe
    }
    const jonStarts: string[] = (await t.http.get(`/api/v1/portal/${jon.token}/interview-slots`)).body.options.map(
      (o: { startsAt: string }) => o.startsAt,
    );
    const shared: string = view.options.map((o: { startsAt: string }) => o.startsAt).find((x: string) => jonStarts.includes(x));
    const [ri, rj] = await Promise.all([
      t.http.post(`/api/v1/portal/${ivy.token}/interview-slots`).send({ startsAt: shared }),
      t.http.post(`/api/v1/portal/${jon.token}/interview-slots`).send({ startsAt: shared }),
    ]);
    expect([ri.status, rj.status].sort()).toEqual([200, 409]);
    expect((ri.status === 409 ? ri : rj).body.message).toMatch(/just taken/);
    const atShared = await t.db.query(`SELECT application_id FROM interview_sessions WHERE status = 'scheduled' AND starts_at = $1`, [
      shared,
    ]);
    expect(atShared).toHaveLength(1);
    const loser = ri.status === 409 ? ivy : jon;

    // The other candidate books in the browser from the e-mailed link.
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/portal/${loser.token}/interview-time`);
    await page.getByRole('heading', { level: 1, name: 'Your interview times' }).waitFor();
    expect(await page.textContent('main')).toContain('Europe/London');
    await expectAccessible(page);
    await expectFitsPhone(page);
    const options = page.getByRole('radio');
    expect(await options.count()).toBeGreaterThanOrEqual(1);
    const chosen = await options.first().getAttribute('value');
    expect(chosen).not.toBe(shared);
    await options.first().check();
    await page.getByRole('button', { name: 'Book my interviews' }).click();
    await page.getByRole('status').filter({ hasText: 'your interviews are booked' }).waitFor();
    expect(await page.textContent('#booked-list')).toContain('Pairing');
    await expectAccessible(page);
    await expectFitsPhone(page);
    await context.close();
    const booked = await t.db.query(
      `SELECT kind, starts_at FROM interview_sessions WHERE application_id = $1 AND status = 'scheduled' ORDER BY starts_at`,
      [loser.app.id],
    );
    expect(booked.map((b: { kind: string }) => b.kind)).toEqual(['pairing', 'team_conversation']);
    expect(new Date(booked[0].starts_at).toISOString()).toBe(chosen);
    // The offer is closed: picking again is refused.
    expect((await t.http.post(`/api/v1/portal/${loser.token}/interview-slots`).send({ startsAt: chosen })).status).toBe(409);
  });

  it('an offer nobody answers expires after the business days: the recruiter owes contact, new times are e-mailed, and after the last round the review is booked automatically', async () => {
    const e = await candidateWithOffer('Ezra Offer');
    const registry = t.app.get(SweepRegistry);
    // Tuesday: still open.
    clock.set(new Date('2027-03-02T12:00:00Z'));
    expect((await registry.runAll(clock.now()))['review-slot-offers']).toMatchObject({ expired: 0 });
    // Wednesday after 08:00 (two London business days): expired, offered again by e-mail, SLA alert to the recruiter.
    clock.set(new Date('2027-03-03T09:00:00Z'));
    const first = await registry.runAll(clock.now());
    // (an offer left open by the race above may expire with it)
    expect(first['review-slot-offers'].expired).toBeGreaterThanOrEqual(1);
    const rounds = async () =>
      (await t.db.query(`SELECT round, status FROM slot_offers WHERE application_id = $1 ORDER BY round`, [e.app.id])).map(
        (r: { round: number; status: string }) => `${r.round}:${r.status}`,
      );
    expect(await rounds()).toEqual(['1:expired', '2:open']);
    const again = await registry.runAll(clock.now());
    expect(again['review-slot-offers']).toMatchObject({ expired: 0 }); // idempotent at one instant
    const [second] = await eventually(
      async () => suite.smtp.to(e.c.email).filter((m) => /New times: Choose a time for your code review/.test(m.subject)),
      (x) => x.length === 1,
      30_000,
    );
    const token2 = /\/portal\/([A-Za-z0-9_-]{43})\/review-time/.exec(second.text)![1];
    expect(token2).not.toBe(e.token);
    // Both links open the same (new) offer; its times start after the new "now".
    const viaNew = (await t.http.get(`/api/v1/portal/${token2}/slots`)).body;
    expect(viaNew.offer.round).toBe(2);
    expect(new Date(viaNew.slots[0].startsAt).getTime()).toBeGreaterThan(clock.now().getTime());
    expect((await t.http.get(`/api/v1/portal/${e.token}/slots`)).body.offer.round).toBe(2);
    const alerts = await t.db.query(`SELECT kind, recipient_id, message FROM alerts WHERE application_id = $1 AND kind = 'sla_breached'`, [
      e.app.id,
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].recipient_id).toBe(w.recruiter.id);
    expect(alerts[0].message).toContain('has not picked a code review time');

    // The last round unanswered too: booked automatically (the candidate may still move it).
    clock.set(new Date('2027-03-05T10:00:00Z'));
    const last = await registry.runAll(clock.now());
    expect(last['review-slot-offers'].booked).toBeGreaterThanOrEqual(1);
    expect(await rounds()).toEqual(['1:expired', '2:expired']);
    const [auto] = (await t.http.get(`/api/v1/reviews?applicationId=${e.app.id}`).set(auth(w.recruiter.token))).body;
    expect(auto.status).toBe('scheduled');
    expect((await t.http.get(`/api/v1/portal/${token2}/slots`)).body).toMatchObject({ canMove: true, review: { startsAt: auto.startsAt } });

    // The export lists the offers (never their link tokens); erasure removes them and the links stop working.
    const exported = await t.http.get(`/api/v1/candidates/${e.c.id}/export`).set(auth(w.recruiter.token)).expect(200);
    expect(JSON.stringify(exported.body)).toContain('reviewTimeOffers');
    expect(JSON.stringify(exported.body)).not.toContain('token_hash');
    const erased = await t.http.post(`/api/v1/candidates/${e.c.id}/erasure`).set(auth(w.recruiter.token)).expect(200);
    expect(erased.body.genericTables ?? []).not.toContain('slot_offers');
    expect(await t.db.query(`SELECT 1 FROM slot_offers WHERE application_id = $1`, [e.app.id])).toHaveLength(0);
    expect((await t.http.get(`/api/v1/portal/${token2}/slots`)).status).toBe(404);
    clock.set(MONDAY);
  });
});
