import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MailService } from '../../src/communications/mail.service';
import { MailTransport } from '../../src/communications/mail-transport';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * The deliveries a worker runs together share one claim and one `sent` record (MailService's
 * batches). Each message is still sent once, recorded once, and a failed send is retried on its
 * own. Mail goes to .eml files here (no SMTP_URL).
 */
describe('mail deliveries that run together', () => {
  let t: TestApp;
  let w: World;
  let mailDir: string;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined });
    mailDir = path.resolve(process.env.DATA_DIR!, 'mail');
    t = await createTestApp();
    w = await makeWorld(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const emlOf = (messageId: string) => (existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith(`-${messageId}.eml`)) : []);
  /** n applications, each with its queued first-contact mail to the candidate. */
  const firstContacts = async (n: number) => {
    const opening = await makeOpening(t, w);
    const out: Array<{ appId: string; messageId: string }> = [];
    for (let i = 0; i < n; i++) {
      const c = await makeCandidate(t, w);
      const app = await makeApplication(t, w, opening.id, c.id);
      const [msg] = await t.db.query(`SELECT id FROM messages WHERE application_id = $1 AND template = 'first_contact'`, [app.id]);
      out.push({ appId: app.id, messageId: msg.id });
    }
    return out;
  };
  const sentEvents = async (appId: string) =>
    (
      (await t.http.get(`/api/v1/applications/${appId}/events`).set(auth(w.recruiter.token))).body as Array<{ type: string; data: any }>
    ).filter((e) => e.type === 'message.sent');
  /** Counts the transport's sends per message (the real transport still writes the .eml). */
  const countingSends = (fail: (id: string) => boolean = () => false) => {
    const transport = t.app.get(MailTransport);
    const realSend = transport.send.bind(transport);
    const sends = new Map<string, number>();
    transport.send = async (m) => {
      sends.set(m.id, (sends.get(m.id) ?? 0) + 1);
      if (fail(m.id)) throw new Error('421 try again later');
      return realSend(m);
    };
    return { sends, restore: () => (transport.send = realSend) };
  };

  it('sends and records each of four messages delivered together once: status, contact clock, one event each', async () => {
    const list = await firstContacts(4);
    const { sends, restore } = countingSends();
    try {
      const results = await Promise.all(list.map((x) => t.app.get(MailService).deliver(x.messageId, false)));
      expect(results).toEqual(['sent', 'sent', 'sent', 'sent']);
    } finally {
      restore();
    }
    const rows = await t.db.query(
      `SELECT m.id, m.status, m.attempts, m.sent_at, a.last_contact_at FROM messages m JOIN applications a ON a.id = m.application_id WHERE m.id = ANY($1::uuid[])`,
      [list.map((x) => x.messageId)],
    );
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'sent', attempts: 1 });
      expect(r.last_contact_at).toEqual(r.sent_at); // the contact clock restarted by the send
      expect(sends.get(r.id)).toBe(1);
      expect(emlOf(r.id)).toHaveLength(1);
    }
    for (const x of list) {
      const events = await sentEvents(x.appId);
      expect(events).toHaveLength(1);
      expect(events[0].data).toMatchObject({ messageId: x.messageId, template: 'first_contact' });
    }
  });

  it('sends a message asked for twice at once (two jobs for one message) only once', async () => {
    const [x] = await firstContacts(1);
    const { sends, restore } = countingSends();
    try {
      const mail = t.app.get(MailService);
      const results = await Promise.all([mail.deliver(x.messageId, false), mail.deliver(x.messageId, false)]);
      expect(results.sort()).toEqual(['sent', 'skipped']);
    } finally {
      restore();
    }
    expect(sends.get(x.messageId)).toBe(1);
    expect(await sentEvents(x.appId)).toHaveLength(1);
    const [row] = await t.db.query(`SELECT status, attempts FROM messages WHERE id = $1`, [x.messageId]);
    expect(row).toEqual({ status: 'sent', attempts: 1 });
  });

  it('retries a send that failed inside a batch on its own: the others are recorded, it is queued again, then sent', async () => {
    const list = await firstContacts(3);
    const failing = list[1].messageId;
    let refuse = true;
    const { sends, restore } = countingSends((id) => refuse && id === failing);
    const mail = t.app.get(MailService);
    try {
      const results = await Promise.allSettled(list.map((x) => mail.deliver(x.messageId, false)));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(((results[1] as PromiseRejectedResult).reason as Error).message).toContain('421');
      const statuses = async () =>
        (
          await t.db.query(`SELECT id, status, attempts, last_error FROM messages WHERE id = ANY($1::uuid[])`, [
            list.map((x) => x.messageId),
          ])
        ).reduce((o: Record<string, unknown>, r: { id: string }) => ({ ...o, [r.id]: r }), {});
      const after1 = await statuses();
      expect(after1[list[0].messageId]).toMatchObject({ status: 'sent' });
      expect(after1[list[2].messageId]).toMatchObject({ status: 'sent' });
      expect(after1[failing]).toMatchObject({ status: 'queued', attempts: 1, last_error: '421 try again later' });
      expect(emlOf(failing)).toEqual([]);
      expect(await sentEvents(list[1].appId)).toHaveLength(0);

      // The queue's retry (the job threw): the message goes out and is recorded once.
      refuse = false;
      expect(await mail.deliver(failing, false)).toBe('sent');
      const after2 = await statuses();
      expect(after2[failing]).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
      expect(sends.get(failing)).toBe(2);
      expect(emlOf(failing)).toHaveLength(1);
      expect(await sentEvents(list[1].appId)).toHaveLength(1);
      // Delivered again (a job left behind by mail-requeue): nothing is sent a second time.
      expect(await mail.deliver(failing, false)).toBe('skipped');
      expect(sends.get(failing)).toBe(2);
    } finally {
      restore();
    }
  });

  it('on the final attempt, a failed send inside a batch is recorded as failed, with its event; the others are sent', async () => {
    const list = await firstContacts(2);
    const failing = list[0].messageId;
    const { restore } = countingSends((id) => id === failing);
    try {
      const results = await Promise.allSettled(list.map((x) => t.app.get(MailService).deliver(x.messageId, true)));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    } finally {
      restore();
    }
    const [failed] = await t.db.query(`SELECT status FROM messages WHERE id = $1`, [failing]);
    expect(failed.status).toBe('failed');
    const events = (await t.http.get(`/api/v1/applications/${list[0].appId}/events`).set(auth(w.recruiter.token))).body as Array<{
      type: string;
    }>;
    expect(events.filter((e) => e.type === 'message.failed')).toHaveLength(1);
    expect(await sentEvents(list[1].appId)).toHaveLength(1);
  });
});
