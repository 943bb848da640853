import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { Role } from '../../src/identity/user.entity';
import { ChatService } from '../../src/inbox/chat.service';
import { startMailSuite } from '../setup/test-app';
import { ChatReceiver } from '../support/chat-receiver';
import { auth, makeApplication, makeCandidate, makeOpening } from '../support/factories';
import { eventually } from '../support/redis-server';

jest.setTimeout(180_000);

/**
 * Per-user notification routes (docs/notification-routes.md) against a local chat receiver and a
 * real SMTP server: one hiring manager routes stale alerts and the digest to their own Slack,
 * another keeps e-mail; a refused post is retried; the webhook URLs are never echoed.
 */
describe('notification routes: each user chooses e-mail, their Slack or their Teams per kind of alert', () => {
  const receiver = new ChatReceiver();
  let s: Awaited<ReturnType<typeof startMailSuite>>;
  const slackSecret = '/services/T1/B1/my-sl4ck-s3cret';
  const teamsSecret = '/workflows/x/triggers/manual/paths/invoke?sig=my-t3ams-s1g';

  beforeAll(async () => {
    await receiver.start();
    s = await startMailSuite();
  });
  afterAll(async () => {
    await s?.close();
    await receiver.stop();
  });

  it('routes stale alerts and the digest to Slack (no digest e-mail), keeps e-mail for the other manager, retries a 503', async () => {
    const admin = auth(s.w.admin.token);
    const slackMgr = await s.t.login([Role.HiringManager]);
    const mailMgr = await s.t.login([Role.HiringManager]);
    const routesOf = (id: string) => `/api/v1/users/${id}/notification-routes`;

    // Defaults: everything by e-mail, no webhooks.
    const initial = await s.t.http.get(routesOf(slackMgr.id)).set(auth(slackMgr.token)).expect(200);
    expect(initial.body).toMatchObject({
      slack: null,
      teams: null,
      routes: { stale: ['email'], digest: ['email'], reply_overdue: ['email'] },
    });

    // Bad input: 400 naming the field. The receiver is on loopback: refused until private targets are allowed.
    const loopback = await s.t.http
      .put(routesOf(slackMgr.id))
      .set(auth(slackMgr.token))
      .send({ slackUrl: receiver.base + slackSecret });
    expect(loopback.status).toBe(400);
    expect(loopback.body.message).toMatch(/^slackUrl /);
    const notUrl = await s.t.http.put(routesOf(slackMgr.id)).set(auth(slackMgr.token)).send({ teamsUrl: 'not a url' });
    expect(notUrl.status).toBe(400);
    expect(notUrl.body.message).toMatch(/^teamsUrl /);
    const noHook = await s.t.http
      .put(routesOf(slackMgr.id))
      .set(auth(slackMgr.token))
      .send({ routes: { stale: ['slack'] } });
    expect(noHook.status).toBe(400);
    expect(noHook.body.message).toMatch(/routes\.stale .*slackUrl/);
    const badTarget = await s.t.http
      .put(routesOf(slackMgr.id))
      .set(auth(slackMgr.token))
      .send({ routes: { stale: ['pager'] } });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.message).toMatch(/routes\.stale/);
    // Only yourself, or an admin.
    await s.t.http.get(routesOf(slackMgr.id)).set(auth(mailMgr.token)).expect(403);
    await s.t.http.put(routesOf(slackMgr.id)).set(auth(s.w.recruiter.token)).send({}).expect(403);

    await s.t.http.put('/api/v1/settings/webhooks').set(admin).send({ allowPrivateTargets: true }).expect(200);
    const saved = await s.t.http
      .put(routesOf(slackMgr.id))
      .set(auth(slackMgr.token))
      .send({ slackUrl: receiver.base + slackSecret, routes: { stale: ['slack'], digest: ['slack'] } })
      .expect(200);
    expect(saved.body.slack.urlHint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…/);
    expect(saved.body.routes).toMatchObject({ stale: ['slack'], digest: ['slack'], reply_overdue: ['email'] });
    // The URL is never echoed, nor stored in the clear.
    const seenByAdmin = await s.t.http.get(routesOf(slackMgr.id)).set(admin).expect(200);
    for (const body of [saved.body, seenByAdmin.body]) expect(JSON.stringify(body)).not.toContain('my-sl4ck-s3cret');
    expect(JSON.stringify(await s.t.db.query(`SELECT * FROM notification_routes`))).not.toContain('my-sl4ck-s3cret');

    // A stale candidate for each manager; the first post to Slack is refused (503).
    receiver.answers = [503];
    const o1 = await makeOpening(s.t, { ...s.w, manager: slackMgr }, { title: 'Routed Opening' });
    const o2 = await makeOpening(s.t, { ...s.w, manager: mailMgr }, { title: 'Mailed Opening' });
    const ada = await makeCandidate(s.t, s.w, { name: 'Ada Lovelace' });
    await makeApplication(s.t, s.w, o1.id, ada.id);
    await makeApplication(s.t, s.w, o2.id, (await makeCandidate(s.t, s.w, { name: 'Mary Somerville' })).id);
    const started = Date.now();
    await s.t.app.get(SweepRegistry).runAll(new Date(Date.now() + 40 * 86_400_000));
    // The sweep only queued the chat messages (no post inside it).
    expect(Date.now() - started).toBeLessThan(60_000);

    // The general worker posts to Slack (a round every 5 s); one post was refused and waits for its
    // retry, which the worker makes 30 s later. Read right after the sweep (before waiting for any
    // mail), so the refusal is seen waiting; a machine stalled for those 30 s shows it retried.
    const log = async (): Promise<any[]> =>
      (
        await s.t.http
          .get(`${routesOf(slackMgr.id)}/deliveries`)
          .set(auth(slackMgr.token))
          .expect(200)
      ).body;
    const first = await eventually(log, (l) => l.length >= 2 && l.some((d) => d.lastError !== null || d.attempts >= 2), 60_000);
    const refused = first.find((d) => d.lastError !== null || d.attempts >= 2);
    if (refused.status === 'pending') {
      // Attempt 2 may be under way (the worker's retry, its answer not yet recorded).
      expect(refused).toMatchObject({ lastStatus: 503, lastError: expect.stringMatching(/503/) });
      expect([1, 2]).toContain(refused.attempts);
    } else expect(refused).toMatchObject({ status: 'succeeded', attempts: 2, lastStatus: 200, lastError: null });
    // The retry's round, as of 2 minutes on: past the refused post's 30 s backoff, and before the
    // 5 minutes for which a worker's round holds each delivery it took, so this round never posts
    // one the worker is posting at the same moment.
    await s.t.app.get(ChatService).deliverDue(new Date(Date.now() + 2 * 60_000));
    const after = await eventually(log, (l) => l.every((d) => d.status === 'succeeded'), 30_000);
    expect(after.map((d) => d.status)).toEqual(after.map(() => 'succeeded'));
    expect(after.find((d) => d.id === refused.id)).toMatchObject({ status: 'succeeded', attempts: 2 });

    // The other manager keeps e-mail: their digest arrives; the Slack manager gets no digest e-mail.
    const mail = await eventually(
      async () => s.smtp.to(mailMgr.email),
      (m) => m.some((x) => /Mary Somerville/.test(x.text)),
      60_000,
    );
    expect(mail.length).toBeGreaterThan(0);
    const digestsOfSlackMgr = await s.t.db.query(`SELECT id FROM messages WHERE template = 'stale_digest' AND recipient_user_id = $1`, [
      slackMgr.id,
    ]);
    expect(digestsOfSlackMgr).toHaveLength(0);
    expect(s.smtp.to(slackMgr.email)).toHaveLength(0);

    const posts = receiver.to(slackSecret).map((p) => p.body);
    const alertPost = posts.find((b) => /Ada Lovelace has been in/.test(b.text));
    expect(alertPost.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(alertPost.blocks[0].text.text).toMatch(/\/dashboard\/applications\/[0-9a-f-]+\|Open the application>/);
    const digestPost = posts.find((b) => /^Daily digest: 1 candidate waiting too long: Ada Lovelace/.test(b.text));
    expect(digestPost.blocks[0].text.text).toContain('/dashboard|Open the dashboard>');
    // Only Ada's manager's alerts reach that Slack.
    expect(JSON.stringify(posts)).not.toContain('Mary Somerville');

    // Erasing Ada takes her name out of the manager's chat deliveries too (her alert and the digest).
    const erased = await s.t.http.post(`/api/v1/candidates/${ada.id}/erasure`).set(admin);
    expect(erased.status).toBe(200);
    expect(erased.body.tables.chat_deliveries).toBeGreaterThanOrEqual(2);
    const kept: Array<{ text: string }> = await s.t.db.query(`SELECT text FROM chat_deliveries WHERE user_id = $1`, [slackMgr.id]);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.map((r) => r.text).join('\n')).not.toContain('Ada Lovelace');
    expect(kept.map((r) => r.text).join('\n')).toMatch(/Daily digest: 1 candidate waiting too long: /);

    // A Teams webhook for the other manager, and "Send a test message": an Adaptive Card.
    await s.t.http
      .put(routesOf(mailMgr.id))
      .set(auth(mailMgr.token))
      .send({ teamsUrl: receiver.base + teamsSecret })
      .expect(200);
    await s.t.http
      .post(`${routesOf(mailMgr.id)}/test`)
      .set(auth(mailMgr.token))
      .expect(202);
    const card = await eventually(
      async () => receiver.to(teamsSecret)[0],
      (p) => !!p,
      30_000,
    );
    expect(card.body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.body.attachments[0].content.body[0].text).toMatch(/A test message/);
    // Still e-mail for everything until chosen otherwise; no test without a webhook.
    expect((await s.t.http.get(routesOf(mailMgr.id)).set(auth(mailMgr.token)).expect(200)).body.routes.stale).toEqual(['email']);
    const noneToTest = await s.t.http
      .post(`${routesOf(slackMgr.id)}/test`)
      .set(admin)
      .send();
    expect(noneToTest.status).toBe(202);
    // Removing the Slack webhook sends its kinds back to e-mail.
    const removed = await s.t.http.put(routesOf(slackMgr.id)).set(auth(slackMgr.token)).send({ slackUrl: null }).expect(200);
    expect(removed.body).toMatchObject({ slack: null, routes: { stale: ['email'], digest: ['email'] } });
    const nothing = await s.t.http
      .post(`${routesOf(slackMgr.id)}/test`)
      .set(auth(slackMgr.token))
      .send();
    expect(nothing.status).toBe(400);
  });
});
