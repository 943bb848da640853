import http from 'node:http';
import { Clock } from '../../src/common/clock/clock';
import { Role } from '../../src/identity/user.entity';
import { TestApp, startMailSuite } from '../setup/test-app';
import { auth, World } from '../support/factories';
import { freePort, Radicale } from '../support/radicale';

const CALENDAR_PROPS = `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>HREF</d:href>
<d:propstat><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>work</d:displayname></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
</d:response></d:multistatus>`;
const EVENT = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//EN',
  'BEGIN:VEVENT',
  'UID:dentist',
  'DTSTAMP:20270101T000000Z',
  'DTSTART:20270302T130000Z',
  'DTEND:20270302T140000Z',
  'SUMMARY:Dentist',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
const FREEBUSY = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//EN',
  'BEGIN:VFREEBUSY',
  'DTSTAMP:20270301T000000Z',
  'FREEBUSY;FBTYPE=BUSY:20270303T090000Z/20270303T110000Z',
  'FREEBUSY;FBTYPE=FREE:20270304T090000Z/20270304T110000Z',
  'END:VFREEBUSY',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('CalDAV free-busy-query (RFC 4791 7.10) where the server answers it, calendar-query where it does not', () => {
  let t: TestApp;
  let w: World;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  const radicale = new Radicale();
  let server: http.Server;
  let url = '';
  const seen: string[] = [];

  beforeAll(async () => {
    await radicale.start();
    // A small CalDAV peer: /fb/ answers free-busy-query, /nofb/ refuses it (403) and answers calendar-query.
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const kind = /free-busy-query/.test(body) ? 'free-busy' : /calendar-query/.test(body) ? 'calendar-query' : req.method!;
        seen.push(`${req.url} ${kind}`);
        if (req.method === 'PROPFIND') {
          res.writeHead(207, { 'content-type': 'application/xml' });
          return res.end(CALENDAR_PROPS.replace('HREF', req.url!));
        }
        if (kind === 'free-busy' && req.url === '/fb/') {
          res.writeHead(200, { 'content-type': 'text/calendar' });
          return res.end(FREEBUSY);
        }
        if (kind === 'free-busy') {
          res.writeHead(403, { 'content-type': 'application/xml' });
          return res.end('<?xml version="1.0"?><d:error xmlns:d="DAV:"><d:supported-report/></d:error>');
        }
        if (kind === 'calendar-query') {
          res.writeHead(207, { 'content-type': 'application/xml' });
          return res.end(
            `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>${req.url}dentist.ics</d:href>` +
              `<d:propstat><d:prop><d:getetag>"1"</d:getetag><c:calendar-data>${EVENT}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`,
          );
        }
        res.writeHead(404);
        res.end();
      });
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${port}`;
    suite = await startMailSuite({ CALDAV_FREE_BUSY: 'on' });
    ({ t, w } = suite);
    t.app.get(Clock).set(new Date('2027-03-01T08:00:00Z'));
    await t.http.put('/api/v1/settings/outbound').set(auth(w.admin.token)).send({ allowPrivateTargets: true }).expect(200);
  });
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await suite?.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await radicale.stop();
  });

  const connect = async (body: Record<string, string>) => {
    const e = await t.login([Role.Engineer]);
    const res = await t.http.put(`/api/v1/users/${e.id}/calendar`).set(auth(e.token)).send(body);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    const busy = await t.http
      .get(`/api/v1/users/${e.id}/busy?from=2027-03-01T00:00:00Z&to=2027-03-08T00:00:00Z`)
      .set(auth(w.recruiter.token))
      .expect(200);
    return busy.body
      .filter((b: { source: string }) => b.source === 'calendar')
      .map((b: { startsAt: string; endsAt: string }) => [b.startsAt, b.endsAt]);
  };

  it('reads busy periods by free-busy-query from a server that answers it (no events fetched), FREE periods not busy', async () => {
    const busy = await connect({ kind: 'caldav', url: `${url}/fb/`, username: 'u', password: 'p' });
    expect(busy).toEqual([['2027-03-03T09:00:00.000Z', '2027-03-03T11:00:00.000Z']]);
    expect(seen).toContain('/fb/ free-busy');
    expect(seen).not.toContain('/fb/ calendar-query');
  });

  it('falls back to calendar-query when the server refuses the report, and against radicale', async () => {
    expect(await connect({ kind: 'caldav', url: `${url}/nofb/`, username: 'u', password: 'p' })).toEqual([
      ['2027-03-02T13:00:00.000Z', '2027-03-02T14:00:00.000Z'],
    ]);
    expect(seen).toEqual(expect.arrayContaining(['/nofb/ free-busy', '/nofb/ calendar-query']));
    // Debian's radicale (3.1.8) refuses free-busy-query (403 DAV:supported-report): read by calendar-query instead.
    const cal = await radicale.makeCalendar('alice', 'work');
    await radicale.putEvent('alice', cal, 'dentist.ics', EVENT);
    expect(await connect({ kind: 'caldav', url: `${radicale.base}/alice/`, username: 'alice', password: radicale.users.alice })).toEqual([
      ['2027-03-02T13:00:00.000Z', '2027-03-02T14:00:00.000Z'],
    ]);
  });
});
