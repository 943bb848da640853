import { Client } from 'pg';
import { TestApp, startMailSuite } from '../setup/test-app';
import { eventually } from '../support/redis-server';
import { SmtpCapture } from '../support/smtp';
import { auth, makeApplication, makeCandidate, makeOpening, World } from '../support/factories';

describe('pipeline: a candidate is never ghosted', () => {
  let t: TestApp;
  let w: World;
  let smtp: SmtpCapture;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;

  beforeAll(async () => {
    suite = await startMailSuite();
    ({ smtp, t, w } = suite);
  });
  afterAll(async () => {
    await suite?.close();
  });

  it('takes a candidate through every stage to hired, one e-mail per transition, over real SMTP', async () => {
    const opening = await makeOpening(t, w);
    expect(opening.stages.map((s) => s.key)).toEqual([
      'recruiter_screen',
      'manager_call',
      'take_home',
      'code_review',
      'team_interviews',
      'offer',
    ]);
    expect(opening.stages.every((s) => s.contactSlaBusinessDays === 3 && s.staleAfterBusinessDays === 5)).toBe(true);
    const c = await makeCandidate(t, w, { name: 'Katherine Johnson' });
    const app = await makeApplication(t, w, opening.id, c.id);
    expect(app).toMatchObject({ stage: 'recruiter_screen', status: 'active' });

    for (const to of ['manager_call', 'take_home', 'code_review', 'team_interviews', 'offer']) {
      const res = await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to });
      expect(res.status).toBe(200);
      expect(res.body.stage).toBe(to);
    }
    const hired = await t.http.post(`/api/v1/applications/${app.id}/hire`).set(auth(w.manager.token)).send({});
    expect(hired.status).toBe(200);
    expect(hired.body.status).toBe('hired');

    // One e-mail per step (first contact, five moves, the hire), then the experience survey the
    // hire closes the application with.
    const mails = await eventually(
      async () => smtp.to(c.email),
      (m) => m.length >= 8,
      20000,
    );
    expect(mails).toHaveLength(8);
    expect(mails.filter((m) => /Two questions about your application/.test(m.subject))).toHaveLength(1);
    const first = mails.find((m) => /how our process works/.test(m.subject))!;
    expect(first).toBeDefined();
    // The first contact lists this opening's stages, in order, each with a line on it.
    const names = opening.stages.map((s) => s.name);
    const positions = names.map((n) => first.text.indexOf(n));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(first.text).toMatch(/€90,000 – €120,000/);
    expect(first.messageId).toMatch(/@hiring\.test>$/);
    expect(mails.filter((m) => /next step/.test(m.subject)).map((m) => m.subject)).toEqual(
      expect.arrayContaining(names.slice(1).map((n) => expect.stringContaining(n))),
    );
    expect(mails.some((m) => /Welcome/.test(m.subject))).toBe(true);

    const detail = await eventually(
      () => t.http.get(`/api/v1/applications/${app.id}`).set(auth(w.recruiter.token)),
      (r) => !!r.body.lastContactAt,
    );
    expect(detail.body.lastContactAt).toBeTruthy();
    const events = (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body as Array<{ type: string }>;
    expect(events[0].type).toBe('application.created');
    expect(events.filter((e) => e.type === 'stage.changed')).toHaveLength(5);
    expect(events.filter((e) => e.type === 'message.queued')).toHaveLength(8);
    await eventually(
      async () => (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body,
      (b: any[]) => b.filter((e) => e.type === 'message.sent').length === 8,
    );
    const msgs = (await t.http.get(`/api/v1/applications/${app.id}/messages`).set(auth(w.recruiter.token))).body;
    // The hire and the survey are queued in one transaction, possibly in the same millisecond: the
    // thread orders them by time, so either may come first.
    const templates = msgs.map((m: { template: string }) => m.template);
    expect([...templates.slice(-2)].sort()).toEqual(['experience_survey', 'hired']);
    expect(templates.slice(0, -2)).toEqual([
      'first_contact',
      'stage_changed',
      'stage_changed',
      'stage_changed',
      'stage_changed',
      'stage_changed',
    ]);

    // Nothing moves out of a terminal status.
    const after = await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to: 'offer' });
    expect(after.status).toBe(409);
    expect(after.body.message).toMatch(/hired/);
  });

  it('a message the SMTP server accepted while the database went away is recorded when it is back, and never sent twice', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Dorothy Vaughan' });
    const database = new URL(t.url).pathname.slice(1);
    const admin = new Client({ connectionString: process.env.TEST_PG_SERVER_URL });
    await admin.connect();
    const allow = () => admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`);
    let broke = false;
    // Between the SMTP server's 250 and the worker's UPDATE … 'sent': the database goes away for 8 s.
    smtp.beforeAccept = async (mail) => {
      if (broke || mail.to !== c.email) return;
      broke = true;
      await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [
        database,
      ]);
      setTimeout(() => void allow(), 8000);
    };
    try {
      const app = await makeApplication(t, w, opening.id, c.id);
      const status = async () => {
        try {
          return (await t.db.query(`SELECT status FROM messages WHERE application_id = $1`, [app.id]))[0]?.status as string | undefined;
        } catch {
          return 'database unreachable';
        }
      };
      expect(await eventually(status, (s) => s === 'sent', 40_000)).toBe('sent');
      expect(broke).toBe(true);
      // A failed job would have been retried (5 s backoff) and sent the message again by now.
      await new Promise((r) => setTimeout(r, 12_000));
      expect(smtp.to(c.email)).toHaveLength(1);
      const events = (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body as Array<{
        type: string;
      }>;
      expect(events.filter((e) => e.type === 'message.sent')).toHaveLength(1);
    } finally {
      smtp.beforeAccept = undefined;
      await allow();
      await admin.end();
    }
  }, 90_000);

  it('refuses duplicates: candidate e-mail ignoring case, and a second application to one opening', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w);
    const dup = await t.http
      .post('/api/v1/candidates')
      .set(auth(w.recruiter.token))
      .send({ name: 'Again', email: c.email.toUpperCase(), timezone: 'UTC', source: { kind: 'direct' } });
    expect(dup.status).toBe(409);
    expect(dup.body.existingId).toBe(c.id);
    const app = await makeApplication(t, w, opening.id, c.id);
    const again = await t.http.post('/api/v1/applications').set(auth(w.recruiter.token)).send({ candidateId: c.id, openingId: opening.id });
    expect(again.status).toBe(409);
    expect(again.body.existingId).toBe(app.id);
    const badTz = await t.http
      .post('/api/v1/candidates')
      .set(auth(w.recruiter.token))
      .send({ name: 'X', email: 'x-tz@example.com', timezone: 'Europe/Atlantis', source: { kind: 'direct' } });
    expect(badTz.status).toBe(400);
    expect(badTz.body.message).toMatch(/timezone/);
    const referral = await t.http
      .post('/api/v1/candidates')
      .set(auth(w.recruiter.token))
      .send({ name: 'R', email: 'r-ref@example.com', timezone: 'UTC', source: { kind: 'referral' } });
    expect(referral.status).toBe(400);
    expect(referral.body.message).toMatch(/referrerId/);
  });

  it('enforces the transition rules: skips need a note, skipping the take-home needs an exemption', async () => {
    const opening = await makeOpening(t, w);
    const app = await makeApplication(t, w, opening.id, (await makeCandidate(t, w)).id);
    const url = `/api/v1/applications/${app.id}/transitions`;
    const move = (body: object) => t.http.post(url).set(auth(w.recruiter.token)).send(body);
    const skip = await move({ to: 'take_home' });
    expect(skip.status).toBe(422);
    expect(skip.body.message).toMatch(/note/i);
    expect((await move({ to: 'take_home', note: 'Manager call done informally at a meetup' })).status).toBe(200);
    expect((await move({ to: 'manager_call' })).status).toBe(200); // back is always fine
    const noExemption = await move({ to: 'code_review', note: 'very senior' });
    expect(noExemption.status).toBe(422);
    expect(noExemption.body.message).toMatch(/exemption/i);
    const ex = await t.http
      .post(`/api/v1/applications/${app.id}/exemptions`)
      .set(auth(w.recruiter.token))
      .send({ kind: 'public_code', url: 'https://github.com/example/lib', reason: 'Maintainer of a widely used library' });
    expect(ex.status).toBe(201);
    // The exemption itself moves the application on to the code review (skipping only the take-home).
    expect((await t.http.get(`/api/v1/applications/${app.id}`).set(auth(w.recruiter.token))).body.stage).toBe('code_review');
    const events = (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body as Array<{
      type: string;
      data: any;
    }>;
    expect(events.filter((e) => e.type === 'stage.changed').pop()!.data).toMatchObject({
      from: 'manager_call',
      to: 'code_review',
      skipped: ['take_home'],
      usedPublicCodeExemption: true,
    });
    expect((await move({ to: 'astrology' })).status).toBe(400);
  });

  it('serializes 20 simultaneous moves: exactly one wins, the rest get 409, one event is written', async () => {
    const opening = await makeOpening(t, w);
    const app = await makeApplication(t, w, opening.id, (await makeCandidate(t, w)).id);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to: 'manager_call' }),
      ),
    );
    const codes = results.map((r) => r.status).sort();
    const odd = results
      .filter((r) => r.status !== 200 && r.status !== 409)
      .map((r) => `${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    expect(odd).toEqual([]);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    const events = (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body as Array<{ type: string }>;
    expect(events.filter((e) => e.type === 'stage.changed')).toHaveLength(1);
    const msgs = (await t.http.get(`/api/v1/applications/${app.id}/messages`).set(auth(w.recruiter.token))).body as Array<{
      template: string;
    }>;
    expect(msgs.filter((m) => m.template === 'stage_changed')).toHaveLength(1);
  });

  it('refuses a template that does not compile or names an unknown variable, and uses a valid override', async () => {
    const opening = await makeOpening(t, w);
    const put = (body: object) =>
      t.http.put(`/api/v1/openings/${opening.id}/templates/first_contact`).set(auth(w.recruiter.token)).send(body);
    const unknownVar = await put({ subject: 'Hi {{candidate.nmae}}', html: '<p>x</p>', text: 'x' });
    expect(unknownVar.status).toBe(400);
    expect(unknownVar.body.message).toMatch(/nmae/);
    const broken = await put({ subject: 'Hi', html: '<p>{{#if candidate}}unclosed</p>', text: 'x' });
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/html/);
    const ok = await put({
      subject: 'Welcome aboard the process, {{candidate.firstName}}',
      html: '<p>Stages: {{#each stages}}{{name}}; {{/each}}</p>',
      text: 'Stages: {{#each stages}}{{name}}; {{/each}}',
    });
    expect(ok.status).toBe(200);
    const c = await makeCandidate(t, w, { name: 'Dorothy Vaughan' });
    await makeApplication(t, w, opening.id, c.id);
    const mail = await eventually(
      async () => smtp.to(c.email),
      (m) => m.length >= 1,
      15000,
    );
    expect(mail[0].subject).toBe('Welcome aboard the process, Dorothy');
    expect(mail[0].text).toMatch(/Stages: Recruiter screen; Hiring manager call;/);
  });
});
