import { randomUUID } from 'node:crypto';
import { startMailSuite } from '../setup/test-app';
import { Dovecot } from '../support/dovecot';
import { auth } from '../support/factories';
import { eventually } from '../support/redis-server';

type Suite = Awaited<ReturnType<typeof startMailSuite>>;

const mail = (subject: string) =>
  [
    `Message-ID: <${randomUUID()}@mail.example.org>`,
    `Date: ${new Date().toUTCString()}`,
    'From: Someone New <someone.new@example.org>',
    'To: hiring@localhost',
    `Subject: ${subject}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello, is the role still open?',
    '',
  ].join('\r\n');

/**
 * The mailbox reader waits between rounds with IMAP IDLE, so a new mail is read when it arrives.
 * The poll here is an hour: within the test's minute only IDLE can bring a mail in.
 */
describe('the team mailbox is read as mail arrives (IMAP IDLE), not at the next poll', () => {
  const dovecot = new Dovecot();
  let s: Suite;

  const unmatched = async () =>
    (await s.t.http.get('/api/v1/inbox/unmatched').set(auth(s.w.recruiter.token)).expect(200)).body as Array<{ subject: string }>;

  beforeAll(async () => {
    await dovecot.start();
    s = await startMailSuite({ IMAP_URL: dovecot.url, IMAP_POLL_SECONDS: '3600' });
    // The first round (at start) has read the empty mailbox.
    const status = await eventually(
      async () => (await s.t.http.get('/api/v1/inbox/status').set(auth(s.w.admin.token)).expect(200)).body,
      (b) => !!b.okAt,
      60_000,
    );
    expect(status).toMatchObject({ state: 'up', error: null });
  }, 120_000);

  afterAll(async () => {
    await s?.close();
    await dovecot.destroy();
  });

  it('two mails delivered one after the other each reach the unmatched list with an hour-long poll', async () => {
    await dovecot.deliver(mail('First question'));
    const first = await eventually(unmatched, (l) => l.some((m) => m.subject === 'First question'), 60_000);
    expect(first.map((m) => m.subject)).toEqual(['First question']);
    await dovecot.deliver(mail('Second question'));
    const both = await eventually(unmatched, (l) => l.length === 2, 60_000);
    expect(both.map((m) => m.subject).sort()).toEqual(['First question', 'Second question']);
  }, 150_000);
});
