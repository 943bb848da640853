import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { ChatService } from '../../src/inbox/chat.service';
import { InboundMailService } from '../../src/inbox/inbound-mail.service';
import { startMailSuite } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening } from '../support/factories';
import { eventually } from '../support/redis-server';
import { ChatReceiver } from '../support/chat-receiver';

describe('chat notifications: alerts to Slack / Teams / Mattermost incoming webhooks', () => {
  const receiver = new ChatReceiver();
  let s: Awaited<ReturnType<typeof startMailSuite>>;
  const slackSecret = '/services/T000/B000/sl4ck-s3cr3t-token';
  const teamsSecret = '/workflows/abc/triggers/manual/paths/invoke?sig=t3ams-s1gnature';

  beforeAll(async () => {
    await receiver.start();
    s = await startMailSuite();
  });
  afterAll(async () => {
    await s?.close();
    await receiver.stop();
  });

  it('admins add webhooks (the URL never echoed, stored sealed); stale and unanswered-reply alerts arrive in each format, retried after a failure', async () => {
    const admin = auth(s.w.admin.token);
    // Refused until private targets are allowed (the receiver is on loopback).
    const refused = await s.t.http
      .post('/api/v1/chat-webhooks')
      .set(admin)
      .send({ name: 'Slack #hiring', flavor: 'slack', url: receiver.base + slackSecret, kinds: ['stale'] });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/url/);
    await s.t.http.put('/api/v1/settings/webhooks').set(admin).send({ allowPrivateTargets: true }).expect(200);
    const bad = await s.t.http
      .post('/api/v1/chat-webhooks')
      .set(admin)
      .send({ name: 'x', flavor: 'irc', url: receiver.base, kinds: ['stale'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/flavor/);
    await s.t.http.post('/api/v1/chat-webhooks').set(auth(s.w.recruiter.token)).send({}).expect(403);

    const slack = await s.t.http
      .post('/api/v1/chat-webhooks')
      .set(admin)
      .send({ name: 'Slack #hiring', flavor: 'slack', url: receiver.base + slackSecret, kinds: ['stale'] })
      .expect(201);
    const teams = await s.t.http
      .post('/api/v1/chat-webhooks')
      .set(admin)
      .send({ name: 'Teams Hiring', flavor: 'teams', url: receiver.base + teamsSecret, kinds: ['reply_overdue'] })
      .expect(201);
    const listed = JSON.stringify((await s.t.http.get('/api/v1/chat-webhooks').set(admin).expect(200)).body);
    expect(listed).not.toContain('sl4ck-s3cr3t');
    expect(listed).not.toContain('t3ams-s1gnature');
    expect(JSON.stringify(slack.body)).not.toContain('sl4ck-s3cr3t');
    const stored = JSON.stringify(await s.t.db.query(`SELECT * FROM chat_webhooks`));
    expect(stored).not.toContain('sl4ck-s3cr3t');
    expect(teams.body.urlHint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…/);

    // A stale candidate: the hiring manager's alert goes to Slack; the first attempt is refused.
    receiver.answers = [503];
    const opening = await makeOpening(s.t, s.w);
    const ada = await makeCandidate(s.t, s.w, { name: 'Ada Lovelace' });
    const app = await makeApplication(s.t, s.w, opening.id, ada.id);
    await s.t.app.get(SweepRegistry).runAll(new Date(Date.now() + 40 * 86_400_000));
    await eventually(
      async () => receiver.posts.filter((p) => p.path === slackSecret).length,
      (n) => n >= 1,
      30_000,
    );
    const log = async () =>
      (await s.t.http.get('/api/v1/chat-webhooks/deliveries').set(admin).expect(200)).body as Array<{
        webhook: string;
        status: string;
        attempts: number;
        lastError: string | null;
      }>;
    const first = await eventually(log, (l) => l.some((d) => d.webhook === 'Slack #hiring' && d.lastError !== null), 30_000);
    expect(first.find((d) => d.webhook === 'Slack #hiring')).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: expect.stringMatching(/503/),
    });
    // The retry (its backoff elapsed): delivered.
    await s.t.app.get(ChatService).deliverDue(new Date(Date.now() + 10 * 60_000));
    expect((await log()).find((d) => d.webhook === 'Slack #hiring')).toMatchObject({ status: 'succeeded', attempts: 2 });
    const slackPost = receiver.posts.filter((p) => p.path === slackSecret).pop()!.body;
    expect(slackPost.text).toContain('Ada Lovelace');
    expect(slackPost.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(slackPost.blocks[0].text.text).toContain(`/dashboard/applications/${app.id}|Open the application>`);
    // Nothing reaches the Teams webhook: it carries unanswered replies only.
    expect(receiver.posts.filter((p) => p.path !== slackSecret)).toHaveLength(0);

    // An unanswered reply (matched by sender) goes to Teams as an Adaptive Card.
    const kit = await makeCandidate(s.t, s.w, { name: 'Katherine Johnson' });
    await makeApplication(s.t, s.w, opening.id, kit.id);
    const r = await s.t.app
      .get(InboundMailService)
      .ingest(
        Buffer.from(`From: ${kit.email}\r\nTo: hiring@localhost\r\nSubject: Any news?\r\nMessage-ID: <q1@mail.example>\r\n\r\nHello?\r\n`),
      );
    expect(r.matchedBy).toBe('sender');
    await s.t.app.get(SweepRegistry).runAll(new Date(Date.now() + 5 * 86_400_000));
    const card = await eventually(
      async () => receiver.posts.find((p) => p.path === teamsSecret),
      (p) => !!p,
      30_000,
    );
    expect(card!.body.type).toBe('message');
    expect(card!.body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card!.body.attachments[0].content.body[0].text).toMatch(/Katherine Johnson wrote "Any news\?"/);

    // Removing a webhook stops its deliveries.
    await s.t.http.delete(`/api/v1/chat-webhooks/${slack.body.id}`).set(admin).expect(204);
    await s.t.http.delete(`/api/v1/chat-webhooks/${slack.body.id}`).set(admin).expect(404);
  });
});
