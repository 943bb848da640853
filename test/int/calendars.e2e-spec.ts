import http from 'node:http';
import { Clock } from '../../src/common/clock/clock';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { Role } from '../../src/identity/user.entity';
import { Browser } from 'playwright-core';
import { PASSWORD, TestApp, startMailSuite } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, World } from '../support/factories';
import { freePort, Radicale } from '../support/radicale';

const ics = (...events: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    ...events.flatMap((e) => ['BEGIN:VEVENT', 'DTSTAMP:20270101T000000Z', ...e, 'END:VEVENT']),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** A small HTTP server for ICS feeds and hostile "CalDAV" answers. */
async function localServer(handler: http.RequestListener) {
  const server = http.createServer(handler);
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('calendars: real free/busy from CalDAV (radicale) and ICS feeds, honoured by scheduling, written back, loud when unreadable', () => {
  let t: TestApp;
  let w: World;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let clock: Clock;
  const radicale = new Radicale();
  let feed: Awaited<ReturnType<typeof localServer>>;
  let feedBody = '';
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    await radicale.start();
    feed = await localServer((req, res) => {
      if (req.url === '/secret/basic.ics') {
        res.writeHead(200, { 'content-type': 'text/calendar' });
        res.end(feedBody);
      } else if (req.url === '/huge.ics') {
        res.writeHead(200, { 'content-type': 'text/calendar' });
        const chunk = 'X'.repeat(64 * 1024);
        let sent = 0;
        const pump = () => {
          while (sent < 200 && res.write(chunk)) sent += 1;
          if (sent < 200) res.once('drain', pump);
          else res.end();
        };
        res.on('error', () => undefined);
        pump();
      } else if (req.url?.startsWith('/dav-bomb')) {
        res.writeHead(207, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
            '<d:multistatus xmlns:d="DAV:"><d:response><d:href>&lol2;</d:href></d:response></d:multistatus>',
        );
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    suite = await startMailSuite({ CALENDAR_FRESHNESS_MINUTES: '30' });
    ({ t, w } = suite);
    base = await t.listen();
    browser = await launchBrowser();
    clock = t.app.get(Clock);
    clock.set(new Date('2027-03-01T08:00:00Z')); // Monday
    // Calendars on loopback are private targets: the admin allows them through the shared outbound guard.
    const allow = await t.http.put('/api/v1/settings/outbound').set(auth(w.admin.token)).send({ allowPrivateTargets: true });
    expect(allow.status).toBe(200);
  });
  afterAll(async () => {
    clock?.reset();
    await browser?.close();
    await suite?.close();
    await feed?.close();
    await radicale.stop();
  });

  const engineer = async (languages: string[]) => {
    const e = await t.login([Role.Engineer]);
    const res = await t.http
      .put(`/api/v1/users/${e.id}/reviewer-profile`)
      .set(auth(e.token))
      .send({ languages, timezone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } });
    expect(res.status).toBe(200);
    return e;
  };

  it('connects CalDAV from the principal URL, expands recurring/all-day/transparent events, books the review around them, writes it back and removes it on cancel', async () => {
    const work = await radicale.makeCalendar('alice', 'work');
    await radicale.putEvent(
      'alice',
      work,
      'focus.ics',
      ics([
        'UID:focus@test',
        'DTSTART;TZID=Europe/Berlin:20270302T090000',
        'DTEND;TZID=Europe/Berlin:20270302T170000',
        'RRULE:FREQ=DAILY;COUNT=4',
        'EXDATE;TZID=Europe/Berlin:20270304T090000',
        'SUMMARY:Focus time',
      ]),
    );
    await radicale.putEvent(
      'alice',
      work,
      'holiday.ics',
      ics(['UID:holiday@test', 'DTSTART;VALUE=DATE:20270304', 'DTEND;VALUE=DATE:20270305', 'SUMMARY:Holiday']),
    );
    await radicale.putEvent(
      'alice',
      work,
      'free.ics',
      ics(['UID:free@test', 'DTSTART:20270308T080000Z', 'DTEND:20270308T120000Z', 'TRANSP:TRANSPARENT', 'SUMMARY:Optional talk']),
    );
    const reviewer = await engineer(['python']);
    const connected = await t.http
      .put(`/api/v1/users/${reviewer.id}/calendar`)
      .set(auth(reviewer.token))
      .send({ kind: 'caldav', url: `${radicale.base}/alice/`, username: 'alice', password: radicale.users.alice });
    expect(connected.status).toBe(200);
    expect(connected.body).toMatchObject({ kind: 'caldav', status: 'ok', calendars: 1, username: 'alice' });
    expect(JSON.stringify(connected.body)).not.toContain(radicale.users.alice);
    const stored = await t.db.query(`SELECT url_sealed, secret_sealed FROM calendar_connections WHERE user_id = $1`, [reviewer.id]);
    expect(stored[0].secret_sealed).toMatch(/^v2\./);
    expect(stored[0].secret_sealed).not.toContain(radicale.users.alice);

    const busy = await t.http
      .get(`/api/v1/users/${reviewer.id}/busy?from=2027-03-01T00:00:00Z&to=2027-03-09T00:00:00Z`)
      .set(auth(w.recruiter.token));
    expect(busy.status).toBe(200);
    const cal = busy.body
      .filter((b: { source: string }) => b.source === 'calendar')
      .map((b: { startsAt: string; endsAt: string }) => `${b.startsAt}/${b.endsAt}`);
    // Tue and Wed 09-17 Berlin (08-16Z), Thursday excluded from the series but a whole-day holiday (Berlin midnight to midnight), Friday 08-16Z; the transparent talk is free.
    expect(cal).toEqual([
      '2027-03-02T08:00:00.000Z/2027-03-02T16:00:00.000Z',
      '2027-03-03T08:00:00.000Z/2027-03-03T16:00:00.000Z',
      '2027-03-03T23:00:00.000Z/2027-03-04T23:00:00.000Z',
      '2027-03-05T08:00:00.000Z/2027-03-05T16:00:00.000Z',
    ]);

    // The review is booked in the first free time: Monday 8 March 09:00 London (candidate) = 10:00 Berlin.
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Katherine Example', timezone: 'Europe/London' });
    const app = await makeApplication(t, w, opening.id, c.id);
    const ex = await t.http
      .post(`/api/v1/applications/${app.id}/exemptions`)
      .set(auth(w.recruiter.token))
      .send({ kind: 'public_code', url: 'https://github.com/example/lib', reason: 'Maintainer', language: 'python' });
    expect(ex.status).toBe(201);
    const [review] = (await t.http.get(`/api/v1/reviews?applicationId=${app.id}`).set(auth(w.recruiter.token))).body;
    expect(review).toMatchObject({ reviewerId: reviewer.id, status: 'scheduled', startsAt: '2027-03-08T09:00:00.000Z' });

    // Written back into alice's calendar, as an event without attendees (no second invitation from the server).
    const [wb] = await t.db.query(`SELECT href, state FROM calendar_writebacks WHERE user_id = $1`, [reviewer.id]);
    expect(wb.state).toBe('written');
    const onServer = await radicale.request('alice', 'GET', new URL(wb.href).pathname);
    expect(onServer.status).toBe(200);
    expect(onServer.text).toContain('DTSTART:20270308T090000Z');
    expect(onServer.text).toContain('SUMMARY:Code review: Katherine Example');
    expect(onServer.text).not.toMatch(/ATTENDEE|METHOD/);
    // The platform's own event is not read back as calendar time (it is platform time already).
    await t.http.post(`/api/v1/users/${reviewer.id}/calendar/sync`).set(auth(reviewer.token)).expect(200);
    const after = (
      await t.http.get(`/api/v1/users/${reviewer.id}/busy?from=2027-03-08T00:00:00Z&to=2027-03-09T00:00:00Z`).set(auth(reviewer.token))
    ).body;
    expect(after.map((b: { source: string }) => b.source)).toEqual(['platform']);

    // Reschedule moves the stored event; cancel removes it.
    const moved = await t.http.post(`/api/v1/reviews/${review.id}/reschedule`).set(auth(w.recruiter.token));
    expect(moved.status).toBe(200);
    const movedText = (await radicale.request('alice', 'GET', new URL(wb.href).pathname)).text;
    expect(movedText).toContain(`DTSTART:${moved.body.startsAt.replace(/[-:]/g, '').replace('.000', '')}`);
    expect(movedText).toContain('SEQUENCE:1');
    const cancelled = await t.http.post(`/api/v1/reviews/${review.id}/cancel`).set(auth(w.recruiter.token)).send({ reason: 'test' });
    expect(cancelled.status).toBe(200);
    expect((await radicale.request('alice', 'GET', new URL(wb.href).pathname)).status).toBe(404);

    // Interviews: a session during the focus time clashes with the calendar, by name.
    const app2 = await makeApplication(
      t,
      w,
      opening.id,
      (await makeCandidate(t, w, { name: 'Dorothy Example', timezone: 'Europe/London' })).id,
    );
    const clash = await t.http
      .post(`/api/v1/applications/${app2.id}/interviews`)
      .set(auth(w.recruiter.token))
      .send({
        sessions: [{ kind: 'pairing', interviewerIds: [reviewer.id], startsAt: '2027-03-03T10:00:00Z', endsAt: '2027-03-03T11:00:00Z' }],
      });
    expect(clash.status).toBe(422);
    expect(clash.body.rules).toContain('interviewer_busy');
    expect(clash.body.message).toContain('has an event in their calendar from 2027-03-03T08:00Z to 2027-03-03T16:00Z');

    // A free time books, and the interview lands in the interviewer's calendar; cancelling removes it.
    const booked = await t.http
      .post(`/api/v1/applications/${app2.id}/interviews`)
      .set(auth(w.recruiter.token))
      .send({
        sessions: [{ kind: 'pairing', interviewerIds: [reviewer.id], startsAt: '2027-03-08T13:00:00Z', endsAt: '2027-03-08T14:00:00Z' }],
      });
    expect(booked.status).toBe(201);
    const interviewId = booked.body.sessions[0].id;
    const [iwb] = await t.db.query(`SELECT href, state FROM calendar_writebacks WHERE session_id = $1`, [interviewId]);
    expect(iwb.state).toBe('written');
    const interviewText = (await radicale.request('alice', 'GET', new URL(iwb.href).pathname)).text;
    expect(interviewText).toContain('DTSTART:20270308T130000Z');
    expect(interviewText).toContain('Dorothy Example');
    expect(
      (await t.http.post(`/api/v1/interviews/${interviewId}/cancel`).set(auth(w.recruiter.token)).send({ reason: 'test' })).status,
    ).toBe(200);
    expect((await radicale.request('alice', 'GET', new URL(iwb.href).pathname)).status).toBe(404);

    // An event added after connecting is seen once the background refresh runs within the freshness bound.
    await radicale.putEvent(
      'alice',
      work,
      'late.ics',
      ics(['UID:late@test', 'DTSTART:20270309T130000Z', 'DTEND:20270309T140000Z', 'SUMMARY:Dentist']),
    );
    clock.set(new Date('2027-03-01T08:20:00Z'));
    const report = await t.app.get(SweepRegistry).runAll(clock.now());
    expect(report.calendars.synced).toBeGreaterThanOrEqual(1);
    const late = (
      await t.http.get(`/api/v1/users/${reviewer.id}/busy?from=2027-03-09T00:00:00Z&to=2027-03-10T00:00:00Z`).set(auth(reviewer.token))
    ).body;
    expect(late).toEqual([{ startsAt: '2027-03-09T13:00:00.000Z', endsAt: '2027-03-09T14:00:00.000Z', source: 'calendar' }]);
  });

  it('a wrong password or a 404 URL is the error state; that reviewer is not booked, and the alert names the unreadable calendar', async () => {
    const bob = await engineer(['rust']);
    const wrong = await t.http
      .put(`/api/v1/users/${bob.id}/calendar`)
      .set(auth(bob.token))
      .send({ kind: 'caldav', url: `${radicale.base}/bob/`, username: 'bob', password: 'not-the-password' });
    expect(wrong.status).toBe(200);
    expect(wrong.body.status).toBe('error');
    expect(wrong.body.error).toMatch(/refused the credentials \(401\)/);
    expect(JSON.stringify(wrong.body)).not.toContain('not-the-password');
    const missing = await t.http
      .put(`/api/v1/users/${bob.id}/calendar`)
      .set(auth(w.admin.token))
      .send({ kind: 'caldav', url: `${radicale.base}/bob/nothing-here/`, username: 'bob', password: radicale.users.bob });
    expect(missing.body.status).toBe('error');
    expect(missing.body.error).toMatch(/404/);
    // Someone else's calendar is not theirs to change.
    const other = await t.login([Role.Engineer]);
    expect(
      (await t.http.put(`/api/v1/users/${bob.id}/calendar`).set(auth(other.token)).send({ kind: 'ics', url: 'https://example.com/x.ics' }))
        .status,
    ).toBe(403);

    const opening = await makeOpening(t, w);
    const app = await makeApplication(
      t,
      w,
      opening.id,
      (await makeCandidate(t, w, { name: 'Grace Example', timezone: 'Europe/London' })).id,
    );
    await t.http
      .post(`/api/v1/applications/${app.id}/exemptions`)
      .set(auth(w.recruiter.token))
      .send({ kind: 'public_code', url: 'https://github.com/example/crate', reason: 'Maintainer', language: 'rust' })
      .expect(201);
    expect((await t.http.get(`/api/v1/reviews?applicationId=${app.id}`).set(auth(w.recruiter.token))).body).toHaveLength(0);
    const [alert] = await t.db.query(`SELECT message FROM alerts WHERE application_id = $1 AND kind = 'review_unschedulable'`, [app.id]);
    expect(alert.message).toMatch(/calendar cannot be read/);
    expect(alert.message).toMatch(/404/);
    // The owner is told too.
    const [own] = await t.db.query(`SELECT message FROM alerts WHERE recipient_id = $1 AND kind = 'calendar_unreadable'`, [bob.id]);
    expect(own.message).toMatch(/cannot be read/);

    // Fixed: the calendar reads again and the status says so.
    const fixed = await t.http
      .put(`/api/v1/users/${bob.id}/calendar`)
      .set(auth(bob.token))
      .send({ kind: 'caldav', url: `${radicale.base}/bob/`, username: 'bob', password: radicale.users.bob });
    // bob has no calendar collection yet: discovery says so rather than reading nothing as free.
    expect(fixed.body.status).toBe('error');
    expect(fixed.body.error).toMatch(/no calendar with events/);
    await radicale.makeCalendar('bob', 'main');
    const ok = await t.http.post(`/api/v1/users/${bob.id}/calendar/sync`).set(auth(bob.token));
    if (ok.body.status !== 'ok') console.log(ok.body);
    expect(ok.body).toMatchObject({ status: 'ok', calendars: 1 });
    expect((await t.http.delete(`/api/v1/users/${bob.id}/calendar`).set(auth(bob.token))).status).toBe(204);
    expect((await t.http.get(`/api/v1/users/${bob.id}/calendar`).set(auth(bob.token))).status).toBe(404);
  });

  it('reads a secret ICS address served locally, hides it, and refuses huge, malformed and XML-bomb answers with clear errors', async () => {
    const e = await engineer(['go']);
    feedBody = ics(
      ['UID:weekly@test', 'DTSTART:20270302T120000Z', 'DTEND:20270302T130000Z', 'RRULE:FREQ=WEEKLY;UNTIL=20270320T000000Z'],
      ['UID:weekly@test', 'RECURRENCE-ID:20270309T120000Z', 'DTSTART:20270309T150000Z', 'DTEND:20270309T160000Z'],
    );
    const res = await t.http
      .put(`/api/v1/users/${e.id}/calendar`)
      .set(auth(e.token))
      .send({ kind: 'ics', url: `${feed.url}/secret/basic.ics` });
    expect(res.body).toMatchObject({ kind: 'ics', status: 'ok' });
    expect(res.body.url).not.toContain('secret');
    const busy = (await t.http.get(`/api/v1/users/${e.id}/busy?from=2027-03-01T00:00:00Z&to=2027-03-20T00:00:00Z`).set(auth(e.token))).body;
    expect(busy.map((b: { startsAt: string }) => b.startsAt)).toEqual([
      '2027-03-02T12:00:00.000Z',
      '2027-03-09T15:00:00.000Z',
      '2027-03-16T12:00:00.000Z',
    ]);

    feedBody = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nthis is : not ; ical\r\n';
    const broken = await t.http.post(`/api/v1/users/${e.id}/calendar/sync`).set(auth(e.token));
    expect(broken.body.status).toBe('error');
    expect(broken.body.error).toMatch(/not valid iCalendar/);
    // The busy times read before are kept, and the person is not bookable while the calendar is in error.
    expect((await t.http.get(`/api/v1/users/${e.id}/calendar`).set(auth(e.token))).body.status).toBe('error');

    const huge = await t.http
      .put(`/api/v1/users/${e.id}/calendar`)
      .set(auth(e.token))
      .send({ kind: 'ics', url: `${feed.url}/huge.ics` });
    expect(huge.body.status).toBe('error');
    expect(huge.body.error).toMatch(/larger than/);
    const bomb = await t.http
      .put(`/api/v1/users/${e.id}/calendar`)
      .set(auth(e.token))
      .send({ kind: 'caldav', url: `${feed.url}/dav-bomb/`, username: 'x', password: 'y' });
    expect(bomb.body.status).toBe('error');
    expect(bomb.body.error).toMatch(/DOCTYPE/);
    const bad = await t.http
      .put(`/api/v1/users/${e.id}/calendar`)
      .set(auth(e.token))
      .send({ kind: 'caldav', url: 'ftp://example.com/cal' });
    expect(bad.status).toBe(400);
    const creds = await t.http
      .put(`/api/v1/users/${e.id}/calendar`)
      .set(auth(e.token))
      .send({ kind: 'caldav', url: 'https://u:p@example.com/cal' });
    expect(creds.status).toBe(400);
    expect(creds.body.message).toMatch(/user name or password/);
  });

  it('"My calendar" page: connect, see the status and busy times, an unreadable calendar said loudly, disconnect; admins reach anyone\'s', async () => {
    const carol = await engineer(['java']);
    await radicale.makeCalendar('bob', 'page');
    await radicale.putEvent(
      'bob',
      '/bob/page/',
      'standup.ics',
      ics(['UID:standup@page', 'DTSTART:20270302T100000Z', 'DTEND:20270302T103000Z', 'RRULE:FREQ=DAILY;COUNT=3']),
    );
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, base, carol.email, PASSWORD);
    await page.getByRole('link', { name: 'My calendar' }).click();
    await page.getByRole('heading', { level: 1, name: 'My calendar' }).waitFor();
    expect(await page.textContent('#calendar-status')).toContain('No calendar connected');
    await expectAccessible(page);
    await expectFitsPhone(page);

    await page.getByLabel('Calendar type').selectOption('caldav');
    await page.getByLabel('Calendar address').fill(`${radicale.base}/bob/page/`);
    await page.getByLabel('User name').fill('bob');
    await page.getByLabel('Password or app password').fill('wrong-password');
    await page.getByRole('button', { name: 'Connect calendar', exact: true }).click();
    await page.getByText('This calendar cannot be read.').waitFor();
    expect(await page.textContent('#calendar-status')).toContain('refused the credentials (401)');
    expect(await page.content()).not.toContain('wrong-password');
    await expectAccessible(page);
    await expectFitsPhone(page);

    await page.getByLabel('Calendar address').fill(`${radicale.base}/bob/page/`);
    await page.getByLabel('User name').fill('bob');
    await page.getByLabel('Password or app password').fill(radicale.users.bob);
    await page.getByRole('button', { name: 'Connect calendar', exact: true }).click();
    await page.getByText('Connected and readable.').waitFor();
    // Busy times in the viewer's zone (Europe/London), named.
    const list = await page.textContent('#busy-list');
    expect(list).toMatch(/Tue(sday)?,? 2 Mar(ch)? 2027/);
    expect(list).toContain('10:00');
    expect(await page.textContent('main')).toContain('Europe/London');
    await expectAccessible(page);
    await expectFitsPhone(page);

    // Another engineer cannot open it; an admin can, from the user's page.
    const other = await t.login([Role.Engineer]);
    expect((await t.http.get(`/calendar/${carol.id}`).set(auth(other.token))).status).toBe(403);
    const admin = await t.http.get(`/calendar/${carol.id}`).set(auth(w.admin.token));
    expect(admin.status).toBe(200);
    expect(admin.text).toContain('Connected and readable.');
    // A recruiter (who books people) sees the state but no form to change it.
    const recruiterView = await t.http.get(`/calendar/${carol.id}`).set(auth(w.recruiter.token));
    expect(recruiterView.status).toBe(200);
    expect(recruiterView.text).toContain('Connected and readable.');
    expect(recruiterView.text).not.toContain('Disconnect calendar');
    expect((await t.http.post(`/calendar/${carol.id}/disconnect`).set(auth(w.recruiter.token))).status).toBe(403);
    expect((await t.http.get(`/api/v1/users/${carol.id}/calendar`).set(auth(w.recruiter.token))).body.status).toBe('ok');

    await page.getByRole('button', { name: 'Disconnect calendar' }).click();
    await page.getByText('The calendar is disconnected.').waitFor();
    expect(await page.textContent('#calendar-status')).toContain('No calendar connected');
    await context.close();
  });
});
