import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { OutboxService } from '../../src/communications/outbox.service';
import { QueueService } from '../../src/common/queues/queue.service';
import { JobName, QueueName } from '../../src/common/queues/queues';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';
import { TestRedis, eventually, freePort } from '../support/redis-server';

/**
 * The mail jobs of requests answered in the same turn of the event loop reach Redis as one
 * `addBulk` (QueueService.enqueueSoon, used by OutboxService.dispatch): each job still carries its
 * own message and request id, the caller still answers only once its job is in Redis, and a batch
 * that fails (Redis down) is retried job by job in the background.
 */
describe('mail jobs coalesced per turn of the event loop', () => {
  let t: TestApp;
  let w: World;
  let redis: TestRedis;
  let mail: Queue;
  let bulks: number[];

  beforeAll(async () => {
    redis = new TestRedis(await freePort());
    await redis.start();
    suiteEnv({ REDIS_URL: redis.url, SMTP_URL: undefined });
    t = await createTestApp();
    w = await makeWorld(t);
    mail = t.app.get(QueueService).queue(QueueName.Mail);
    // Count the bulk adds (the real call is made).
    const addBulk = mail.addBulk.bind(mail);
    bulks = [];
    mail.addBulk = (jobs) => {
      bulks.push(jobs.length);
      return addBulk(jobs);
    };
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('moves answered together each have their own job, with their own message and request id', async () => {
    const opening = await makeOpening(t, w);
    const apps = [];
    for (let i = 0; i < 6; i++) apps.push(await makeApplication(t, w, opening.id, (await makeCandidate(t, w)).id));
    const sent = apps.map((a) => ({ app: a, requestId: `move-${randomBytes(6).toString('hex')}` }));
    const answers = await Promise.all(
      sent.map(({ app, requestId }) =>
        t.http
          .post(`/api/v1/applications/${app.id}/transitions`)
          .set(auth(w.recruiter.token))
          .set('x-request-id', requestId)
          .send({ to: 'manager_call' }),
      ),
    );
    for (const [i, res] of answers.entries()) {
      expect(res.status).toBe(200);
      const [msg] = await t.db.query(`SELECT id FROM messages WHERE application_id = $1 AND template = 'stage_changed'`, [sent[i].app.id]);
      // In Redis by the time the move answered.
      expect((await mail.getJob(msg.id))?.data).toEqual({ messageId: msg.id, requestId: sent[i].requestId });
    }
  });

  it('jobs asked for in one turn go to Redis in one addBulk; a second dispatch of the same message adds no job', async () => {
    const outbox = t.app.get(OutboxService);
    const ids = Array.from({ length: 5 }, () => randomUUID());
    bulks.length = 0;
    await Promise.all([outbox.dispatch(ids.slice(0, 2)), outbox.dispatch([ids[2]]), outbox.dispatch(ids.slice(3))]);
    expect(bulks).toEqual([5]);
    for (const id of ids) expect((await mail.getJob(id))?.data.messageId).toBe(id);
    const before = await mail.getJobCounts('waiting');
    await Promise.all([outbox.dispatch([ids[0]]), outbox.dispatch([ids[1]])]);
    expect(await mail.getJobCounts('waiting')).toEqual(before);
  });

  it('a queued message whose job never reached Redis (the process died before the flush) is queued by the mail-requeue sweep', async () => {
    const opening = await makeOpening(t, w);
    const app = await makeApplication(t, w, opening.id, (await makeCandidate(t, w)).id);
    const res = await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to: 'manager_call' });
    expect(res.status).toBe(200);
    const [msg] = await t.db.query(`SELECT id, status FROM messages WHERE application_id = $1 AND template = 'stage_changed'`, [app.id]);
    expect(msg.status).toBe('queued');
    await (await mail.getJob(msg.id))!.remove(); // as if the API had died between the commit and the flush
    expect(await mail.getJob(msg.id)).toBeUndefined();
    // The sweep's task (mail-requeue) a little over a minute later.
    expect(await t.app.get(OutboxService).requeueLost(new Date(Date.now() + 90_000))).toMatchObject({ requeued: expect.any(Number) });
    expect((await mail.getJob(msg.id))?.data.messageId).toBe(msg.id);
  });

  it('a batch that fails while Redis is down answers within seconds and every job is queued once Redis is back', async () => {
    const queues = t.app.get(QueueService);
    const ids = Array.from({ length: 4 }, () => randomUUID());
    await redis.stop();
    const started = Date.now();
    const results = await Promise.all(ids.map((id) => queues.enqueueSoon(QueueName.Mail, JobName.DeliverMessage, { messageId: id }, id)));
    expect(results).toEqual([false, false, false, false]);
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 2000));
    await redis.start();
    for (const id of ids) {
      const job = await eventually(
        () => mail.getJob(id).catch(() => undefined),
        (j) => !!j,
        30_000,
      );
      expect(job?.data).toMatchObject({ messageId: id });
    }
  }, 60_000);
});
