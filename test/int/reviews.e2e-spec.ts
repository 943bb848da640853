import ICAL from 'ical.js';
import { Clock } from '../../src/common/clock/clock';
import { Role } from '../../src/identity/user.entity';
import { PASSWORD, TestApp, startMailSuite } from '../setup/test-app';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, World } from '../support/factories';
import { eventually } from '../support/redis-server';
import { CapturedMail, SmtpCapture } from '../support/smtp';

function calendarOf(mail: CapturedMail) {
  const part = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar')) ?? null;
  const raw = part ? part.content.toString('utf8') : /BEGIN:VCALENDAR[\s\S]*END:VCALENDAR/.exec(mail.raw.replace(/=\r?\n/g, ''))?.[0];
  if (!raw) throw new Error(`no calendar in ${mail.subject}`);
  const cal = new ICAL.Component(ICAL.parse(raw));
  const ev = cal.getFirstSubcomponent('vevent')!;
  return {
    method: cal.getFirstPropertyValue('method'),
    uid: ev.getFirstPropertyValue('uid'),
    sequence: Number(ev.getFirstPropertyValue('sequence')),
    start: (ev.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
    end: (ev.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString(),
    summary: String(ev.getFirstPropertyValue('summary') ?? ''),
    location: ev.getFirstPropertyValue('location') as string | null,
    url: ev.getFirstPropertyValue('url') as string | null,
    raw,
  };
}

describe('code reviews: scheduled with a qualified engineer, invitations with ICS', () => {
  let t: TestApp;
  let w: World;
  let smtp: SmtpCapture;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let clock: Clock;

  beforeAll(async () => {
    suite = await startMailSuite();
    ({ smtp, t, w } = suite);
    clock = t.app.get(Clock);
    // Monday 2027-03-01 08:00 UTC.
    clock.set(new Date('2027-03-01T08:00:00Z'));
  });
  afterAll(async () => {
    clock?.reset();
    await suite?.close();
  });

  const engineer = async (tz: string, languages: string[]) => {
    const e = await t.login([Role.Engineer]);
    const res = await t.http
      .put(`/api/v1/users/${e.id}/reviewer-profile`)
      .set(auth(e.token))
      .send({ languages, timezone: tz, workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } });
    expect(res.status).toBe(200);
    return e;
  };

  it('schedules a review when a public-code exemption is recorded, never with the referrer, with ICS in each time zone; reschedule and cancel keep the UID', async () => {
    const referrer = await engineer('Europe/Berlin', ['python']);
    const reviewer = await engineer('Europe/Berlin', ['python', 'go']);
    // The reviewer's own meeting link (new in the profile) becomes the invitation's place.
    const withLink = await t.http
      .put(`/api/v1/users/${reviewer.id}/reviewer-profile`)
      .set(auth(reviewer.token))
      .send({
        languages: ['python', 'go'],
        timezone: 'Europe/Berlin',
        workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
        meetingUrl: 'https://meet.example.com/review-room',
      });
    expect(withLink.status).toBe(200);
    expect(withLink.body.meetingUrl).toBe('https://meet.example.com/review-room');
    const badLink = await t.http
      .put(`/api/v1/users/${reviewer.id}/reviewer-profile`)
      .set(auth(reviewer.token))
      .send({
        languages: ['python'],
        timezone: 'Europe/Berlin',
        workingHours: { start: '09:00', end: '17:00', days: [1] },
        meetingUrl: 'not a link',
      });
    expect(badLink.status).toBe(400);
    expect(badLink.body.message).toMatch(/meetingUrl/);
    const reviewerName: string = (await t.db.query('SELECT name FROM users WHERE id = $1', [reviewer.id]))[0].name;
    await engineer('Europe/Berlin', ['javascript']); // wrong language
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, {
      name: 'Guido Example',
      timezone: 'America/New_York',
      source: { kind: 'referral', referrerId: referrer.id },
    });
    const app = await makeApplication(t, w, opening.id, c.id);
    const ex = await t.http.post(`/api/v1/applications/${app.id}/exemptions`).set(auth(w.recruiter.token)).send({
      kind: 'public_code',
      url: 'https://github.com/example/lib',
      reason: 'Maintainer of a well-known library',
      language: 'python',
    });
    expect(ex.status).toBe(201);

    const list = await t.http.get(`/api/v1/reviews?reviewerId=${reviewer.id}`).set(auth(reviewer.token));
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    const review = list.body[0];
    expect(review).toMatchObject({ reviewerId: reviewer.id, applicationId: app.id, status: 'scheduled' });
    expect((await t.http.get(`/api/v1/reviews?reviewerId=${referrer.id}`).set(auth(referrer.token))).body).toHaveLength(0);
    // Inside the reviewer's Berlin hours and the candidate's New York 09:00-18:00.
    const start = new Date(review.startsAt);
    expect(new Date(review.endsAt).getTime() - start.getTime()).toBe(60 * 60_000);
    expect(start.getTime()).toBeGreaterThanOrEqual(new Date('2027-03-02T00:00:00Z').getTime()); // at least one business day's notice
    const berlinHour = Number(
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: 'Europe/Berlin' }).format(start),
    );
    const nyHour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: 'America/New_York' }).format(start));
    expect(berlinHour).toBeGreaterThanOrEqual(9);
    expect(berlinHour).toBeLessThan(17);
    expect(nyHour).toBeGreaterThanOrEqual(9);

    const toReviewer = await eventually(
      async () => smtp.to((await t.db.query('SELECT email FROM users WHERE id = $1', [reviewer.id]))[0].email),
      (m) => m.length >= 1,
    );
    const toCandidate = await eventually(
      async () => smtp.to(c.email).filter((m) => /Code review/.test(m.subject)),
      (m) => m.length >= 1,
    );
    const rcal = calendarOf(toReviewer[0]);
    const ccal = calendarOf(toCandidate[0]);
    expect(rcal).toMatchObject({ method: 'REQUEST', sequence: 0, start: start.toISOString(), end: review.endsAt });
    expect(ccal.uid).toBe(rcal.uid);
    expect(toReviewer[0].text).toMatch(/\(Europe\/Berlin\)/);
    expect(toCandidate[0].text).toMatch(/\(America\/New_York\)/);
    expect(toReviewer[0].text).toContain(`http://hiring.test/reviews/${review.id}`);
    // The candidate's invitation: titled with the reviewer and the company, never the candidate's own
    // name; it carries the meeting link as its place; its calendar file never links to the staff page.
    expect(toCandidate[0].subject).not.toContain('Guido Example');
    expect(toCandidate[0].subject).toContain(`Code review with ${reviewerName}`);
    expect(ccal.summary).not.toContain('Guido Example');
    expect(ccal.summary).toContain(reviewerName);
    expect(ccal.location).toBe('https://meet.example.com/review-room');
    expect(ccal.raw).not.toContain('/reviews/');
    expect(toCandidate[0].text).toContain('https://meet.example.com/review-room');
    expect(toCandidate[0].text).not.toContain('/reviews/');
    expect(rcal.location).toBe('https://meet.example.com/review-room');
    expect(rcal.url).toBe(`http://hiring.test/reviews/${review.id}`);

    const moved = await t.http.post(`/api/v1/reviews/${review.id}/reschedule`).set(auth(w.manager.token));
    expect(moved.status).toBe(200);
    expect(moved.body.sequence).toBe(1);
    const re = await eventually(
      async () => smtp.to(c.email).filter((m) => /Rescheduled/.test(m.subject)),
      (m) => m.length >= 1,
    );
    expect(calendarOf(re[0])).toMatchObject({
      method: 'REQUEST',
      uid: rcal.uid,
      sequence: 1,
      start: new Date(moved.body.startsAt).toISOString(),
    });

    const cancelled = await t.http
      .post(`/api/v1/reviews/${review.id}/cancel`)
      .set(auth(w.manager.token))
      .send({ reason: 'Scheduling mix-up.' });
    expect(cancelled.status).toBe(200);
    const cx = await eventually(
      async () => smtp.to(c.email).filter((m) => /Cancelled/.test(m.subject)),
      (m) => m.length >= 1,
    );
    expect(calendarOf(cx[0])).toMatchObject({ method: 'CANCEL', uid: rcal.uid, sequence: 2 });
  });

  it('alerts the hiring manager with the reason when no engineer lists the language', async () => {
    const opening = await makeOpening(t, w);
    const app = await makeApplication(t, w, opening.id, (await makeCandidate(t, w)).id);
    await t.http
      .post(`/api/v1/applications/${app.id}/exemptions`)
      .set(auth(w.recruiter.token))
      .send({ kind: 'public_code', url: 'https://example.com/cobol', reason: 'Decades of public COBOL', language: 'cobol' })
      .expect(201);
    const alerts = (await t.http.get('/api/v1/alerts').set(auth(w.manager.token))).body as Array<{
      kind: string;
      applicationId: string;
      message: string;
    }>;
    const mine = alerts.filter((a) => a.kind === 'review_unschedulable' && a.applicationId === app.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].message).toMatch(/COBOL|cobol/);
    expect(mine[0].message).toMatch(/reviewer profile/i);
    const events = (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body as Array<{ type: string }>;
    expect(events.some((e) => e.type === 'alert.raised')).toBe(true);
  });

  it('respects busy blocks and interviews, and records the outcome from the packet page, advancing the application', async () => {
    const reviewer = await engineer('UTC', ['rust']);
    // Busy all of Tuesday and Wednesday (calendar block)...
    const busy = await t.http
      .post(`/api/v1/users/${reviewer.id}/busy`)
      .set(auth(reviewer.token))
      .send({ startsAt: '2027-03-02T00:00:00Z', endsAt: '2027-03-04T00:00:00Z', reason: 'Conference' });
    expect(busy.status).toBe(201);
    const other = await t.http
      .post(`/api/v1/users/${w.manager.id}/busy`)
      .set(auth(reviewer.token))
      .send({ startsAt: '2027-03-02T00:00:00Z', endsAt: '2027-03-03T00:00:00Z' });
    expect(other.status).toBe(403);
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { timezone: 'UTC' });
    const app = await makeApplication(t, w, opening.id, c.id);
    // And on another candidate's interview loop all Thursday: the review lands on Friday.
    const someoneElse = await makeApplication(t, w, opening.id, (await makeCandidate(t, w, { timezone: 'UTC' })).id);
    await t.db.query(
      `INSERT INTO interview_sessions (application_id, kind, interviewer_ids, starts_at, ends_at, created_at) VALUES ($1, 'pairing', $2, '2027-03-04T00:00:00Z', '2027-03-05T00:00:00Z', now())`,
      [someoneElse.id, [reviewer.id]],
    );
    for (const to of ['manager_call'])
      await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to }).expect(200);
    await t.http
      .post(`/api/v1/applications/${app.id}/exemptions`)
      .set(auth(w.recruiter.token))
      .send({ kind: 'public_code', url: 'https://github.com/example/crate', reason: 'Author of a popular crate', language: 'rust' })
      .expect(201);
    // The accepted public code puts the application in the code-review stage by itself.
    expect((await t.http.get(`/api/v1/applications/${app.id}`).set(auth(w.recruiter.token))).body.stage).toBe('code_review');
    const [review] = (await t.http.get(`/api/v1/reviews?reviewerId=${reviewer.id}`).set(auth(reviewer.token))).body;
    expect(review.startsAt.slice(0, 10)).toBe('2027-03-05');

    // The reviewer signs in and records the outcome on the packet page.
    const email = (await t.db.query('SELECT email FROM users WHERE id = $1', [reviewer.id]))[0].email;
    clock.reset(); // the browser session uses real time
    const base = await t.listen();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await signIn(page, base, email, PASSWORD, `/reviews/${review.id}`);
      expect(await page.textContent('h1')).toMatch(/Code review/);
      expect(await page.textContent('body')).toContain('https://github.com/example/crate');
      await page.fill('#notes', 'Explained every line of the parser; strong.');
      // The answer is the packet again, at /reviews/<id>?decided=1 (a wait for `**/reviews/<id>`
      // matched the page the form is on and answered at once, before the decision was shown).
      await Promise.all([page.waitForURL(new RegExp(`/reviews/${review.id}\\?decided=1`)), page.click('button[value=advance]')]);
      expect(await page.textContent('body')).toMatch(/decision: move on/);
    } finally {
      await browser.close();
    }
    const after = await t.http.get(`/api/v1/applications/${app.id}`).set(auth(w.recruiter.token));
    expect(after.body.stage).toBe('team_interviews');
  });
});
