import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { QueueService } from '../../src/common/queues/queue.service';
import { JobName, QueueName } from '../../src/common/queues/queues';
import { createTestApp, createTestWorker, suiteEnv, TestApp } from '../setup/test-app';
import { makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';
import { eventually } from '../support/redis-server';
import { SmtpCapture } from '../support/smtp';

/**
 * Worker roles (WORKER_QUEUES): `npm start` runs a grading worker and a general worker; each
 * consumes only its own queues, against the real Redis, PostgreSQL and SMTP server.
 */
describe('worker roles: a worker consumes only the queues it was given', () => {
  let t: TestApp;
  let w: World;
  let smtp: SmtpCapture;
  const workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    smtp = new SmtpCapture();
    await smtp.start();
    suiteEnv({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    w = await makeWorld(t);
  });
  afterAll(async () => {
    for (const x of workers) await x.close();
    await t?.close();
    await smtp?.stop();
  });

  const queues = () => t.app.get(QueueService);
  const state = (q: QueueName, id: string) =>
    queues()
      .queue(q)
      .getJob(id)
      .then((j) => j?.getState());
  const messageStatus = async (applicationId: string) =>
    (await t.db.query(`SELECT status FROM messages WHERE application_id = $1`, [applicationId]))[0]?.status as string | undefined;

  it('a grading worker grades but leaves mail and the sweep alone; a general worker then sends the mail and never grades', async () => {
    const grader = await createTestWorker(t.url, [QueueName.Grading]);
    workers.push(grader);
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w);
    const app = await makeApplication(t, w, opening.id, c.id); // queues a first-contact e-mail
    expect(await messageStatus(app.id)).toBe('queued');
    const sweepId = `sweep-${randomUUID()}`;
    await queues().enqueue(QueueName.Sweep, JobName.RunSweep, {}, sweepId);

    // The grader is alive and consuming: a grading job (for a submission that does not exist) is done.
    const firstGrading = randomUUID();
    await queues().enqueue(QueueName.Grading, JobName.GradeSubmission, { submissionId: firstGrading }, firstGrading);
    expect(
      await eventually(
        () => state(QueueName.Grading, firstGrading),
        (s) => s === 'completed',
        20_000,
      ),
    ).toBe('completed');
    expect((await queues().queue(QueueName.Grading).getJob(firstGrading))?.returnvalue).toBe('missing');
    // ...while the e-mail and the sweep wait for a worker of their own.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await messageStatus(app.id)).toBe('queued');
    expect(smtp.to(c.email)).toHaveLength(0);
    expect(await state(QueueName.Mail, (await t.db.query(`SELECT id FROM messages WHERE application_id = $1`, [app.id]))[0].id)).toBe(
      'waiting',
    );
    expect(await state(QueueName.Sweep, sweepId)).toBe('waiting');

    // The general worker (every other queue) picks them up.
    await grader.close();
    workers.splice(workers.indexOf(grader), 1);
    const general = await createTestWorker(t.url, [QueueName.Mail, QueueName.Sweep, QueueName.Webhooks]);
    workers.push(general);
    expect(
      await eventually(
        () => messageStatus(app.id),
        (s) => s === 'sent',
        20_000,
      ),
    ).toBe('sent');
    expect(smtp.to(c.email)).toHaveLength(1);
    expect(
      await eventually(
        () => state(QueueName.Sweep, sweepId),
        (s) => s === 'completed',
        20_000,
      ),
    ).toBe('completed');
    // It never takes a grading job.
    const secondGrading = randomUUID();
    await queues().enqueue(QueueName.Grading, JobName.GradeSubmission, { submissionId: secondGrading }, secondGrading);
    const c2 = await makeCandidate(t, w);
    const app2 = await makeApplication(t, w, opening.id, c2.id);
    expect(
      await eventually(
        () => messageStatus(app2.id),
        (s) => s === 'sent',
        20_000,
      ),
    ).toBe('sent'); // mail keeps flowing meanwhile
    await new Promise((r) => setTimeout(r, 2000));
    expect(await state(QueueName.Grading, secondGrading)).toBe('waiting');
  }, 90_000);
});
