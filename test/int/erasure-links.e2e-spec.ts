import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadEnv } from '../../src/common/config/env.schema';
import { MailService } from '../../src/communications/mail.service';
import { MailTransport } from '../../src/communications/mail-transport';
import { OutboxService } from '../../src/communications/outbox.service';
import { newPortalToken } from '../../src/assessments/domain/tokens';
import { privacyLink } from '../../src/privacy/privacy-token';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * Erasure stops everything about the person: their links answer 404, open applications are
 * withdrawn, future sessions cancelled, and a message being sent while the erasure commits
 * leaves no copy behind (mail goes to .eml files here: no SMTP_URL).
 */
describe('erasure revokes links, closes applications, cancels sessions and wins against a send', () => {
  let t: TestApp;
  let w: World;
  let mailDir: string;

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    mailDir = path.resolve(process.env.DATA_DIR!, 'mail');
    t = await createTestApp();
    w = await makeWorld(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const erase = (id: string) => t.http.post(`/api/v1/candidates/${id}/erasure`).set(auth(w.recruiter.token));
  const emlOf = (messageId: string) => (existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith(`-${messageId}.eml`)) : []);

  it('answers 404 on the portal and privacy links afterwards, withdraws her applications and cancels what was still to come', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Rosa Revoked' });
    const app = await makeApplication(t, w, opening.id, c.id);
    const token = newPortalToken();
    const [{ id: assignmentId }] = await t.db.query(
      `INSERT INTO assignments (title, runtime, instructions, time_guidance_minutes) VALUES ('Parser', 'python', 'Write it', 60) RETURNING id`,
    );
    const [{ id: versionId }] = await t.db.query(
      `INSERT INTO assignment_versions (assignment_id, version, status, instructions, time_guidance_minutes, hidden_tests, hidden_tests_sha256, hidden_test_paths, reference_solution, reference_solution_sha256, created_at)
       VALUES ($1, 1, 'published', 'Write it', 60, '\\x00', repeat('0', 64), '{tests/test_x.py}', '\\x00', repeat('0', 64), now()) RETURNING id`,
      [assignmentId],
    );
    await t.db.query(
      `INSERT INTO invitations (application_id, assignment_id, version_id, token_hash, expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, now() + interval '7 days', now(), now())`,
      [app.id, assignmentId, versionId, createHash('sha256').update(token).digest('hex')],
    );
    const session = (when: string) =>
      t.db.query(
        `INSERT INTO interview_sessions (application_id, kind, interviewer_ids, starts_at, ends_at, created_at) VALUES ($1, 'technical', $2, now() + $3::interval, now() + $3::interval + interval '1 hour', now()) RETURNING id`,
        [app.id, [w.manager.id], when],
      );
    const [[future], [past]] = [await session('2 days'), await session('-2 days')];
    const [review] = await t.db.query(
      `INSERT INTO review_sessions (dedupe_key, application_id, reviewer_id, language, starts_at, ends_at, created_at) VALUES ($1, $2, $3, 'python', now() + interval '1 day', now() + interval '25 hours', now()) RETURNING id`,
      [`erasure-test:${app.id}`, app.id, w.manager.id],
    );
    const privacy = privacyLink('', c.id, loadEnv().SESSION_SECRET);
    expect((await t.http.get(`/portal/${token}`).set('accept', 'text/html')).status).toBe(200);
    expect((await t.http.get(`/api/v1/portal/${token}`)).status).toBe(200);
    expect((await t.http.get(privacy).set('accept', 'text/html')).status).toBe(200);

    const res = await erase(c.id);
    expect(res.status).toBe(200);
    expect(res.body.closed).toEqual({ invitationsRevoked: 1, applicationsWithdrawn: 1, interviewsCancelled: 1, reviewsCancelled: 1 });

    const portalPage = await t.http.get(`/portal/${token}`).set('accept', 'text/html');
    expect(portalPage.status).toBe(404);
    expect(portalPage.text).not.toContain('Rosa');
    expect((await t.http.get(`/api/v1/portal/${token}`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/portal/${token}/status`)).status).toBe(404);
    // An upload would store personal data again: refused like an unknown link.
    const upload = await t.http.post(`/api/v1/portal/${token}/submission`).attach('file', Buffer.from('print(1)\n'), 'main.py');
    expect(upload.status).toBe(404);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM submissions WHERE application_id = $1`, [app.id]))[0].n).toBe(0);
    expect((await t.http.get(privacy).set('accept', 'text/html')).status).toBe(404);

    const [a] = await t.db.query(`SELECT status, closed_at FROM applications WHERE id = $1`, [app.id]);
    expect(a.status).toBe('withdrawn');
    expect(a.closed_at).toBeTruthy();
    const sessions = await t.db.query(`SELECT id, status FROM interview_sessions WHERE application_id = $1`, [app.id]);
    expect(Object.fromEntries(sessions.map((s: { id: string; status: string }) => [s.id, s.status]))).toEqual({
      [future.id]: 'cancelled',
      [past.id]: 'scheduled',
    });
    expect((await t.db.query(`SELECT status FROM review_sessions WHERE id = $1`, [review.id]))[0].status).toBe('cancelled');
    // The staff view of the application says so too.
    expect((await t.http.get(`/api/v1/applications/${app.id}`).set(auth(w.recruiter.token))).body.status).toBe('withdrawn');
  });

  it('waits for a send in progress, then removes its .eml: no copy outlives the erasure', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Sam Sending' });
    await makeApplication(t, w, opening.id, c.id);
    const [msg] = await t.db.query(`SELECT id FROM messages WHERE candidate_id = $1 ORDER BY created_at LIMIT 1`, [c.id]);
    const transport = t.app.get(MailTransport);
    const realSend = transport.send.bind(transport);
    let started!: () => void;
    const sending = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // The real transport (it writes the .eml), held at the door so the erasure arrives mid-send.
    transport.send = async (m) => {
      started();
      await gate;
      return realSend(m);
    };
    try {
      const delivery = t.app.get(MailService).deliver(msg.id, false);
      await sending;
      let erasedAt = 0;
      const erasure = erase(c.id).then((r) => ((erasedAt = Date.now()), r));
      await new Promise((r) => setTimeout(r, 1500));
      expect(erasedAt).toBe(0); // the erasure waits for the send holding the candidate's row
      const releasedAt = Date.now();
      release();
      expect(await delivery).toBe('sent');
      const res = await erasure;
      expect(res.status).toBe(200);
      expect(erasedAt).toBeGreaterThanOrEqual(releasedAt);
      expect(res.body.filesRemoved).toBe(1);
      expect(emlOf(msg.id)).toEqual([]);
    } finally {
      transport.send = realSend;
    }
  });

  it('does not send (nor write) a message whose candidate was erased before its turn came', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Lee Late' });
    await makeApplication(t, w, opening.id, c.id);
    const [msg] = await t.db.query(`SELECT id FROM messages WHERE candidate_id = $1 ORDER BY created_at LIMIT 1`, [c.id]);
    // A job claimed it (status 'sending') and died; the erasure then commits.
    await t.db.query(`UPDATE messages SET status = 'sending' WHERE id = $1`, [msg.id]);
    expect((await erase(c.id)).status).toBe(200);
    expect(await t.app.get(MailService).deliver(msg.id, false)).toBe('skipped');
    expect(emlOf(msg.id)).toEqual([]);
    expect((await t.db.query(`SELECT status FROM messages WHERE id = $1`, [msg.id]))[0].status).toBe('cancelled');
  });
  it('reads the message status after the candidate lock is granted: a cancellation by the lock holder is seen, nothing sent', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Cora Cancelled' });
    await makeApplication(t, w, opening.id, c.id);
    const [msg] = await t.db.query(`SELECT id FROM messages WHERE candidate_id = $1 ORDER BY created_at LIMIT 1`, [c.id]);
    // Another transaction holds the candidate's row (as an erasure does) and cancels the message
    // without changing the candidate's row: only a status read taken after the lock sees it.
    const holder = t.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT id FROM candidates WHERE id = $1 FOR UPDATE`, [c.id]);
      const delivery = t.app.get(MailService).deliver(msg.id, false);
      // The delivery claimed the message and now waits for the candidate's row. pg_stat_activity
      // shows the whole server: only this suite's database counts (another suite's delivery may
      // be waiting on a candidate lock of its own at the same moment).
      for (let i = 0; ; i++) {
        const [{ n }] = await t.db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR SHARE%' AND strpos(query, $1) > 0`,
          [c.id],
        );
        if (n > 0) break;
        if (i > 600) throw new Error('the delivery never waited for the candidate lock');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await t.db.query(`SELECT status FROM messages WHERE id = $1`, [msg.id]))[0].status).toBe('sending');
      await holder.query(`UPDATE messages SET status = 'cancelled' WHERE id = $1`, [msg.id]);
      await holder.commitTransaction();
      expect(await delivery).toBe('skipped');
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect(emlOf(msg.id)).toEqual([]);
    expect((await t.db.query(`SELECT status FROM messages WHERE id = $1`, [msg.id]))[0].status).toBe('cancelled');
  });

  it('stores a message written for an erased candidate cancelled and empty, also inside a multi-row insert beside live ones', async () => {
    const opening = await makeOpening(t, w);
    const people = [
      await makeCandidate(t, w, { name: 'Ann Before' }),
      await makeCandidate(t, w, { name: 'Erin Erased' }),
      await makeCandidate(t, w, { name: 'Kim After' }),
    ];
    const apps: Array<{ id: string }> = [];
    for (const c of people) apps.push(await makeApplication(t, w, opening.id, c.id));
    // Erin is erased after a sweep read her (the sweep skips erased candidates; this is the race).
    expect((await erase(people[1].id)).status).toBe(200);
    const tag = Date.now().toString(36);
    const rows = people.map((c, i) => ({
      input: {
        idempotencyKey: `erasure-test:${tag}:${i}`,
        template: 'checkin',
        context: {},
        to: { address: c.email, name: c.name },
        applicationId: apps[i].id,
        candidateId: c.id,
        attachments: [{ filename: `${c.name}.txt`, contentType: 'text/plain', content: 'x' }],
      },
      subject: `News for ${c.name}`,
      html: `<p>Dear ${c.name}</p>`,
      text: `Dear ${c.name}`,
      secretsEnc: null,
    }));
    // One statement writes the three rows (a sweep's page), the erased candidate's in the middle.
    const { ids } = await t.db.transaction((m) => t.app.get(OutboxService).insertPrepared(m, rows));
    expect(ids.size).toBe(3);
    const stored = async (key: string) =>
      (
        await t.db.query(
          `SELECT status, to_address, to_name, subject, html, text, attachments, last_error FROM messages WHERE idempotency_key = $1`,
          [key],
        )
      )[0];
    expect(await stored(rows[1].input.idempotencyKey)).toEqual({
      status: 'cancelled',
      to_address: `erased-${people[1].id}@invalid`,
      to_name: null,
      subject: '[erased]',
      html: '',
      text: '',
      attachments: [],
      last_error: 'recipient erased',
    });
    for (const i of [0, 2])
      expect(await stored(rows[i].input.idempotencyKey)).toEqual({
        status: 'queued',
        to_address: people[i].email,
        to_name: people[i].name,
        subject: `News for ${people[i].name}`,
        html: `<p>Dear ${people[i].name}</p>`,
        text: `Dear ${people[i].name}`,
        attachments: [{ filename: `${people[i].name}.txt`, contentType: 'text/plain', content: 'x' }],
        last_error: null,
      });
    // A row on its own is treated the same; its delivery sends nothing.
    const [{ id: lone }] = await t.db.query(
      `INSERT INTO messages (idempotency_key, application_id, candidate_id, to_address, to_name, template, subject, html, text, created_at)
       VALUES ($1, $2, $3, $4, 'Erin Erased', 'checkin', 'Hello Erin', '<p>Erin</p>', 'Erin', now()) RETURNING id`,
      [`erasure-test:${tag}:lone`, apps[1].id, people[1].id, people[1].email],
    );
    expect(await stored(`erasure-test:${tag}:lone`)).toMatchObject({ status: 'cancelled', subject: '[erased]', html: '', text: '' });
    expect(await t.app.get(MailService).deliver(lone, false)).toBe('skipped');
    expect(emlOf(lone)).toEqual([]);
    // Nothing committed about her names her.
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM messages WHERE candidate_id = $1 AND (subject || html || text || coalesce(to_name, '') || to_address || attachments::text) ~* 'erin|@example'`,
      [people[1].id],
    );
    expect(n).toBe(0);
  });
});
