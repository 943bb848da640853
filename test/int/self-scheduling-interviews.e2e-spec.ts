import { Browser } from 'playwright-core';
import { Clock } from '../../src/common/clock/clock';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { Role } from '../../src/identity/user.entity';
import { PASSWORD, TestApp, startMailSuite } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, World } from '../support/factories';
import { Radicale } from '../support/radicale';
import { CapturedMail } from '../support/smtp';
import { eventually } from '../support/redis-server';

const MONDAY = new Date('2027-03-01T08:00:00Z');
/** The calendar attachment of a delivered message. */
const icsOf = (m: CapturedMail) => m.parsed.attachments.map((a) => a.content.toString('utf8')).join('\n');
const profile = { languages: ['go'], timezone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } };

describe('interview self-scheduling: recruiters offer times from a page; candidates book, move or cancel the loop from their link', () => {
  let t: TestApp;
  let w: World;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let clock: Clock;
  let base: string;
  let browser: Browser;
  const radicale = new Radicale();
  let alice: { id: string; token: string; email: string; name: string };
  let bob: { id: string; token: string; email: string; name: string };

  beforeAll(async () => {
    await radicale.start();
    suite = await startMailSuite({ SELF_SCHEDULE_NOTICE_HOURS: '24' });
    ({ t, w } = suite);
    base = await t.listen();
    clock = t.app.get(Clock);
    clock.set(MONDAY);
    expect((await t.http.put('/api/v1/settings/outbound').set(auth(w.admin.token)).send({ allowPrivateTargets: true })).status).toBe(200);
    const person = async () => {
      const e = await t.login([Role.Engineer]);
      await t.http.put(`/api/v1/users/${e.id}/reviewer-profile`).set(auth(e.token)).send(profile).expect(200);
      const [{ name }] = await t.db.query(`SELECT name FROM users WHERE id = $1`, [e.id]);
      return { ...e, name: name as string };
    };
    alice = await person();
    bob = await person();
    // Alice's interviews are written into her CalDAV calendar (a real radicale).
    await radicale.makeCalendar('alice', 'work');
    const connected = await t.http
      .put(`/api/v1/users/${alice.id}/calendar`)
      .set(auth(alice.token))
      .send({ kind: 'caldav', url: `${radicale.base}/alice/`, username: 'alice', password: radicale.users.alice });
    expect(connected.body).toMatchObject({ status: 'ok', calendars: 1 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    clock?.reset();
    await browser?.close();
    await suite?.close();
    await radicale.stop();
  });

  const plan = () => ({
    sessions: [
      { kind: 'pairing', interviewerIds: [alice.id], durationMinutes: 60 },
      { kind: 'team_conversation', interviewerIds: [bob.id], durationMinutes: 45 },
    ],
    breakMinutes: 15,
  });

  /** An application whose candidate was offered interview times (by the API), and the link from their e-mail. */
  async function offered(name: string, timezone = 'Europe/London') {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name, timezone });
    const app = await makeApplication(t, w, opening.id, c.id);
    const res = await t.http.post(`/api/v1/applications/${app.id}/interview-offers`).set(auth(w.recruiter.token)).send(plan());
    expect(res.status).toBe(201);
    return { opening, c, app, token: await linkOf(c.email) };
  }
  async function linkOf(email: string) {
    const [mail] = await eventually(
      async () => suite.smtp.to(email).filter((m) => /Choose a time for your interviews/.test(m.subject)),
      (x) => x.length >= 1,
      30_000,
    );
    return /\/portal\/([A-Za-z0-9_-]{43})\/interview-time/.exec(mail.text)![1];
  }
  const loopOf = async (applicationId: string) =>
    (await t.db.query(
      `SELECT id, kind, starts_at, ends_at, status, sequence FROM interview_sessions WHERE application_id = $1 ORDER BY created_at, starts_at`,
      [applicationId],
    )) as Array<{ id: string; kind: string; starts_at: Date; ends_at: Date; status: string; sequence: number }>;
  /** Alice's copy of an interview in radicale: its text, or null when removed. */
  async function aliceCopy(sessionId: string): Promise<string | null> {
    const [wb] = await t.db.query(`SELECT href, state FROM calendar_writebacks WHERE session_id = $1 AND user_id = $2`, [
      sessionId,
      alice.id,
    ]);
    if (!wb?.href) return null;
    const res = await radicale.request('alice', 'GET', new URL(wb.href).pathname);
    return res.status === 200 ? res.text : null;
  }
  const icsStamp = (d: Date | string) =>
    new Date(d)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');

  it('a recruiter offers times from the application page (plain errors on bad input), the candidate books and moves from their link, the recruiter sees the booked loop; outsiders get 404/403', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Priya Pagebook', timezone: 'Asia/Kolkata' });
    const app = await makeApplication(t, w, opening.id, c.id);

    const staff = await browser.newContext();
    const sp = await staff.newPage();
    sp.setDefaultTimeout(20_000);
    await signIn(sp, base, w.recruiter.email, PASSWORD, `/dashboard/applications/${app.id}`);
    await sp.getByRole('heading', { level: 1, name: 'Priya Pagebook' }).waitFor();
    await sp.getByRole('link', { name: 'Let the candidate choose interview times' }).click();
    await sp.getByRole('heading', { level: 1, name: 'Interview times for Priya Pagebook' }).waitFor();
    expect(await sp.textContent('#offer-state')).toContain('No interview times have been offered');
    await expectAccessible(sp);
    await expectFitsPhone(sp);

    // Bad input: re-rendered with the problem in plain words and what was typed kept.
    await sp.getByLabel('Kind of session 1').selectOption({ label: 'Pairing' });
    await sp.getByLabel('Length in minutes (session 1)').fill('5');
    await sp.getByRole('button', { name: 'Offer interview times' }).click();
    await sp.getByRole('alert').filter({ hasText: 'Session 1: choose at least one interviewer' }).waitFor();
    expect(await sp.getByLabel('Kind of session 1').inputValue()).toBe('pairing');
    await sp.getByLabel('Interviewer of session 1', { exact: true }).selectOption({ label: alice.name });
    await sp.getByRole('button', { name: 'Offer interview times' }).click();
    await sp.getByRole('alert').filter({ hasText: 'Session 1: the length must be a whole number of minutes from 15 to 240' }).waitFor();
    expect(await sp.textContent('main')).not.toMatch(/durationMinutes|interviewerIds|sessions\[/);
    await expectAccessible(sp);
    await expectFitsPhone(sp);
    expect(await t.db.query(`SELECT 1 FROM slot_offers WHERE application_id = $1`, [app.id])).toHaveLength(0);

    // A good plan: offered, and the page shows the state in the recruiter's zone (Europe/London), zone named.
    await sp.getByLabel('Length in minutes (session 1)').fill('60');
    await sp.getByLabel('Kind of session 2').selectOption({ label: 'Team conversation' });
    await sp.getByLabel('Interviewer of session 2', { exact: true }).selectOption({ label: bob.name });
    await sp.getByLabel('Length in minutes (session 2)').fill('45');
    await sp.getByRole('button', { name: 'Offer interview times' }).click();
    await sp.getByRole('status').filter({ hasText: 'Interview times offered' }).waitFor();
    expect(await sp.textContent('#offer-state')).toContain('Waiting for the candidate to choose');
    expect(await sp.textContent('#offer-expires')).toMatch(/choose until \w+day \d+ March 2027, \d\d:\d\d \(Europe\/London\)/);
    expect(await sp.textContent('#offer-plan')).toContain(`Team conversation, 45 minutes, with ${bob.name}`);
    const offeredTimes = await sp.locator('#offered-times li').allTextContents();
    expect(offeredTimes.length).toBeGreaterThanOrEqual(2);
    for (const x of offeredTimes) expect(x).toContain('(Europe/London)');
    await expectAccessible(sp);
    await expectFitsPhone(sp);

    // The candidate books from the e-mailed link; their page is in their own zone.
    const token = await linkOf(c.email);
    const cc = await browser.newContext();
    const cp = await cc.newPage();
    cp.setDefaultTimeout(20_000);
    await cp.goto(`${base}/portal/${token}/interview-time`);
    await cp.getByRole('heading', { level: 1, name: 'Your interview times' }).waitFor();
    expect(await cp.textContent('main')).toContain('Asia/Kolkata');
    await expectAccessible(cp);
    await expectFitsPhone(cp);
    const chosen = (await cp.getByRole('radio').first().getAttribute('value'))!;
    await cp.getByRole('radio').first().check();
    await cp.getByRole('button', { name: 'Book my interviews' }).click();
    await cp.getByRole('status').filter({ hasText: 'your interviews are booked' }).waitFor();
    expect(await cp.textContent('#movable-until')).toMatch(/until \w+day .*\(Asia\/Kolkata\)/);
    await expectAccessible(cp);
    await expectFitsPhone(cp);

    // The recruiter's page shows the booked loop, in their zone.
    await sp.reload();
    expect(await sp.textContent('#offer-state')).toContain('Booked by the candidate');
    const loopText = (await sp.locator('#booked-loop li').allTextContents()).join('\n');
    expect(loopText).toContain(`Pairing with ${alice.name}`);
    expect(loopText).toContain(`Team conversation with ${bob.name}`);
    expect(loopText).toContain('(Europe/London)');
    const [first] = await loopOf(app.id);
    expect(new Date(first.starts_at).toISOString()).toBe(chosen);
    await expectAccessible(sp);
    await expectFitsPhone(sp);

    // The candidate moves the loop with "Move my interviews"; the recruiter's timeline says so.
    const moveTo = (await cp.locator('#move-form').getByRole('radio').first().getAttribute('value'))!;
    expect(moveTo).not.toBe(chosen);
    await cp.locator('#move-form').getByRole('radio').first().check();
    await cp.getByRole('button', { name: 'Move my interviews' }).click();
    await cp.getByRole('status').filter({ hasText: 'your interviews have moved' }).waitFor();
    await expectAccessible(cp);
    await expectFitsPhone(cp);
    const moved = await loopOf(app.id);
    expect(new Date(moved[0].starts_at).toISOString()).toBe(moveTo);
    expect(moved.map((s) => [s.status, s.sequence])).toEqual([
      ['scheduled', 1],
      ['scheduled', 1],
    ]);
    await sp.goto(`${base}/dashboard/applications/${app.id}`);
    expect(await sp.textContent('#timeline')).toContain('Interview moved (Pairing) by the candidate');
    await expectAccessible(sp);
    await expectFitsPhone(sp);

    // "Cancel my interviews": everything cancelled, and times are offered again on the same page.
    await cp.getByRole('button', { name: 'Cancel my interviews' }).click();
    await cp.getByRole('status').filter({ hasText: 'Your interviews are cancelled' }).waitFor();
    expect(await cp.getByRole('button', { name: 'Book my interviews' }).count()).toBe(1);
    await expectAccessible(cp);
    await expectFitsPhone(cp);
    expect((await loopOf(app.id)).map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    await sp.goto(`${base}/dashboard/applications/${app.id}/interview-times`);
    expect(await sp.textContent('#offer-state')).toContain('Waiting for the candidate to choose');
    expect(await sp.textContent('#offer-history')).toMatch(/Offer 1: offered .*; booked by the candidate/);
    expect(await sp.textContent('#offer-state')).toContain('(offer 2: the candidate cancelled the interviews they had booked)');
    expect(await sp.locator('#still-booked').count()).toBe(0);

    // Booked again: offering more times now would give the candidate a second set of interviews, so
    // the page says so and asks for the tick; without it nothing is offered.
    await cp.getByRole('radio').first().check();
    await cp.getByRole('button', { name: 'Book my interviews' }).click();
    await cp.getByRole('status').filter({ hasText: 'your interviews are booked' }).waitFor();
    await sp.reload();
    expect(await sp.textContent('#still-booked')).toMatch(/already booked 2 interviews starting \w+day .*\(Europe\/London\)/);
    const offersBefore = (await t.db.query(`SELECT id FROM slot_offers WHERE application_id = $1`, [app.id])).length;
    await sp.getByLabel('Kind of session 1').selectOption({ label: 'Pairing' });
    await sp.getByLabel('Interviewer of session 1', { exact: true }).selectOption({ label: alice.name });
    await sp.getByRole('button', { name: 'Offer interview times' }).click();
    await sp.getByRole('alert').filter({ hasText: 'The candidate still has interviews booked from earlier times' }).waitFor();
    expect(await sp.getByLabel('Kind of session 1').inputValue()).toBe('pairing');
    expect(await t.db.query(`SELECT id FROM slot_offers WHERE application_id = $1`, [app.id])).toHaveLength(offersBefore);
    await expectAccessible(sp);
    await expectFitsPhone(sp);
    await sp.getByLabel('These times are for another round').check();
    clock.set(new Date(MONDAY.getTime() + 60_000)); // a minute later: the newest offer is the one shown
    await sp.getByRole('button', { name: 'Offer interview times' }).click();
    await sp.getByRole('status').filter({ hasText: 'Interview times offered' }).waitFor();
    clock.set(MONDAY);
    expect(await sp.textContent('#offer-state')).toContain('Waiting for the candidate to choose');
    expect((await loopOf(app.id)).filter((s) => s.status === 'scheduled')).toHaveLength(2); // the booked ones stay
    await cc.close();
    await staff.close();

    // Someone outside the hiring team does not see it; an engineer's role cannot offer at all.
    const outsider = await t.login([Role.Recruiter]);
    expect([403, 404]).toContain((await t.http.get(`/dashboard/applications/${app.id}/interview-times`).set(auth(outsider.token))).status);
    expect([403, 404]).toContain(
      (await t.http.post(`/dashboard/applications/${app.id}/interview-times`).set(auth(outsider.token)).send({ kind_0: 'pairing' })).status,
    );
    expect((await t.http.get(`/dashboard/applications/${app.id}/interview-times`).set(auth(alice.token))).status).toBe(403);
  });

  it('moving and cancelling from the link update the interviewers’ CalDAV copies and invitations; two moves at once and a move racing a recruiter’s cancel each end with one winner and a 409', async () => {
    const a = await offered('Mo Mover');
    const first = (await t.http.get(`/api/v1/portal/${a.token}/interview-slots`)).body;
    expect(first).toMatchObject({ canPick: true, canMove: false, canCancel: false, movableUntil: null });
    const pick = await t.http.post(`/api/v1/portal/${a.token}/interview-slots`).send({ startsAt: first.options[0].startsAt });
    expect(pick.status).toBe(200);
    expect(pick.body).toMatchObject({ status: 'booked', count: 2 });
    const booked = await loopOf(a.app.id);
    expect((await aliceCopy(booked[0].id))!).toContain(`DTSTART:${icsStamp(booked[0].starts_at)}`);

    const view = (await t.http.get(`/api/v1/portal/${a.token}/interview-slots`)).body;
    expect(view).toMatchObject({ canPick: false, canMove: true, canCancel: true, contact: { email: w.recruiter.email } });
    expect(new Date(view.movableUntil).getTime()).toBe(new Date(booked[0].starts_at).getTime() - 24 * 3_600_000);
    const targets: string[] = view.options.map((o: { startsAt: string }) => o.startsAt);
    expect(targets).not.toContain(new Date(booked[0].starts_at).toISOString());
    expect(targets.length).toBeGreaterThanOrEqual(2);

    // Two moves at once: one wins, the other is told the interviews just changed; nothing half-written.
    const [r1, r2] = await Promise.all(
      [targets[0], targets[1]].map((startsAt) => t.http.post(`/api/v1/portal/${a.token}/interview-slots`).send({ startsAt })),
    );
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    const won = r1.status === 200 ? targets[0] : targets[1];
    expect((r1.status === 409 ? r1 : r2).body.message).toMatch(/just changed|just taken/);
    const afterMove = await loopOf(a.app.id);
    expect(new Date(afterMove[0].starts_at).toISOString()).toBe(won);
    expect(afterMove.map((s) => [s.status, s.sequence])).toEqual([
      ['scheduled', 1],
      ['scheduled', 1],
    ]);
    // The session after the break moved with it.
    expect(new Date(afterMove[1].starts_at).getTime() - new Date(afterMove[0].ends_at).getTime()).toBe(15 * 60_000);
    // Alice's calendar copy moved (same UID, SEQUENCE 1); everyone has the updated invitation.
    const copy = (await aliceCopy(afterMove[0].id))!;
    expect(copy).toContain(`DTSTART:${icsStamp(won)}`);
    expect(copy).toContain('SEQUENCE:1');
    await eventually(
      async () => suite.smtp.to(a.c.email).filter((m) => /^Moved: Your interview/.test(m.subject)),
      (x) => x.length === 2,
      30_000,
    );
    const [aliceMail] = await eventually(
      async () => suite.smtp.to(alice.email).filter((m) => /^Moved: Interview \(Pairing\) with Mo Mover/.test(m.subject)),
      (x) => x.length === 1,
      30_000,
    );
    expect(icsOf(aliceMail)).toMatch(/METHOD:REQUEST[\s\S]*SEQUENCE:1/);
    const events = (await t.http.get(`/api/v1/applications/${a.app.id}/events`).set(auth(w.recruiter.token))).body as Array<{
      type: string;
      actor: { kind: string };
      data: { rescheduled?: boolean };
    }>;
    expect(events.filter((e) => e.type === 'interview.scheduled' && e.data.rescheduled && e.actor.kind === 'candidate')).toHaveLength(2);

    // Cancel: both sessions cancelled, Alice's copy removed, METHOD:CANCEL to everyone, times offered again.
    const cancelled = await t.http.delete(`/api/v1/portal/${a.token}/interview-slots`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', reoffered: true });
    expect((await loopOf(a.app.id)).map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(await aliceCopy(afterMove[0].id)).toBeNull();
    const cancelMails = await eventually(
      async () => suite.smtp.to(a.c.email).filter((m) => /^Cancelled:/.test(m.subject)),
      (x) => x.length === 2,
      30_000,
    );
    for (const m of cancelMails) expect(icsOf(m)).toMatch(/METHOD:CANCEL/);
    // Bob's own cancellation of this loop (he also has the one of the first test's loop, for another candidate).
    const bobCancel = await eventually(
      async () => suite.smtp.to(bob.email).filter((m) => /^Cancelled: interview \(Team conversation\) with Mo Mover/.test(m.subject)),
      (x) => x.length === 1,
      30_000,
    );
    expect(bobCancel).toHaveLength(1);
    expect(icsOf(bobCancel[0])).toMatch(/METHOD:CANCEL/);
    const again = (await t.http.get(`/api/v1/portal/${a.token}/interview-slots`)).body;
    expect(again).toMatchObject({ canPick: true, canMove: false });
    expect(again.options.length).toBeGreaterThanOrEqual(1);
    expect((await t.http.delete(`/api/v1/portal/${a.token}/interview-slots`)).status).toBe(409);
    const after = (await t.http.get(`/api/v1/applications/${a.app.id}/events`).set(auth(w.recruiter.token))).body as Array<{
      type: string;
      data: { text?: string };
    }>;
    expect(after.some((e) => e.type === 'note.added' && /candidate cancelled their interviews/.test(e.data.text ?? ''))).toBe(true);

    // A move racing a recruiter's cancel of the same interview (sent with the version they saw): one wins, the other 409.
    const b = await offered('Rae Racer');
    const bFirst = (await t.http.get(`/api/v1/portal/${b.token}/interview-slots`)).body;
    expect((await t.http.post(`/api/v1/portal/${b.token}/interview-slots`).send({ startsAt: bFirst.options[0].startsAt })).status).toBe(
      200,
    );
    const bLoop = await loopOf(b.app.id);
    const bView = (await t.http.get(`/api/v1/portal/${b.token}/interview-slots`)).body;
    const [byCandidate, byRecruiter] = await Promise.all([
      t.http.post(`/api/v1/portal/${b.token}/interview-slots`).send({ startsAt: bView.options[0].startsAt }),
      t.http
        .post(`/api/v1/interviews/${bLoop[0].id}/cancel`)
        .set(auth(w.recruiter.token))
        .send({ reason: 'Interviewer ill', sequence: bLoop[0].sequence }),
    ]);
    expect([byCandidate.status, byRecruiter.status].sort()).toEqual([200, 409]);
    const bAfter = await loopOf(b.app.id);
    if (byCandidate.status === 200) {
      // The move won: both sessions moved, none cancelled.
      expect(bAfter.map((s) => [s.status, s.sequence])).toEqual([
        ['scheduled', 1],
        ['scheduled', 1],
      ]);
      expect(new Date(bAfter[0].starts_at).toISOString()).toBe(bView.options[0].startsAt);
    } else {
      // The cancel won: nothing moved, and the loop the team changed is no longer the candidate's to move.
      expect(bAfter.map((s) => [s.status, new Date(s.starts_at).getTime()])).toEqual([
        ['cancelled', new Date(bLoop[0].starts_at).getTime()],
        ['scheduled', new Date(bLoop[1].starts_at).getTime()],
      ]);
      expect((await t.http.get(`/api/v1/portal/${b.token}/interview-slots`)).body).toMatchObject({ canMove: false, canCancel: false });
    }
  });

  it('after the notice the link can no longer move or cancel, and the page says whom to contact', async () => {
    const d = await offered('Dee Late');
    const v = (await t.http.get(`/api/v1/portal/${d.token}/interview-slots`)).body;
    expect((await t.http.post(`/api/v1/portal/${d.token}/interview-slots`).send({ startsAt: v.options[0].startsAt })).status).toBe(200);
    const starts = new Date(v.options[0].startsAt);
    clock.set(new Date(starts.getTime() - 3 * 3_600_000));
    try {
      const late = (await t.http.get(`/api/v1/portal/${d.token}/interview-slots`)).body;
      expect(late).toMatchObject({ canMove: false, canCancel: false, options: [] });
      const move = await t.http.post(`/api/v1/portal/${d.token}/interview-slots`).send({ startsAt: v.options[1].startsAt });
      expect(move.status).toBe(409);
      expect(move.body.message).toContain(w.recruiter.email);
      const cancel = await t.http.delete(`/api/v1/portal/${d.token}/interview-slots`);
      expect(cancel.status).toBe(409);
      expect((await loopOf(d.app.id)).map((s) => [s.status, s.sequence])).toEqual([
        ['scheduled', 0],
        ['scheduled', 0],
      ]);
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${base}/portal/${d.token}/interview-time`);
      await page.getByRole('heading', { level: 1, name: 'Your interview times' }).waitFor();
      expect(await page.textContent('#contact-us')).toContain(`can no longer be moved or cancelled here`);
      expect(await page.textContent('#contact-us')).toContain(w.recruiter.email);
      expect(await page.getByRole('button', { name: /Move my interviews|Cancel my interviews/ }).count()).toBe(0);
      await expectAccessible(page);
      await expectFitsPhone(page);
      await context.close();
    } finally {
      clock.set(MONDAY);
    }
  });
  it('the recruiter’s page shows an unanswered offer expiring, the new round sent, and the last round expiring with nothing sent', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Una Answered', timezone: 'Europe/London' });
    const app = await makeApplication(t, w, opening.id, c.id);
    const solo = { sessions: [{ kind: 'pairing', interviewerIds: [bob.id], durationMinutes: 60 }], breakMinutes: 15 };
    expect((await t.http.post(`/api/v1/applications/${app.id}/interview-offers`).set(auth(w.recruiter.token)).send(solo)).status).toBe(201);
    const registry = t.app.get(SweepRegistry);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await signIn(page, base, w.recruiter.email, PASSWORD, `/dashboard/applications/${app.id}/interview-times`);
      await page.getByRole('heading', { level: 1, name: 'Interview times for Una Answered' }).waitFor();
      expect(await page.textContent('#offer-expires')).toContain('Wednesday 3 March 2027, 08:00 (Europe/London)');
      // Two London business days later nobody has chosen: expired, offered again (offer 2), the history says so.
      clock.set(new Date('2027-03-03T09:00:00Z'));
      expect((await registry.runAll(clock.now()))['interview-slot-offers'].expired).toBeGreaterThanOrEqual(1);
      await page.goto(`${base}/dashboard/applications/${app.id}/interview-times`);
      if (new URL(page.url()).pathname === '/login')
        await signIn(page, base, w.recruiter.email, PASSWORD, `/dashboard/applications/${app.id}/interview-times`); // the session may have aged with the clock
      expect(await page.textContent('#offer-state')).toMatch(
        /Waiting for the candidate to choose \(offer 2: the earlier times were not answered in time\)/,
      );
      expect(await page.textContent('#offer-history')).toMatch(
        /Offer 1: offered Monday 1 March 2027, 08:00 \(Europe\/London\); expired without an answer/,
      );
      await expectAccessible(page);
      await expectFitsPhone(page);
      // The last round unanswered too: nothing more is sent automatically, and the page says what to do.
      clock.set(new Date('2027-03-05T10:00:00Z'));
      await registry.runAll(clock.now());
      await page.goto(`${base}/dashboard/applications/${app.id}/interview-times`);
      if (new URL(page.url()).pathname === '/login')
        await signIn(page, base, w.recruiter.email, PASSWORD, `/dashboard/applications/${app.id}/interview-times`); // the session may have aged with the clock
      expect(await page.textContent('#offer-state')).toContain('Expired without an answer');
      expect(await page.textContent('#offer-expired')).toContain('offer new times below');
      await expectAccessible(page);
      await expectFitsPhone(page);
    } finally {
      clock.set(MONDAY);
      await context.close();
    }
  });
});
