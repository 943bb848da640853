import { INestApplicationContext } from '@nestjs/common';
import Docker from 'dockerode';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GradingJob } from '../../src/assessments/grading.job';
import { GradingService, HEARTBEAT_MS, LEASE_MS } from '../../src/assessments/grading.service';
import { EventBus } from '../../src/common/events/event-bus';
import '../../src/assessments/assessments.events';
import { Clock } from '../../src/common/clock/clock';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { QueueService } from '../../src/common/queues/queue.service';
import { JobName, QueueName } from '../../src/common/queues/queues';
import { Role } from '../../src/identity/user.entity';
import { buildAllSandboxImages } from '../../src/sandbox';
import { entriesOf, FIXTURES, tarGz, tarGzDir, zip, zipDir } from '../fixtures/assignments/pack';
import { createTestApp, createTestWorker, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';
import { eventually } from '../support/redis-server';
import { SmtpCapture } from '../support/smtp';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const NODE = 'node-wordfreq';
const PY = 'python-roman';
const HIDDEN_NAMES = ['zebra-quokka', 'wordfreq.hidden', 'counts words regardless of case'];

describe('take-home assessments: staff API, uploads, grading', () => {
  let t: TestApp;
  let w: World;
  let smtp: SmtpCapture;
  let worker: INestApplicationContext;
  let engineer: { token: string; id: string };
  /** Published node assignments: A with the defaults, B status-only / resubmit until the deadline / 64 KB cap. */
  let A: { id: string };
  let B: { id: string };
  const graded: Array<{ submissionId: string; applicationId: string; status: string; passed: number }> = [];

  beforeAll(async () => {
    const started = Date.now();
    await buildAllSandboxImages(new Docker({ socketPath: '/var/run/docker.sock' }), () => undefined);
    smtp = new SmtpCapture();
    await smtp.start();
    suiteEnv({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://hiring.test', GRADING_CONCURRENCY: '2' });
    t = await createTestApp();
    worker = await createTestWorker(t.url);
    worker.get(EventBus).on('submission.graded', async ({ submission, application, result }) => {
      graded.push({ submissionId: submission.id, applicationId: application.id, status: result.status, passed: result.passed });
    });
    w = await makeWorld(t);
    engineer = await t.login([Role.Engineer]);
    A = await publishedAssignment(NODE, { title: 'Word frequencies' });
    B = await publishedAssignment(NODE, {
      title: 'Word frequencies (status only)',
      candidateSees: 'status_only',
      resubmission: 'until_deadline',
      maxSubmissionBytes: 64 * 1024,
    });
    process.stderr.write(`  assessments suite ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp?.stop();
  });

  async function createAssignment(fixture: string, extra: Record<string, unknown> = {}) {
    const res = await t.http
      .post('/api/v1/assignments')
      .set(auth(w.manager.token))
      .send({
        title: 'Exercise',
        runtime: fixture === PY ? 'python' : 'node',
        instructions: readFileSync(path.join(FIXTURES, fixture, 'instructions.md'), 'utf8'),
        ...extra,
      });
    expect(res.status).toBe(201);
    return res.body as { id: string; timeGuidanceMinutes: number; resubmission: string; candidateSees: string };
  }

  function addVersion(
    id: string,
    parts: { hidden?: Buffer; starter?: Buffer; reference?: Buffer; instructions?: string },
    token = engineer.token,
  ) {
    let req = t.http.post(`/api/v1/assignments/${id}/versions`).set(auth(token));
    if (parts.hidden) req = req.attach('hiddenTests', parts.hidden, 'hidden.zip');
    if (parts.starter) req = req.attach('starter', parts.starter, 'starter.zip');
    if (parts.reference) req = req.attach('referenceSolution', parts.reference, 'reference.tar.gz');
    if (parts.instructions) req = req.field('instructions', parts.instructions);
    return req;
  }

  async function publishedAssignment(fixture: string, extra: Record<string, unknown> = {}) {
    const a = await createAssignment(fixture, extra);
    const v = await addVersion(a.id, {
      hidden: zipDir(`${fixture}/hidden-tests`),
      starter: zipDir(`${fixture}/starter`),
      reference: await tarGzDir(`${fixture}/reference`),
    });
    expect(v.status).toBe(201);
    const p = await t.http.post(`/api/v1/assignments/${a.id}/versions/${v.body.version}/publish`).set(auth(engineer.token));
    expect({ status: p.status, reason: p.body.message, check: p.body.check?.reason ?? null }).toMatchObject({ status: 200 });
    return a;
  }

  async function atTakeHome() {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Ada Lovelace', timezone: 'Europe/London' });
    const app = await makeApplication(t, w, opening.id, c.id);
    for (const to of ['manager_call', 'take_home']) {
      expect((await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to })).status).toBe(200);
    }
    return { app, candidate: c, opening };
  }

  async function invite(assignmentId: string) {
    const { app, candidate } = await atTakeHome();
    const res = await t.http.post(`/api/v1/applications/${app.id}/invitations`).set(auth(w.recruiter.token)).send({ assignmentId });
    expect(res.status).toBe(201);
    const token = String(res.body.portalUrl).split('/').pop()!;
    return { app, candidate, invitation: res.body as { id: string; portalUrl: string; expiresAt: string }, token };
  }

  const attest = (token: string) => t.http.post(`/api/v1/portal/${token}/attestation`).send({ fullName: 'Ada Lovelace', agreed: true });
  const upload = (token: string, buf: Buffer, name = 'solution.zip', key?: string) => {
    const req = t.http.post(`/api/v1/portal/${token}/submission`);
    if (key) req.set('Idempotency-Key', key);
    return req.attach('file', buf, name);
  };
  /** Rows one application has (mail delivery events, written by the worker meanwhile, left out). */
  const counts = async (applicationId: string) => {
    const [r] = await t.db.query(
      `SELECT (SELECT count(*) FROM submissions WHERE application_id = $1)::int AS submissions,
              (SELECT count(*) FROM messages WHERE application_id = $1)::int AS messages,
              (SELECT count(*) FROM application_events WHERE application_id = $1 AND type NOT LIKE 'message.%')::int AS events,
              (SELECT count(*) FROM submissions)::int AS "allSubmissions"`,
      [applicationId],
    );
    return r as { submissions: number; messages: number; events: number; allSubmissions: number };
  };
  const waitGraded = (id: string, timeoutMs = 60_000) =>
    eventually(
      () => t.http.get(`/api/v1/submissions/${id}`).set(auth(w.recruiter.token)),
      (r) => r.body.status === 'graded',
      timeoutMs,
    );

  it('assignments: a guidance over three hours is refused with the reason; recruiters read but do not write', async () => {
    const long = await t.http
      .post('/api/v1/assignments')
      .set(auth(w.manager.token))
      .send({ title: 'Marathon', runtime: 'node', instructions: 'x', timeGuidanceMinutes: 240 });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/timeGuidanceMinutes/);
    expect(long.body.message).toMatch(/no more than 3 hours/);
    const badRuntime = await t.http
      .post('/api/v1/assignments')
      .set(auth(w.manager.token))
      .send({ title: 'X', runtime: 'cobol', instructions: 'x' });
    expect(badRuntime.status).toBe(400);
    const badLimits = await t.http
      .post('/api/v1/assignments')
      .set(auth(w.manager.token))
      .send({ title: 'X', runtime: 'node', instructions: 'x', limits: { memoryMb: 1 } });
    expect(badLimits.status).toBe(400);
    expect(badLimits.body.message).toMatch(/memoryMb/);
    expect(
      (await t.http.post('/api/v1/assignments').set(auth(w.recruiter.token)).send({ title: 'X', runtime: 'node', instructions: 'x' }))
        .status,
    ).toBe(403);
    const read = await t.http.get(`/api/v1/assignments/${A.id}`).set(auth(w.recruiter.token));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      timeGuidanceMinutes: 120,
      resubmission: 'until_first_graded',
      candidateSees: 'summary',
      maxSubmissionBytes: 10 * 1024 * 1024,
    });
    expect(read.body.versions).toEqual([expect.objectContaining({ version: 1, status: 'published' })]);
  });

  it('versions: archives are checked; a publish is refused with the failing tests listed until the reference passes in the sandbox', async () => {
    const a = await createAssignment(PY, { title: 'Roman numerals', timeGuidanceMinutes: 90 });
    const missing = await addVersion(a.id, { hidden: zipDir(`${PY}/hidden-tests`) });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/referenceSolution/);
    const notArchive = await addVersion(a.id, { hidden: Buffer.from('def test_x(): pass\n'), reference: zipDir(`${PY}/reference`) });
    expect(notArchive.status).toBe(400);
    expect(notArchive.body.message).toMatch(/hiddenTests: The file is not a zip or tar.gz archive/);
    const traversal = await addVersion(a.id, { hidden: zip([{ name: '../escape.py', data: 'x' }]), reference: zipDir(`${PY}/reference`) });
    expect(traversal.status).toBe(400);
    expect(traversal.body.message).toMatch(/outside the archive/);
    expect(
      (await addVersion(a.id, { hidden: zipDir(`${PY}/hidden-tests`), reference: zipDir(`${PY}/broken`) }, w.recruiter.token)).status,
    ).toBe(403);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM assignment_versions WHERE assignment_id = $1`, [a.id]))[0].n).toBe(0);

    const v1 = await addVersion(a.id, {
      hidden: await tarGzDir(`${PY}/hidden-tests`),
      starter: zipDir(`${PY}/starter`),
      reference: zipDir(`${PY}/broken`),
    });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, status: 'draft', timeGuidanceMinutes: 90 });
    expect(v1.body.hiddenTests.sha256).toBe(sha(await tarGzDir(`${PY}/hidden-tests`)));
    const refused = await t.http.post(`/api/v1/assignments/${a.id}/versions/1/publish`).set(auth(engineer.token));
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/reference solution must pass every hidden test/);
    const failing = refused.body.failingTests as Array<{ name: string; status: string; message: string }>;
    expect(failing.map((f) => f.name).sort()).toEqual(['test_largest_value', 'test_out_of_range_is_refused', 'test_subtractive_forms']);
    expect(failing.find((f) => f.name === 'test_subtractive_forms')!.message).toMatch(/CMXLIV/);
    expect((await t.http.get(`/api/v1/assignments/${a.id}/versions/1`).set(auth(w.recruiter.token))).body).toMatchObject({
      status: 'draft',
      publishCheck: { status: 'failed', total: 4, passed: 1 },
    });

    const v2 = await addVersion(a.id, {
      hidden: await tarGzDir(`${PY}/hidden-tests`),
      reference: zipDir(`${PY}/reference`),
      instructions: '# Roman numerals, v2',
    });
    expect(v2.body).toMatchObject({ version: 2, status: 'draft', instructionsHtml: '<h1>Roman numerals, v2</h1>' });
    const ok = await t.http.post(`/api/v1/assignments/${a.id}/versions/2/publish`).set(auth(w.manager.token));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, status: 'published', publishCheck: { status: 'passed', total: 4, passed: 4 } });
    // Publishing again is a no-op; versions are listed in order.
    expect((await t.http.post(`/api/v1/assignments/${a.id}/versions/2/publish`).set(auth(w.manager.token))).status).toBe(200);
    const list = await t.http.get(`/api/v1/assignments/${a.id}/versions`).set(auth(w.recruiter.token));
    expect(list.body.map((v: { version: number; status: string }) => `${v.version}:${v.status}`)).toEqual(['1:draft', '2:published']);
  });

  it('hidden tests: engineers and admins download them; recruiters, managers and candidate links never', async () => {
    const url = `/api/v1/assignments/${A.id}/versions/1/hidden-tests`;
    const byEngineer = await t.http
      .get(url)
      .set(auth(engineer.token))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(byEngineer.status).toBe(200);
    expect(byEngineer.headers['content-disposition']).toMatch(/attachment; filename="hidden-tests-.*\.zip"/);
    expect(byEngineer.body).toEqual(zipDir(`${NODE}/hidden-tests`));
    expect((await t.http.get(url).set(auth(w.admin.token))).status).toBe(200);
    expect((await t.http.get(url).set(auth(w.recruiter.token))).status).toBe(403);
    expect((await t.http.get(url).set(auth(w.manager.token))).status).toBe(403);
    expect((await t.http.get(url)).status).toBe(401);
    const { token } = await invite(A.id);
    expect((await t.http.get(url).set(auth(token))).status).toBe(401);
    // Nothing on the candidate's side names or serves them.
    const view = await t.http.get(`/api/v1/portal/${token}`);
    expect(view.status).toBe(200);
    for (const name of HIDDEN_NAMES) expect(JSON.stringify(view.body)).not.toContain(name);
    expect((await t.http.get(`/api/v1/portal/${token}/hidden-tests`)).status).toBe(404);
  });

  it('invitations: only in the take-home stage, with a published version, never for an exempt candidate; the e-mail carries the one link', async () => {
    const opening = (await makeOpening(t, w)) as Awaited<ReturnType<typeof makeOpening>> & { title: string };
    const c = await makeCandidate(t, w, { name: 'Margaret Hamilton' });
    const app = await makeApplication(t, w, opening.id, c.id);
    const early = await t.http.post(`/api/v1/applications/${app.id}/invitations`).set(auth(w.recruiter.token)).send({ assignmentId: A.id });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/take-home stage/);
    for (const to of ['manager_call', 'take_home'])
      await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to });
    const draftOnly = await createAssignment(NODE);
    const unpublished = await t.http
      .post(`/api/v1/applications/${app.id}/invitations`)
      .set(auth(w.recruiter.token))
      .send({ assignmentId: draftOnly.id });
    expect(unpublished.status).toBe(422);
    expect(unpublished.body.message).toMatch(/no published version/);
    expect(
      (await t.http.post(`/api/v1/applications/${app.id}/invitations`).set(auth(engineer.token)).send({ assignmentId: A.id })).status,
    ).toBe(403);

    const res = await t.http.post(`/api/v1/applications/${app.id}/invitations`).set(auth(w.recruiter.token)).send({ assignmentId: A.id });
    expect(res.status).toBe(201);
    expect(res.body.portalUrl).toMatch(/^http:\/\/hiring\.test\/portal\/[A-Za-z0-9_-]{43}$/);
    const token = res.body.portalUrl.split('/').pop();
    const days = (new Date(res.body.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    // Only the hash is stored.
    const stored = await t.db.query(`SELECT token_hash FROM invitations WHERE id = $1`, [res.body.id]);
    expect(stored[0].token_hash).toBe(sha(Buffer.from(token)));
    expect((await t.db.query(`SELECT count(*)::int AS n FROM invitations WHERE token_hash = $1`, [token]))[0].n).toBe(0);
    // A second invitation while the first is live is refused (no second e-mail).
    const again = await t.http.post(`/api/v1/applications/${app.id}/invitations`).set(auth(w.recruiter.token)).send({ assignmentId: A.id });
    expect(again.status).toBe(409);
    expect(again.body.existingId).toBe(res.body.id);

    const mail = (
      await eventually(
        async () => smtp.to(c.email).filter((m) => /take-home/.test(m.subject)),
        (m) => m.length > 0,
        20000,
      )
    )[0];
    expect(mail.subject).toBe(`Your take-home for ${opening.title}: Word frequencies`);
    expect(mail.text).toContain(`http://hiring.test/portal/${token}`);
    expect(mail.text).toMatch(/about 2 hours/);
    expect(mail.text).toContain('I did this work myself within the rules, I may use references, and I can explain every line.');
    expect(mail.html).toContain(`href="http://hiring.test/portal/${token}"`);
    // Staff read the message as sent, but not the link's secret: it would let them act as the candidate.
    const asStaff = (await t.http.get(`/api/v1/applications/${app.id}/messages`).set(auth(w.recruiter.token))).body as Array<{
      template: string;
      text: string;
    }>;
    const invitationMail = asStaff.find((m) => m.template === 'take_home_invitation')!;
    expect(invitationMail.text).toContain('http://hiring.test/portal/[hidden]');
    expect(JSON.stringify(asStaff)).not.toContain(token);
    expect(JSON.stringify(asStaff)).not.toMatch(/\/privacy\/[0-9a-f-]{36}\?t=(?!\[hidden\])/);
    const exported = await t.http.get(`/api/v1/candidates/${c.id}/export`).set(auth(w.admin.token));
    expect(exported.status).toBe(200);
    expect(exported.text).not.toContain(token);
    expect(exported.text).toContain('/portal/[hidden]');

    const extended = await t.http.post(`/api/v1/invitations/${res.body.id}/extend`).set(auth(w.recruiter.token)).send({ days: 3 });
    expect(extended.status).toBe(200);
    expect(new Date(extended.body.expiresAt).getTime() - new Date(res.body.expiresAt).getTime()).toBe(3 * 86_400_000);
    expect((await t.http.post(`/api/v1/invitations/${res.body.id}/extend`).set(auth(w.recruiter.token)).send({ days: 0 })).status).toBe(
      400,
    );
    const events = (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body as Array<{
      type: string;
      data: any;
    }>;
    expect(events.filter((e) => e.type === 'invitation.sent')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ invitationId: res.body.id, version: 1 }) }),
    ]);
    expect(events.some((e) => e.type === 'invitation.extended')).toBe(true);

    // An exempt candidate needs no take-home.
    const other = await atTakeHome();
    await t.http
      .post(`/api/v1/applications/${other.app.id}/exemptions`)
      .set(auth(w.recruiter.token))
      .send({ kind: 'public_code', url: 'https://github.com/example/lib', reason: 'Maintains a widely used library' });
    const exempt = await t.http
      .post(`/api/v1/applications/${other.app.id}/invitations`)
      .set(auth(w.recruiter.token))
      .send({ assignmentId: A.id });
    expect(exempt.status).toBe(409);
    expect(exempt.body.message).toMatch(/exemption/);
  });

  it('uploads: every refusal names the problem and stores nothing', async () => {
    const { token, app } = await invite(B.id);
    const before = await counts(app.id);
    const solution = zipDir(`${NODE}/reference`, 'my-solution/');
    const early = await upload(token, solution);
    expect(early.status).toBe(403);
    expect(early.body.message).toMatch(/attestation/);
    expect((await t.http.get(`/api/v1/portal/${token}/starter`)).status).toBe(403);
    expect((await attest(token)).status).toBe(201);

    const text = await upload(token, Buffer.from('console.log("hello")\n'), 'solution.js');
    expect(text.status).toBe(400);
    expect(text.body.message).toMatch(/not a zip or tar\.gz archive/);
    const traversal = await upload(token, zip([{ name: 'src/../../etc/cron.d/x', data: 'x' }]));
    expect(traversal.status).toBe(400);
    expect(traversal.body.message).toMatch(/points outside the archive/);
    const link = await upload(
      token,
      await tarGz([
        { name: 'README.md', data: 'hi' },
        { name: 'passwd', data: '/etc/passwd', mode: 0o120777 },
      ]),
      'solution.tar.gz',
    );
    expect(link.status).toBe(400);
    expect(link.body.message).toMatch(/link/);
    const absolute = await upload(token, zip([{ name: '/etc/passwd', data: 'x' }]));
    expect(absolute.status).toBe(400);
    expect(absolute.body.message).toMatch(/absolute path/);
    const many = await upload(token, await tarGz(Array.from({ length: 2001 }, (_, i) => ({ name: `f${i}.js`, data: '' }))), 'many.tar.gz');
    expect(many.status).toBe(400);
    expect(many.body.message).toMatch(/more than 2000 entries.*node_modules/);
    const missing = await t.http.post(`/api/v1/portal/${token}/submission`).field('note', 'no file');
    expect(missing.status).toBe(400);

    // Over the 64 KB cap: cut off while streaming, 413 naming the cap.
    const big = await upload(token, Buffer.concat([zipDir(`${NODE}/reference`), Buffer.alloc(100 * 1024, 7)]));
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/larger than the 64 KB limit/);
    expect(await counts(app.id)).toEqual({ ...before, events: before.events + 1 }); // only the attestation's event
  });

  it('uploads: an oversized stream is cut off at the cap without being held in memory', async () => {
    const { token, app } = await invite(B.id);
    await attest(token);
    const base = await t.listen();
    const before = await counts(app.id);
    const total = 128 * 1024 * 1024;
    const chunk = Buffer.alloc(256 * 1024, 1);
    const boundary = 'xBOUNDARYx';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.zip"\r\nContent-Type: application/zip\r\n\r\nPK\x03\x04`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const mem = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const baseline = mem();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, mem() - baseline)), 5);
    const res = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = http.request(
        `${base}/api/v1/portal/${token}/submission`,
        {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + total + tail.length },
        },
        (r) => {
          let body = '';
          r.on('data', (c) => (body += c));
          r.on('end', () => resolve({ status: r.statusCode!, body, sent }));
        },
      );
      req.on('error', reject);
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end(tail);
      };
      req.write(head);
      pump();
    });
    clearInterval(sampler);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).message).toMatch(/64 KB limit/);
    // 128 MB went through; at most a fraction of it was ever held (client and server share this process).
    expect(peak).toBeLessThan(total / 2);
    expect(await counts(app.id)).toEqual(before);
  });

  it('idempotency: a retried or double-clicked upload is one submission', async () => {
    const { token, app } = await invite(B.id);
    await attest(token);
    const solution = zipDir(`${NODE}/reference`, 'wordfreq/');
    const [a, b] = await Promise.all([upload(token, solution, 'solution.zip', 'key-1'), upload(token, solution, 'solution.zip', 'key-1')]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(a.body.status).toBe('received');
    const reused = await upload(token, zipDir(`${NODE}/broken`), 'other.zip', 'key-1');
    expect(reused.status).toBe(409);
    expect(reused.body.message).toMatch(/Idempotency-Key/);
    // Without a key, the same bytes again within minutes are the same submission (once the
    // first upload is graded: one upload at a time waits for grading).
    await waitGraded(a.body.id);
    const noKey = zipDir(`${NODE}/broken`, 'attempt-2/');
    const c1 = await upload(token, noKey);
    const c2 = await upload(token, noKey);
    expect(c2.body.id).toBe(c1.body.id);
    expect(c1.body.id).not.toBe(a.body.id);
    const rows = await t.db.query(`SELECT seq, sha256 FROM submissions WHERE application_id = $1 ORDER BY seq`, [app.id]);
    expect(rows).toEqual([
      { seq: 1, sha256: sha(solution) },
      { seq: 2, sha256: sha(noKey) },
    ]);
    const receipts = await t.db.query(
      `SELECT count(*)::int AS n FROM messages WHERE application_id = $1 AND template = 'submission_receipt'`,
      [app.id],
    );
    expect(receipts[0].n).toBe(2);
  });

  it('flood: 30 different uploads at once on one link make one pending submission; the rest get a plain 409; rate and byte quota answer 429 / 409', async () => {
    const { token, app } = await invite(B.id);
    await attest(token);
    const before = await counts(app.id);
    const uploads = Array.from({ length: 30 }, (_, i) =>
      zip([...entriesOf(`${NODE}/reference`), { name: `NOTES-${i}.md`, data: `attempt ${i}` }]),
    );
    // Grading waits until the thirty are answered: once the winner is graded, an upload still
    // waiting for the link's lock is a welcome new one (until_deadline), not a 409.
    const grading = worker.get(QueueService).queue(QueueName.Grading);
    let rows: Array<{ id: string; status: string }>;
    await grading.pause();
    try {
      const answers = await Promise.all(uploads.map((buf, i) => upload(token, buf, `solution-${i}.zip`)));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(29);
      const refused = answers.find((r) => r.status === 409)!;
      expect(refused.body.message).toBe(
        'Your previous upload is still being graded; wait for its result (usually within a minute), then upload again.',
      );
      expect(refused.body).toMatchObject({ reason: 'grading_in_progress' });
      rows = await t.db.query(`SELECT id, status FROM submissions WHERE application_id = $1`, [app.id]);
      expect(rows).toHaveLength(1);
      const after = await counts(app.id);
      expect(after.submissions).toBe(before.submissions + 1);
      expect(
        (
          await t.db.query(`SELECT count(*)::int AS n FROM application_events WHERE application_id = $1 AND type = 'submission.received'`, [
            app.id,
          ])
        )[0].n,
      ).toBe(1);
      // The page says why the form is closed meanwhile.
      const view = (await t.http.get(`/api/v1/portal/${token}`)).body;
      expect(view.status).toBe('received');
      expect(view.upload).toMatchObject({ allowed: false, reason: expect.stringMatching(/still being graded/) });
    } finally {
      await grading.resume();
    }
    await waitGraded(rows[0].id);

    // The database refuses a second pending row for one link even if the lock were bypassed.
    await expect(
      t.db
        .query(
          `INSERT INTO submissions (invitation_id, application_id, version_id, seq, status, archive, sha256, size_bytes, format, file_count, created_at, updated_at)
       SELECT invitation_id, application_id, version_id, 99, 'queued', archive, sha256, size_bytes, format, file_count, now(), now() FROM submissions WHERE id = $1`,
          [rows[0].id],
        )
        .then(() =>
          t.db.query(
            `INSERT INTO submissions (invitation_id, application_id, version_id, seq, status, archive, sha256, size_bytes, format, file_count, created_at, updated_at)
       SELECT invitation_id, application_id, version_id, 100, 'queued', archive, sha256, size_bytes, format, file_count, now(), now() FROM submissions WHERE id = $1`,
            [rows[0].id],
          ),
        ),
    ).rejects.toThrow(/submissions_one_pending_idx/);
    await t.db.query(`DELETE FROM submissions WHERE application_id = $1 AND seq >= 99`, [app.id]);

    // Ten uploads within the hour: the eleventh is 429 with a plain message (earlier rows made graded).
    for (let i = 0; i < 9; i++) {
      await t.db.query(
        `INSERT INTO submissions (invitation_id, application_id, version_id, seq, status, archive, sha256, size_bytes, format, file_count, created_at, updated_at)
         SELECT invitation_id, application_id, version_id, $2, 'graded', archive, sha256, 10, format, file_count, now() - interval '10 minutes', now() FROM submissions WHERE id = $1`,
        [rows[0].id, 2 + i],
      );
    }
    // Archives the flood never sent: re-sending the flood's winner within five minutes is answered
    // as a replay of that upload (201), whichever of the thirty won the race.
    const fresh = (name: string) => zip([...entriesOf(`${NODE}/reference`), { name: 'NOTES.md', data: name }]);
    const limited = await upload(token, fresh('eleventh'), 'eleventh.zip');
    expect(limited.status).toBe(429);
    expect(limited.body.message).toMatch(/^This link takes at most 10 uploads an hour; try again in \d+ minutes?\.$/);
    // Byte quota: 20 x the 64 KB cap over the link's uploads (the hour's uploads moved back in time).
    await t.db.query(`UPDATE submissions SET created_at = now() - interval '2 hours', size_bytes = 140000 WHERE application_id = $1`, [
      app.id,
    ]);
    const quota = await upload(token, fresh('over quota'), 'over-quota.zip');
    expect(quota.status).toBe(409);
    expect(quota.body.message).toMatch(/together reached the 1\.3 MB allowed/);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM submissions WHERE application_id = $1`, [app.id]))[0].n).toBe(10);
  }, 120_000);

  it('grading: graded once in the sandbox, on the timeline and the staff API; its submission.graded event is announced; a second run changes nothing', async () => {
    const { token, app, candidate } = await invite(A.id);
    await attest(token);
    const sent = await upload(token, zipDir(`${NODE}/broken`, 'wordfreq/'));
    expect(sent.status).toBe(201);
    const res = await waitGraded(sent.body.id);
    expect(res.body).toMatchObject({
      id: sent.body.id,
      status: 'graded',
      applicationId: app.id,
      sha256: sha(zipDir(`${NODE}/broken`, 'wordfreq/')),
    });
    const r = res.body.result;
    expect(r).toMatchObject({ status: 'failed', total: 4, passed: 3, failed: 1 });
    expect(r.tests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'topWords › counts words regardless of case',
          status: 'failed',
          message: expect.stringMatching(/Expected/),
          hidden: true,
        }),
      ]),
    );
    expect(typeof r.durationMs).toBe('number');
    expect(r.logs).toMatch(/FAIL/);
    // Staff read a candidate's code only on the opening's hiring team.
    const filesUrl = `/api/v1/submissions/${sent.body.id}/files`;
    expect((await t.http.get(filesUrl).set(auth(engineer.token))).status).toBe(404);
    const [{ opening_id: openingId }] = await t.db.query(`SELECT opening_id FROM applications WHERE id = $1`, [app.id]);
    expect(
      (
        await t.http
          .put(`/api/v1/openings/${openingId}/team`)
          .set(auth(w.manager.token))
          .send({ members: [{ userId: engineer.id, role: 'interviewer' }] })
      ).status,
    ).toBe(200);
    const files = await t.http.get(filesUrl).set(auth(engineer.token));
    expect(files.body.files.map((f: { path: string }) => f.path)).toEqual(['README.md', 'src/wordfreq.js']);
    expect(files.body.files[1].content).toContain('Forgets lower-casing');

    const events = (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body as Array<{
      type: string;
      data: any;
      actor: any;
    }>;
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['invitation.sent', 'attestation.signed', 'submission.received', 'submission.graded']),
    );
    expect(events.find((e) => e.type === 'attestation.signed')!.actor).toEqual({ kind: 'candidate', id: candidate.id });
    expect(events.filter((e) => e.type === 'submission.graded')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ submissionId: sent.body.id, status: 'failed', passed: 3, total: 4 }) }),
    ]);
    await eventually(
      async () => graded,
      (g) => g.some((x) => x.submissionId === sent.body.id),
    );
    expect(graded.find((x) => x.submissionId === sent.body.id)).toEqual({
      submissionId: sent.body.id,
      applicationId: app.id,
      status: 'failed',
      passed: 3,
    });

    expect(worker.get(GradingJob).worker.concurrency).toBe(2); // GRADING_CONCURRENCY
    const again = await worker.get(GradingService).grade(sent.body.id);
    expect(again).toBe('already_graded');
    const after = (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body as Array<{ type: string }>;
    expect(after.filter((e) => e.type === 'submission.graded')).toHaveLength(1);
    expect(graded.filter((x) => x.submissionId === sent.body.id)).toHaveLength(1);

    // Summary mode: the code ran; no test name, count or message reaches the candidate.
    const status = await t.http.get(`/api/v1/portal/${token}/status`);
    expect(status.body).toMatchObject({ status: 'graded', outcome: 'ran', buildError: null });
    for (const name of HIDDEN_NAMES) expect(JSON.stringify(status.body)).not.toContain(name);
    expect(JSON.stringify(status.body)).not.toMatch(/passed|Expected/);
    // until_first_graded: no more uploads.
    const late = await upload(token, zipDir(`${NODE}/reference`, 'v2/'));
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/already been graded/);
    const list = await t.http.get(`/api/v1/applications/${app.id}/submissions`).set(auth(w.manager.token));
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([sent.body.id]);
  });

  it('candidate view: a build error is shown without hidden names; status_only shows only received / graded', async () => {
    const broken = zip([
      ...entriesOf(`${NODE}/reference`).filter((e) => !e.name.endsWith('wordfreq.js')),
      { name: 'src/wordfreq.js', data: 'export function topWords(text, n) {\n  return [;\n}\n' },
    ]);
    const a = await invite(A.id);
    await attest(a.token);
    const sa = await upload(a.token, broken);
    const b = await invite(B.id);
    await attest(b.token);
    const sb = await upload(b.token, zipDir(`${NODE}/reference`));
    expect((await t.http.get(`/api/v1/portal/${b.token}/status`)).body).toMatchObject({ status: 'received' });
    await waitGraded(sa.body.id);
    const gb = await waitGraded(sb.body.id);
    // Scores count the hidden tests only; the candidate's own test (src/wordfreq.test.js) ran apart.
    expect(gb.body.result).toMatchObject({
      status: 'passed',
      total: 4,
      passed: 4,
      ownTests: { total: 1, passed: 1, status: 'passed' },
      integrity: { tampered: false },
    });
    expect(gb.body.result.tests.filter((t: { hidden: boolean }) => !t.hidden)).toEqual([]);

    const sumA = (await t.http.get(`/api/v1/portal/${a.token}/status`)).body;
    expect(sumA).toMatchObject({ status: 'graded', outcome: 'could_not_run' });
    // Only a reason we chose from a fixed list, never text the hidden run printed (the code could shape it).
    expect(sumA.buildError).toMatch(/^The tests could not load your code: a syntax error: one of your files does not compile\./);
    expect(sumA.submissions[0].yourTests).toEqual({ total: 1, passed: 0 }); // its own test cannot load the broken module either
    expect(sumA.buildError).toMatch(/From the run of your own tests and the examples:/);
    const page = await t.http.get(`/portal/${a.token}`);
    expect(page.text).toContain('Your code could not run');
    for (const body of [JSON.stringify(sumA), JSON.stringify((await t.http.get(`/api/v1/portal/${a.token}`)).body), page.text]) {
      for (const name of [...HIDDEN_NAMES, 'hidden/', 'returns an empty list']) expect(body).not.toContain(name);
    }
    const onlyB = (await t.http.get(`/api/v1/portal/${b.token}/status`)).body;
    expect(onlyB).toEqual({
      status: 'graded',
      outcome: null,
      buildError: null,
      submissions: [expect.objectContaining({ status: 'graded' })],
    });
    expect(onlyB.submissions[0].outcome).toBeUndefined();
    // until_deadline: another upload is welcome after grading, and kept.
    expect((await upload(b.token, zipDir(`${NODE}/broken`))).status).toBe(201);
  });

  it('sweep: a claim whose worker died is reset, and a submission whose job was lost is graded', async () => {
    const { token } = await invite(B.id);
    await attest(token);
    const queue = worker.get(QueueService).queue(QueueName.Grading);
    await queue.pause();
    try {
      const sent = await upload(token, zipDir(`${NODE}/reference`, 'lost/'));
      // Simulate: the worker claimed it and died (lease over), and Redis lost the job.
      await (await queue.getJob(sent.body.id))!.remove();
      const past = new Date(Date.now() - 10 * 60_000);
      await t.db.query(
        `UPDATE submissions SET status = 'grading', grading_run_id = gen_random_uuid(), grading_started_at = $2, lease_expires_at = $2, attempts = 1, updated_at = $2 WHERE id = $1`,
        [sent.body.id, past],
      );
      // While the dead run's lease lasts, another run waits (BullMQ retries it with backoff).
      await t.db.query(`UPDATE submissions SET lease_expires_at = now() + interval '1 minute' WHERE id = $1`, [sent.body.id]);
      await expect(worker.get(GradingService).grade(sent.body.id)).rejects.toThrow(/being graded by another run/);
      await t.db.query(`UPDATE submissions SET lease_expires_at = $2 WHERE id = $1`, [sent.body.id, past]);
      const report = await worker.get(SweepRegistry).runAll(worker.get(Clock).now());
      expect(report['grading-requeue']).toMatchObject({ leasesExpired: 1 });
      expect(report['grading-requeue'].requeued).toBeGreaterThanOrEqual(1);
      expect(await queue.getJob(sent.body.id)).toBeTruthy();
      await queue.resume();
      const done = await waitGraded(sent.body.id);
      expect(done.body.result.status).toBe('passed');
      expect(done.body.attempts).toBe(2);
    } finally {
      await queue.resume();
    }
  });

  it("sweep: a job waiting out its retry backoff behind a dead run's lease is graded as soon as the lease is reset, not minutes later", async () => {
    const { token } = await invite(B.id);
    await attest(token);
    const queue = worker.get(QueueService).queue(QueueName.Grading);
    await queue.pause();
    try {
      const sent = await upload(token, zipDir(`${NODE}/reference`, 'backoff/'));
      // As after a worker SIGKILL: the row is claimed by a run that died, and the job's retries
      // (GradingBusyError while the lease lasts) have pushed its next attempt far ahead.
      await (await queue.getJob(sent.body.id))!.remove();
      await queue.add(JobName.GradeSubmission, { submissionId: sent.body.id }, { jobId: sent.body.id, delay: 10 * 60_000, attempts: 8 });
      const past = new Date(Date.now() - 10 * 60_000);
      await t.db.query(
        `UPDATE submissions SET status = 'grading', grading_run_id = gen_random_uuid(), grading_started_at = $2, lease_expires_at = $2, attempts = 1, updated_at = $2 WHERE id = $1`,
        [sent.body.id, past],
      );
      expect(await (await queue.getJob(sent.body.id))!.getState()).toBe('delayed');
      const report = await worker.get(SweepRegistry).runAll(worker.get(Clock).now());
      expect(report['grading-requeue']).toMatchObject({ leasesExpired: 1 });
      expect(await (await queue.getJob(sent.body.id))!.getState()).not.toBe('delayed');
      await queue.resume();
      const done = await waitGraded(sent.body.id, 60_000);
      expect(done.body.status).toBe('graded');
      expect(done.body.result.status).toBe('passed');
    } finally {
      await queue.resume();
    }
  });

  it('lease: a running grading keeps a short claim alive (heartbeat); a claim nobody renews runs out and the submission is graded again', async () => {
    // A solution whose module takes 18 s to load: longer than a heartbeat, well inside the timeout.
    const reference = readFileSync(path.join(FIXTURES, NODE, 'reference/src/wordfreq.js'), 'utf8');
    const slow = zip([
      ...entriesOf(`${NODE}/reference`).filter((e) => !e.name.endsWith('src/wordfreq.js')),
      { name: 'src/wordfreq.js', data: `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 18000);\n${reference}` },
    ]);
    const live = await invite(B.id);
    await attest(live.token);
    const sent = await upload(live.token, slow);
    expect(sent.status).toBe(201);
    const seen: Array<{ at: number; lease: number; run: string }> = [];
    const status = await eventually(
      async () => {
        const [r] = await t.db.query(`SELECT status, grading_run_id, lease_expires_at FROM submissions WHERE id = $1`, [sent.body.id]);
        if (r.status === 'grading') seen.push({ at: Date.now(), lease: new Date(r.lease_expires_at).getTime(), run: r.grading_run_id });
        return r.status as string;
      },
      (s) => s === 'graded',
      90_000,
    );
    expect(status).toBe('graded');
    expect(new Set(seen.map((x) => x.run)).size).toBe(1);
    // The claim never reaches further than LEASE_MS ahead (not the sandbox timeout + 2 min)...
    for (const x of seen) expect(x.lease - x.at).toBeLessThanOrEqual(LEASE_MS + 2000);
    // ...and the running worker pushed it forward at least once while the tests ran.
    const leases = [...new Set(seen.map((x) => x.lease))];
    expect(leases.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...leases) - Math.min(...leases)).toBeGreaterThanOrEqual(HEARTBEAT_MS - 2000);
    const done = (await t.http.get(`/api/v1/submissions/${sent.body.id}`).set(auth(w.recruiter.token))).body;
    expect(done.result.status).toBe('passed');
    expect(done.result.passed).toBe(done.result.total);
    expect(done.attempts).toBe(1);
    const [after] = await t.db.query(`SELECT lease_expires_at FROM submissions WHERE id = $1`, [sent.body.id]);
    expect(after.lease_expires_at).toBeNull();

    // A worker that died mid-run: its claim (last renewed 40 s ago) is not renewed by anyone.
    const dead = await invite(B.id);
    await attest(dead.token);
    const queue = worker.get(QueueService).queue(QueueName.Grading);
    await queue.pause();
    let orphan: { body: { id: string } };
    try {
      orphan = await upload(dead.token, zipDir(`${NODE}/reference`, 'dead/'));
      const started = new Date(Date.now() - 40_000);
      await t.db.query(
        `UPDATE submissions SET status = 'grading', grading_run_id = gen_random_uuid(), grading_started_at = $2, lease_expires_at = $3, attempts = 1, updated_at = $2 WHERE id = $1`,
        [orphan.body.id, started, new Date(started.getTime() + LEASE_MS)],
      );
      await expect(worker.get(GradingService).grade(orphan.body.id)).rejects.toThrow(/being graded by another run/);
    } finally {
      await queue.resume();
    }
    // The job retries (GradingBusyError, with backoff) and the sweep runs as the repeatable job would.
    let sweeping = true;
    const sweeps = (async () => {
      while (sweeping) {
        await worker.get(SweepRegistry).runAll(worker.get(Clock).now());
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    try {
      const regraded = await waitGraded(orphan!.body.id, 60_000);
      expect(regraded.body.status).toBe('graded');
      expect(regraded.body.result.status).toBe('passed');
      expect(regraded.body.attempts).toBe(2);
    } finally {
      sweeping = false;
      await sweeps;
    }
  }, 150_000);

  it('feedback: one per candidate after uploading, aggregated per version; a median over the guidance alerts the admins once', async () => {
    const a = await createAssignment(PY, { title: 'Roman numerals (timed)', timeGuidanceMinutes: 60 });
    await addVersion(a.id, { hidden: zipDir(`${PY}/hidden-tests`), reference: zipDir(`${PY}/reference`) });
    expect((await t.http.post(`/api/v1/assignments/${a.id}/versions/1/publish`).set(auth(engineer.token))).status).toBe(200);
    const send = async (minutesSpent: number, clarity: number) => {
      const { token } = await invite(a.id);
      await attest(token);
      const tooEarly = await t.http.post(`/api/v1/portal/${token}/feedback`).send({ clarity, minutesSpent, comments: 'ok' });
      expect(tooEarly.status).toBe(409);
      expect((await upload(token, zipDir(`${PY}/reference`))).status).toBe(201);
      const res = await t.http.post(`/api/v1/portal/${token}/feedback`).send({ clarity, minutesSpent, comments: 'Clear enough' });
      expect(res.status).toBe(201);
      expect((await t.http.post(`/api/v1/portal/${token}/feedback`).send({ clarity, minutesSpent })).status).toBe(409);
      expect((await t.http.post(`/api/v1/portal/${token}/feedback`).send({ clarity: 9, minutesSpent })).status).toBe(400);
    };
    await send(45, 5);
    let summary = (await t.http.get(`/api/v1/assignments/${a.id}/versions/1/feedback`).set(auth(w.recruiter.token))).body;
    expect(summary).toMatchObject({ count: 1, meanClarity: 5, medianMinutes: 45, shareOverGuidance: 0, flagged: false });
    await send(90, 3);
    await send(120, 2);
    summary = (await t.http.get(`/api/v1/assignments/${a.id}/versions/1/feedback`).set(auth(w.recruiter.token))).body;
    expect(summary).toMatchObject({ count: 3, meanClarity: 3.33, medianMinutes: 90, shareOverGuidance: 0.67, flagged: true });
    await send(100, 4);
    const alerts = (await t.http.get('/api/v1/alerts').set(auth(w.admin.token))).body as Array<{
      kind: string;
      message: string;
      data: any;
    }>;
    const mine = alerts.filter((x) => x.kind === 'assignment_over_time' && x.data.assignmentId === a.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].message).toMatch(/Roman numerals \(timed\)/);
    expect(
      (await t.http.get('/api/v1/alerts').set(auth(w.manager.token))).body.filter(
        (x: { kind: string }) => x.kind === 'assignment_over_time',
      ),
    ).toHaveLength(0);
  });
});
