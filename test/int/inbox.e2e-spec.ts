import { randomBytes, randomUUID } from 'node:crypto';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { addBusinessDays } from '../../src/common/domain/business-days';
import { InboundMailService } from '../../src/inbox/inbound-mail.service';
import { startMailSuite } from '../setup/test-app';
import { Dovecot } from '../support/dovecot';
import { auth, makeApplication, makeCandidate, makeOpening } from '../support/factories';
import { eventually } from '../support/redis-server';

type Suite = Awaited<ReturnType<typeof startMailSuite>>;
interface ThreadItem {
  id: string;
  direction: 'inbound' | 'outbound';
  subject: string;
  text: string;
  from?: string;
  notes?: string[];
  attachments?: Array<{ id: string; filename: string; size: number }>;
  answeredAt?: string | null;
}

/** A mail as a candidate's client would write it (CRLF line ends). */
function mail(h: Record<string, string>, body: string): string {
  const headers = {
    'Message-ID': `<${randomUUID()}@mail.example.org>`,
    Date: new Date().toUTCString(),
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...h,
  };
  return `${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
}

describe('two-way conversations: replies read from a real IMAP mailbox (dovecot)', () => {
  const dovecot = new Dovecot();
  let s: Suite;
  let opening: { id: string; title: string };
  let grace: { id: string; email: string; name: string };
  let graceApp: { id: string };
  let firstContact: { messageId: string; replyTo: string; subject: string };

  const thread = async (appId: string) =>
    (await s.t.http.get(`/api/v1/applications/${appId}/messages`).set(auth(s.w.recruiter.token)).expect(200)).body as ThreadItem[];
  const inbound = async (appId: string) => (await thread(appId)).filter((m) => m.direction === 'inbound');
  const events = async (appId: string) =>
    (await s.t.http.get(`/api/v1/applications/${appId}/events`).set(auth(s.w.recruiter.token)).expect(200)).body as Array<{
      type: string;
      data: Record<string, unknown>;
    }>;

  beforeAll(async () => {
    await dovecot.start();
    s = await startMailSuite({
      IMAP_URL: dovecot.url,
      IMAP_POLL_SECONDS: '5',
      INBOUND_MAX_MESSAGE_BYTES: '300000',
      INBOUND_MAX_ATTACHMENT_BYTES: '50000',
    });
    opening = await makeOpening(s.t, s.w);
    grace = await makeCandidate(s.t, s.w, { name: 'Grace Hopper' });
    graceApp = await makeApplication(s.t, s.w, opening.id, grace.id);
    const sent = await eventually(
      async () => s.smtp.mails.find((m) => m.to.includes(grace.email)),
      (m) => !!m,
      30_000,
    );
    firstContact = {
      messageId: sent!.messageId,
      replyTo: String((sent!.parsed.replyTo as { value: Array<{ address: string }> } | undefined)?.value[0]?.address ?? ''),
      subject: sent!.subject,
    };
  }, 120_000);

  afterAll(async () => {
    await s?.close();
    await dovecot.destroy();
  });

  it('every message about an application carries its own reply address (plus-addressing on MAIL_FROM)', () => {
    expect(firstContact.messageId).toMatch(/^<[0-9a-f-]{36}@hiring\.test>$/);
    expect(firstContact.replyTo).toMatch(new RegExp(`^hiring\\+a${graceApp.id.replace(/-/g, '')}\\.[0-9a-f]{10}@localhost$`));
  });

  it('a reply to our mail (In-Reply-To) appears on its application within seconds, quoted history trimmed, and is flagged in the mailbox', async () => {
    const raw = mail(
      {
        From: `Grace Hopper <${grace.email}>`,
        To: firstContact.replyTo,
        Subject: `Re: ${firstContact.subject}`,
        'In-Reply-To': firstContact.messageId,
        References: firstContact.messageId,
      },
      `When does the take-home start?\n\nThanks,\nGrace\n\n-- \nGrace Hopper | Navy\n\nOn Mon, 4 Jan 2027 at 10:00, Hiring Team <hiring@localhost> wrote:\n> Thanks for applying\n> to the role`,
    );
    await dovecot.deliver(raw);
    const [reply] = await eventually(
      () => inbound(graceApp.id),
      (l) => l.length === 1,
      60_000,
    );
    expect(reply.text).toBe('When does the take-home start?\n\nThanks,\nGrace');
    expect(reply.from).toBe(grace.email);
    const received = (await events(graceApp.id)).filter((e) => e.type === 'message.received');
    expect(received).toHaveLength(1);
    expect(received[0].data).toMatchObject({ matchedBy: 'thread', inboundId: reply.id });
    // Flagged only once stored: the next round does not read it again.
    const flags = await eventually(
      () => dovecot.flags(),
      (f) => [...f.values()].some((x) => x.includes('$HiringImported')),
    );
    expect([...flags.values()].every((x) => x.includes('$HiringImported') && x.includes('\\Seen'))).toBe(true);
  });

  it('a mail to the reply address from another address of theirs is matched by that address', async () => {
    await dovecot.deliver(
      mail({ From: 'grace@work.example', To: firstContact.replyTo, Subject: 'From my work address' }, 'Here is my portfolio.'),
    );
    const replies = await eventually(
      () => inbound(graceApp.id),
      (l) => l.length === 2,
      60_000,
    );
    // The thread is in arrival order, also for two mails within one second (IMAP dates have whole seconds).
    expect(replies.map((r) => r.from)).toEqual([grace.email, 'grace@work.example']);
    expect(replies[1]).toMatchObject({ from: 'grace@work.example', text: 'Here is my portfolio.' });
    const received = (await events(graceApp.id)).filter((e) => e.type === 'message.received');
    expect(received.find((e) => e.data.inboundId === replies[1].id)?.data.matchedBy).toBe('reply_address');
  });

  it('a fresh mail from a candidate with one active application is matched by sender; with two it waits as unmatched', async () => {
    const ada = await makeCandidate(s.t, s.w, { name: 'Ada Lovelace' });
    const adaApp = await makeApplication(s.t, s.w, opening.id, ada.id);
    const linus = await makeCandidate(s.t, s.w, { name: 'Linus Two-Jobs' });
    const second = await makeOpening(s.t, s.w);
    await makeApplication(s.t, s.w, opening.id, linus.id);
    await makeApplication(s.t, s.w, second.id, linus.id);
    await dovecot.deliver(
      mail({ From: `Ada <${ada.email.toUpperCase()}>`, To: 'hiring@localhost', Subject: 'A question' }, 'Is the role remote?'),
    );
    await dovecot.deliver(mail({ From: linus.email, To: 'hiring@localhost', Subject: 'Which one?' }, 'About my application'));
    const replies = await eventually(
      () => inbound(adaApp.id),
      (l) => l.length === 1,
      60_000,
    );
    expect(replies[0].text).toBe('Is the role remote?');
    const unmatched = await eventually(
      async () =>
        (await s.t.http.get('/api/v1/inbox/unmatched').set(auth(s.w.recruiter.token)).expect(200)).body as Array<{
          from: string;
          subject: string;
        }>,
      (l) => l.some((m) => m.subject === 'Which one?'),
      60_000,
    );
    expect(unmatched.find((m) => m.subject === 'Which one?')!.from).toBe(linus.email);
  });

  it('the same mail seen twice (redelivered, or read again after a crash) is one message and one event', async () => {
    const raw = mail({ From: grace.email, To: 'hiring@localhost', Subject: 'Twice', 'In-Reply-To': firstContact.messageId }, 'Sent twice');
    await dovecot.deliver(raw);
    await dovecot.deliver(raw);
    await eventually(
      async () => [...(await dovecot.flags()).values()].filter((f) => !f.includes('$HiringImported')).length,
      (n) => n === 0,
      60_000,
    );
    // Read again (as after a crash between storing and flagging): nothing new.
    const service = s.t.app.get(InboundMailService);
    const again = await service.ingest(Buffer.from(raw));
    expect(again.status).toBe('duplicate');
    expect((await inbound(graceApp.id)).filter((m) => m.subject === 'Twice')).toHaveLength(1);
    expect((await events(graceApp.id)).filter((e) => e.type === 'message.received' && e.data.subject === 'Twice')).toHaveLength(1);
    // Without a Message-ID the bytes identify it.
    const bare = `From: ${grace.email}\r\nSubject: no id\r\n\r\nbody\r\n`;
    const first = await service.ingest(Buffer.from(bare));
    expect((await service.ingest(Buffer.from(bare))).id).toBe(first.id);
  });

  it('unmatched mail is listed for recruiters only; assigning it files it on the application', async () => {
    await dovecot.deliver(
      mail({ From: 'stranger@elsewhere.example', To: 'hiring@localhost', Subject: 'Hello from a stranger' }, 'I applied by post.'),
    );
    const list = await eventually(
      async () =>
        (await s.t.http.get('/api/v1/inbox/unmatched').set(auth(s.w.recruiter.token)).expect(200)).body as Array<{
          id: string;
          subject: string;
        }>,
      (l) => l.some((m) => m.subject === 'Hello from a stranger'),
      60_000,
    );
    const item = list.find((m) => m.subject === 'Hello from a stranger')!;
    await s.t.http.get('/api/v1/inbox/unmatched').set(auth(s.w.manager.token)).expect(403);
    const bad = await s.t.http.post(`/api/v1/inbox/${item.id}/assign`).set(auth(s.w.recruiter.token)).send({ applicationId: 'nope' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/applicationId/);
    await s.t.http.post(`/api/v1/inbox/${item.id}/assign`).set(auth(s.w.recruiter.token)).send({ applicationId: graceApp.id }).expect(200);
    expect((await inbound(graceApp.id)).some((m) => m.subject === 'Hello from a stranger')).toBe(true);
    const after = (await s.t.http.get('/api/v1/inbox/unmatched').set(auth(s.w.recruiter.token))).body as Array<{ id: string }>;
    expect(after.some((m) => m.id === item.id)).toBe(false);
    await s.t.http.post(`/api/v1/inbox/${item.id}/assign`).set(auth(s.w.recruiter.token)).send({ applicationId: graceApp.id }).expect(409);
  });

  it('a mailbox that cannot be read makes /health degraded (still 200) and recovers when it is back; mail sent meanwhile arrives', async () => {
    await eventually(
      async () => (await s.t.http.get('/health')).body,
      (b) => b.mailbox === 'up',
      30_000,
    );
    await dovecot.stop();
    // Only the mailbox degraded: the other parts up (each has 1.5 s to answer, which a loaded
    // machine can miss for a moment, and that alone is a 503).
    const down = await eventually(
      async () => s.t.http.get('/health'),
      (r) => r.body.mailbox === 'degraded' && r.body.database === 'up' && r.body.redis === 'up' && r.body.docker === 'up',
      60_000,
    );
    expect(down.status).toBe(200);
    expect(down.body.status).toBe('degraded');
    expect(down.body.details.mailbox).toBeTruthy();
    const status = await s.t.http.get('/api/v1/inbox/status').set(auth(s.w.admin.token)).expect(200);
    expect(status.body.state).toBe('degraded');
    await dovecot.start();
    await dovecot.deliver(mail({ From: grace.email, To: firstContact.replyTo, Subject: 'After the outage' }, 'Still there?'));
    await eventually(
      async () => (await s.t.http.get('/health')).body,
      (b) => b.mailbox === 'up',
      60_000,
    );
    await eventually(
      () => inbound(graceApp.id),
      (l) => l.some((m) => m.subject === 'After the outage'),
      60_000,
    );
    // About 35 s on a quiet machine (an outage seen, then the reader reconnects); its own waits add up
    // to 3 min 40 s, so Jest's default 2 minutes must not be what ends it on a loaded machine.
  }, 240_000);

  it('an unanswered reply alerts the recruiter after the opening’s reply SLA (business days), then the hiring manager; answering from the page threads it and closes both', async () => {
    const sweeps = s.t.app.get(SweepRegistry);
    const slow = await makeOpening(s.t, s.w);
    const patched = await s.t.http.patch(`/api/v1/openings/${slow.id}`).set(auth(s.w.manager.token)).send({ replySlaBusinessDays: 2 });
    expect(patched.status).toBe(200);
    expect(patched.body.replySlaBusinessDays).toBe(2);
    const refused = await s.t.http.patch(`/api/v1/openings/${slow.id}`).set(auth(s.w.manager.token)).send({ replySlaBusinessDays: 0 });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/replySlaBusinessDays/);
    const kit = await makeCandidate(s.t, s.w, { name: 'Katherine Johnson' });
    const app = await makeApplication(s.t, s.w, slow.id, kit.id);
    const ours = await eventually(
      async () => s.smtp.mails.find((m) => m.to.includes(kit.email)),
      (m) => !!m,
      30_000,
    );
    const theirId = `<${randomBytes(6).toString('hex')}@mail.example.org>`;
    await dovecot.deliver(
      mail(
        { From: kit.email, To: 'hiring@localhost', Subject: `Re: ${ours!.subject}`, 'Message-ID': theirId, 'In-Reply-To': ours!.messageId },
        'Can I move the interview?',
      ),
    );
    const [reply] = await eventually(
      () => inbound(app.id),
      (l) => l.length === 1,
      60_000,
    );
    const [row] = await s.t.db.query(`SELECT received_at FROM inbound_messages WHERE id = $1`, [reply.id]);
    const due = addBusinessDays(row.received_at, 2, 'UTC');
    const escalate = addBusinessDays(row.received_at, 4, 'UTC');
    const replyAlerts = async (token: string) =>
      (
        (await s.t.http.get('/api/v1/alerts').set(auth(token)).expect(200)).body as Array<{
          kind: string;
          applicationId: string;
          level: string;
          message: string;
        }>
      ).filter((a) => a.kind === 'reply_overdue' && a.applicationId === app.id);
    await sweeps.runAll(new Date(due.getTime() - 60_000));
    expect(await replyAlerts(s.w.recruiter.token)).toHaveLength(0);
    await sweeps.runAll(due);
    const [alert] = await replyAlerts(s.w.recruiter.token);
    expect(alert.message).toMatch(/Katherine Johnson wrote .*no answer for 2 business days/);
    expect(await replyAlerts(s.w.manager.token)).toHaveLength(0);
    await sweeps.runAll(escalate);
    await sweeps.runAll(escalate); // the same instant again: nothing new
    const hm = await replyAlerts(s.w.manager.token);
    expect(hm).toHaveLength(1);
    expect(hm[0].level).toBe('escalated');
    expect(await replyAlerts(s.w.recruiter.token)).toHaveLength(1);

    const before = s.smtp.mails.length;
    await s.t.http
      .post(`/api/v1/applications/${app.id}/messages`)
      .set(auth(s.w.recruiter.token))
      .send({ text: 'Of course: pick any slot.' })
      .expect(201);
    const answer = await eventually(
      async () => s.smtp.mails.slice(before).find((m) => m.to.includes(kit.email) && m.text.includes('Of course: pick any slot.')),
      (m) => !!m,
      30_000,
    );
    expect(answer!.parsed.inReplyTo).toBe(theirId);
    expect(String(answer!.parsed.references)).toContain(theirId);
    expect(answer!.subject).toBe(`Re: ${ours!.subject}`);
    expect(await replyAlerts(s.w.recruiter.token)).toHaveLength(0);
    expect(await replyAlerts(s.w.manager.token)).toHaveLength(0);
    expect((await inbound(app.id))[0].answeredAt).toBeTruthy();
    await sweeps.runAll(new Date(escalate.getTime() + 7 * 86_400_000));
    expect(await replyAlerts(s.w.recruiter.token)).toHaveLength(0);
  });

  describe('hostile mail is bounded and sanitized', () => {
    let service: InboundMailService;
    beforeAll(() => {
      service = s.t.app.get(InboundMailService);
    });

    it('HTML with scripts is stored as text only; control characters and bidi overrides are removed', async () => {
      const raw = mail(
        { From: grace.email, To: firstContact.replyTo, Subject: 'Evil\u202e subject', 'Content-Type': 'text/html; charset=utf-8' },
        '<html><body><script>alert(1)</script><p onclick="x()">Hello <b>there</b></p><img src="http://tracker.example/p.gif"></body></html>',
      );
      const r = await service.ingest(Buffer.from(raw));
      const item = (await inbound(graceApp.id)).find((m) => m.id === r.id)!;
      expect(item.text).toContain('Hello');
      // Text only: no markup survives (an image's address may remain as words; nothing loads it).
      expect(item.text).not.toMatch(/<script|alert\(1\)|onclick|<img|<p/);
      expect(item.subject).toBe('Evil subject');
    });

    it('a mail over the size limit keeps its headers and a note, not its body; the reader does not choke on it', async () => {
      const big = mail({ From: grace.email, To: firstContact.replyTo, Subject: 'Huge' }, 'x'.repeat(400_000));
      await dovecot.deliver(big);
      const item = await eventually(
        async () => (await inbound(graceApp.id)).find((m) => m.subject === 'Huge'),
        (m) => !!m,
        60_000,
      );
      expect(item!.notes!.join(' ')).toMatch(/over the 0.30 MB limit: only its headers were read/);
      expect(item!.text.length).toBeLessThan(1000);
    });

    it('an attachment bomb keeps at most 10 attachments within the size limits and says what was dropped', async () => {
      const boundary = 'b0undary';
      const parts = Array.from({ length: 14 }, (_, i) =>
        [
          `--${boundary}`,
          `Content-Type: application/octet-stream; name="file${i}.bin"`,
          'Content-Transfer-Encoding: base64',
          `Content-Disposition: attachment; filename="../../etc/file${i}.bin"`,
          '',
          Buffer.alloc(i === 0 ? 60_000 : 1000, i).toString('base64'),
        ].join('\r\n'),
      );
      const raw = mail(
        { From: grace.email, To: firstContact.replyTo, Subject: 'Bomb', 'Content-Type': `multipart/mixed; boundary="${boundary}"` },
        [`--${boundary}`, 'Content-Type: text/plain', '', 'See attached', ...parts, `--${boundary}--`].join('\r\n'),
      );
      const r = await service.ingest(Buffer.from(raw));
      const item = (await inbound(graceApp.id)).find((m) => m.id === r.id)!;
      expect(item.attachments).toHaveLength(10);
      expect(item.attachments!.every((a) => !a.filename.includes('/'))).toBe(true);
      expect(item.notes!.join(' ')).toMatch(/4 attachments not kept/);
      const file = item.attachments![0];
      const dl = await s.t.http.get(`/api/v1/inbox/${item.id}/attachments/${file.id}`).set(auth(s.w.recruiter.token)).expect(200);
      expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    });

    it('malformed MIME is stored (unmatched when nothing names an application) without breaking the reader', async () => {
      const raw = `From: <<<@@@>>>\r\nContent-Type: multipart/mixed; boundary=\r\nMessage-ID: <${randomUUID()}@x>\r\n\r\n--\r\n--\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\n\u0000\u0001garbage\r\n`;
      await dovecot.deliver(raw);
      await dovecot.deliver(mail({ From: grace.email, To: firstContact.replyTo, Subject: 'After garbage' }, 'Fine'));
      await eventually(
        () => inbound(graceApp.id),
        (l) => l.some((m) => m.subject === 'After garbage'),
        60_000,
      );
    });

    it('forged threading headers and a forged reply address match nothing', async () => {
      const stranger = 'forger@evil.example';
      const forgedThread = await service.ingest(
        Buffer.from(
          mail({ From: stranger, To: 'hiring@localhost', Subject: 'Forged thread', 'In-Reply-To': `<${randomUUID()}@hiring.test>` }, 'x'),
        ),
      );
      expect(forgedThread.applicationId).toBeNull();
      const forgedAddress = await service.ingest(
        Buffer.from(
          mail({ From: stranger, To: `hiring+a${graceApp.id.replace(/-/g, '')}.0000000000@localhost`, Subject: 'Forged address' }, 'x'),
        ),
      );
      expect(forgedAddress.applicationId).toBeNull();
    });
  });

  it('erasing a candidate removes their mail and its attachments', async () => {
    expect((await inbound(graceApp.id)).length).toBeGreaterThan(0);
    await s.t.http.post(`/api/v1/candidates/${grace.id}/erasure`).set(auth(s.w.recruiter.token)).expect(200);
    const [{ n }] = await s.t.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE application_id = $1 OR candidate_id = $2`, [
      graceApp.id,
      grace.id,
    ]);
    expect(n).toBe(0);
    const [{ a }] = await s.t.db.query(
      `SELECT count(*)::int AS a FROM inbound_attachments x LEFT JOIN inbound_messages i ON i.id = x.inbound_id WHERE i.id IS NULL`,
    );
    expect(a).toBe(0);
  });
});
