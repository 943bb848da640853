import { randomBytes } from 'node:crypto';
import { QueueService } from '../../src/common/queues/queue.service';
import { QueueName } from '../../src/common/queues/queues';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * The request context (src/common/context): the request id of an HTTP request reaches, without
 * any parameter, the mail job it enqueues (whose logs then carry it in the worker) and the audit row.
 */
describe('request context: one request id from the HTTP request to its jobs and audit row', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    w = await makeWorld(t);
  });
  afterAll(async () => t?.close());

  const mailJob = (messageId: string) => t.app.get(QueueService).queue(QueueName.Mail).getJob(messageId);

  it('carries the x-request-id of a JSON request (through the body parser) to the mail job and the audit entry', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w);
    const app = await makeApplication(t, w, opening.id, c.id);
    const requestId = `ctx-${randomBytes(6).toString('hex')}`;
    const res = await t.http
      .post(`/api/v1/applications/${app.id}/messages`)
      .set(auth(w.recruiter.token))
      .set('x-request-id', requestId)
      .send({ text: 'Thanks for your patience: we will write again on Friday.' });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe(requestId);
    expect((await mailJob(res.body.id))?.data).toMatchObject({ messageId: res.body.id, requestId });

    const entries = await t.db.query(`SELECT request_id FROM audit_log WHERE route LIKE '%/messages' AND request_id = $1`, [requestId]);
    expect(entries).toHaveLength(1);
  });

  it('gives a request without the header its own id, the same in the response header and the job', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w);
    const app = await makeApplication(t, w, opening.id, c.id);
    const res = await t.http.post(`/api/v1/applications/${app.id}/messages`).set(auth(w.recruiter.token)).send({ text: 'Hello again.' });
    expect(res.status).toBe(201);
    const generated = res.headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect((await mailJob(res.body.id))?.data.requestId).toBe(generated);
  });
});
