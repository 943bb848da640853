import http from 'node:http';
import { Clock } from '../../src/common/clock/clock';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { Role } from '../../src/identity/user.entity';
import { TestApp, startMailSuite } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, World, setReviewerProfile } from '../support/factories';
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

const ALL_DAY_10_MARCH = ['DTSTART;VALUE=DATE:20270310', 'DTEND;VALUE=DATE:20270311', 'SUMMARY:Day off'];
/** 10 March 2027 in Auckland (NZDT, UTC+13): 9 March 11:00Z to 10 March 11:00Z; in the server's UTC it would be 10 March 00:00Z-24:00Z. */
const AUCKLAND_10_MARCH = '2027-03-09T11:00:00.000Z/2027-03-10T11:00:00.000Z';

/**
 * Calendar times the server's own zone must never colour: an all-day event is the whole day where
 * the calendar's owner lives (their reviewer profile's zone, else their account's), read from a real
 * CalDAV server (radicale, itself in yet another zone) and from an ICS feed. And the platform's
 * own events found in a calendar (written back, or an accepted e-mailed invitation) count once, as
 * platform time.
 */
describe('calendars: all-day events in the owner’s zone, the platform’s own events counted once', () => {
  let t: TestApp;
  let w: World;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let clock: Clock;
  const radicale = new Radicale();
  let server: http.Server;
  let feedUrl = '';
  let feedBody = '';

  beforeAll(async () => {
    // The calendar server runs in Los Angeles, the platform in the machine's zone (UTC here), the people in Auckland.
    await radicale.start({ TZ: 'America/Los_Angeles' });
    server = http.createServer((req, res) => {
      if (req.url === '/secret/feed.ics') {
        res.writeHead(200, { 'content-type': 'text/calendar' });
        res.end(feedBody);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    feedUrl = `http://127.0.0.1:${port}/secret/feed.ics`;
    suite = await startMailSuite({ PUBLIC_URL: 'http://hiring.test' });
    ({ t, w } = suite);
    clock = t.app.get(Clock);
    clock.set(new Date('2027-03-01T08:00:00Z'));
    await t.http.put('/api/v1/settings/outbound').set(auth(w.admin.token)).send({ allowPrivateTargets: true }).expect(200);
  });
  afterAll(async () => {
    clock?.reset();
    await suite?.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await radicale.stop();
  });

  const calendarBusy = async (userId: string, from = '2027-03-01T00:00:00Z', to = '2027-03-20T00:00:00Z') => {
    const res = await t.http.get(`/api/v1/users/${userId}/busy?from=${from}&to=${to}`).set(auth(w.recruiter.token)).expect(200);
    return res.body as Array<{ source: string; startsAt: string; endsAt: string }>;
  };
  const spans = (xs: Array<{ startsAt: string; endsAt: string }>) => xs.map((b) => `${b.startsAt}/${b.endsAt}`);

  it('an all-day event read from radicale is busy for the whole Auckland day of a reviewer in Pacific/Auckland (server and calendar server elsewhere)', async () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).not.toBe('Pacific/Auckland');
    const cal = await radicale.makeCalendar('alice', 'work');
    await radicale.putEvent('alice', cal, 'off.ics', ics(['UID:day-off@test', ...ALL_DAY_10_MARCH]));
    // An all-day event without DTEND lasts one day (RFC 5545), also in the owner's zone.
    await radicale.putEvent('alice', cal, 'single.ics', ics(['UID:single@test', 'DTSTART;VALUE=DATE:20270315', 'SUMMARY:Moving house']));
    const e = await t.login([Role.Engineer]);
    await setReviewerProfile(t, e, ['python'], 'Pacific/Auckland');
    const connected = await t.http
      .put(`/api/v1/users/${e.id}/calendar`)
      .set(auth(e.token))
      .send({ kind: 'caldav', url: `${radicale.base}/alice/`, username: 'alice', password: radicale.users.alice });
    expect(connected.status).toBe(200);
    expect(connected.body.status).toBe('ok');
    expect(spans((await calendarBusy(e.id)).filter((b) => b.source === 'calendar'))).toEqual([
      AUCKLAND_10_MARCH,
      '2027-03-14T11:00:00.000Z/2027-03-15T11:00:00.000Z',
    ]);

    // The reviewer moves to Berlin: the background read picks the new zone up (no wait for the freshness bound).
    await setReviewerProfile(t, e, ['python'], 'Europe/Berlin');
    clock.set(new Date('2027-03-01T08:02:00Z'));
    expect((await t.app.get(SweepRegistry).runAll(clock.now())).calendars).toMatchObject({ synced: 1 });
    expect(spans((await calendarBusy(e.id)).filter((b) => b.source === 'calendar'))).toEqual([
      '2027-03-09T23:00:00.000Z/2027-03-10T23:00:00.000Z',
      '2027-03-14T23:00:00.000Z/2027-03-15T23:00:00.000Z',
    ]);
    // Read once for the change, not again at every sweep.
    clock.set(new Date('2027-03-01T08:04:00Z'));
    expect((await t.app.get(SweepRegistry).runAll(clock.now())).calendars).toMatchObject({ synced: 0 });
  });

  it('an ICS feed of someone without a reviewer profile is read in their own zone; an accepted invitation (the platform’s UID) in the feed shows once, as platform time', async () => {
    const e = await t.login([Role.Engineer]);
    await t.http.patch(`/api/v1/users/${e.id}`).set(auth(w.admin.token)).send({ timezone: 'Pacific/Auckland' }).expect(200);
    feedBody = ics(['UID:feed-day-off@test', ...ALL_DAY_10_MARCH]);
    const connected = await t.http.put(`/api/v1/users/${e.id}/calendar`).set(auth(e.token)).send({ kind: 'ics', url: feedUrl });
    expect(connected.status).toBe(200);
    expect(spans((await calendarBusy(e.id)).filter((b) => b.source === 'calendar'))).toEqual([AUCKLAND_10_MARCH]);

    // An interview with them; their calendar (Google, Outlook) accepted the e-mailed invitation, so the
    // feed now holds the platform's event under the platform's UID.
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Iris Example', timezone: 'Pacific/Auckland' });
    const app = await makeApplication(t, w, opening.id, c.id);
    const booked = await t.http
      .post(`/api/v1/applications/${app.id}/interviews`)
      .set(auth(w.recruiter.token))
      .send({ sessions: [{ kind: 'pairing', interviewerIds: [e.id], startsAt: '2027-03-03T20:00:00Z', endsAt: '2027-03-03T21:00:00Z' }] });
    expect([booked.status, booked.body.message]).toEqual([201, undefined]);
    const uid: string = booked.body.sessions[0].icsUid;
    expect(uid).toMatch(/^interview-[0-9a-f-]{36}@hiring\.test$/);
    feedBody = ics(
      ['UID:feed-day-off@test', ...ALL_DAY_10_MARCH],
      [`UID:${uid}`, 'SEQUENCE:0', 'DTSTART:20270303T200000Z', 'DTEND:20270303T210000Z', 'SUMMARY:Pairing interview: Iris Example'],
      // Someone else's event at another time stays calendar time.
      ['UID:lunch@test', 'DTSTART:20270304T000000Z', 'DTEND:20270304T010000Z', 'SUMMARY:Lunch'],
    );
    await t.http.post(`/api/v1/users/${e.id}/calendar/sync`).set(auth(e.token)).expect(200);
    const day = await calendarBusy(e.id, '2027-03-03T00:00:00Z', '2027-03-05T00:00:00Z');
    expect(day.map((b) => [b.source, `${b.startsAt}/${b.endsAt}`])).toEqual([
      ['platform', '2027-03-03T20:00:00.000Z/2027-03-03T21:00:00.000Z'],
      ['calendar', '2027-03-04T00:00:00.000Z/2027-03-04T01:00:00.000Z'],
    ]);
    // A look-alike UID of another site is not the platform's: it counts.
    feedBody = ics([
      `UID:${uid.replace('@hiring.test', '@elsewhere.test')}`,
      'DTSTART:20270303T200000Z',
      'DTEND:20270303T210000Z',
      'SUMMARY:Other site',
    ]);
    await t.http.post(`/api/v1/users/${e.id}/calendar/sync`).set(auth(e.token)).expect(200);
    const twice = await calendarBusy(e.id, '2027-03-03T00:00:00Z', '2027-03-05T00:00:00Z');
    expect(twice.map((b) => `${b.source} ${b.startsAt}`).sort()).toEqual([
      'calendar 2027-03-03T20:00:00.000Z',
      'platform 2027-03-03T20:00:00.000Z',
    ]);
  });
});
