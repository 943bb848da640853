import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { loadEnv } from '../../src/common/config/env.schema';
import { reveal } from '../../src/communications/domain/message-secrets';
import { Role } from '../../src/identity/user.entity';
import { packFiles } from '../../src/sandbox/tar';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/** Every place in the database a value occurs: each text, varchar, char, array, json(b) and bytea column of every table. */
async function traces(db: Client, needles: string[]): Promise<string[]> {
  const cols = (
    await db.query(
      `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema() AND c.data_type IN ('text','character varying','character','jsonb','json','bytea','ARRAY')`,
    )
  ).rows as Array<{ table_name: string; column_name: string; data_type: string }>;
  const hits: string[] = [];
  for (const c of cols) {
    const col = `"${c.column_name}"`;
    const cond =
      c.data_type === 'bytea'
        ? `position(convert_to($1, 'UTF8') IN ${col}) > 0`
        : c.data_type === 'ARRAY'
          ? `strpos(lower(array_to_string(${col}::text[], ' ')), lower($1)) > 0`
          : `strpos(lower(${col}::text), lower($1)) > 0`;
    for (const n of needles) {
      const r = await db.query(`SELECT count(*)::int AS n FROM "${c.table_name}" WHERE ${cond}`, [n]);
      if (r.rows[0].n > 0) hits.push(`${c.table_name}.${c.column_name} ∋ ${n} (${r.rows[0].n})`);
    }
  }
  return hits;
}

describe('privacy: export, erasure (staff, candidate link, retention) with funnel numbers intact', () => {
  let t: TestApp;
  let w: World;
  let db: Client;
  let dataDir: string;
  const tag = randomBytes(3).toString('hex');
  const person = {
    name: 'Zelda Quimby-Marsh',
    email: `zelda.qm-${tag}@example.com`,
    phone: '+1 555 0100 777',
    publicCodeUrl: `https://github.com/zeldaqm-${tag}`,
  };

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test', RETENTION_MONTHS: undefined });
    dataDir = process.env.DATA_DIR!;
    t = await createTestApp();
    w = await makeWorld(t);
    db = new Client({ connectionString: t.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const sweep = (at: Date) => t.app.get(SweepRegistry).runAll(at);
  const rec = () => auth(w.recruiter.token);
  const funnel = async () =>
    (await db.query(`SELECT opening_id, stage, status, count(*)::int AS n FROM applications GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)).rows;
  const eventCounts = async () =>
    (await db.query(`SELECT type, count(*)::int AS n, min(at) AS first, max(at) AS last FROM application_events GROUP BY 1 ORDER BY 1`))
      .rows;

  /** A candidate with a record in every kind of table: pipeline, screening, take-home, review, interview, offer, alert, audit, mail copy, and a table added "later". */
  async function richCandidate() {
    const o1 = await makeOpening(t, w);
    const o2 = await makeOpening(t, w);
    const c = await makeCandidate(t, w, person);
    const control = await makeCandidate(t, w, { name: 'Yannick Control' });
    await makeApplication(t, w, o1.id, control.id);
    const appA = await makeApplication(t, w, o1.id, c.id);
    const appB = await makeApplication(t, w, o2.id, c.id);
    const form = (await t.http.get(`/api/v1/openings/${o1.id}/screening-form`).set(rec())).body as { questions: Array<{ id: string }> };
    const screened = await t.http
      .post(`/api/v1/applications/${appA.id}/screenings`)
      .set(rec())
      .send({
        answers: form.questions.map((q, i) => ({
          questionId: q.id,
          given: i === 0 ? 'Zelda Quimby-Marsh says: web browsers' : 'no idea',
          note: i === 0 ? 'Zelda hesitated' : undefined,
        })),
        checklist: { processExplained: true, compensationDiscussed: true, nextJobAnswer: 'Zelda wants to lead a team' },
      });
    expect(screened.status).toBe(201);
    await t.http
      .post(`/api/v1/applications/${appA.id}/notes`)
      .set(rec())
      .send({ text: 'Zelda Quimby-Marsh was sharp; call her on +1 555 0100 777' })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const ex = await t.http
      .post(`/api/v1/applications/${appA.id}/exemptions`)
      .set(rec())
      .send({ kind: 'public_code', url: person.publicCodeUrl, reason: 'Zelda maintains a parser library' });
    expect(ex.status).toBe(201);
    await t.http.post(`/api/v1/applications/${appA.id}/transitions`).set(rec()).send({ to: 'manager_call' }).expect(200);

    // Take-home records (rows as the assessments module writes them).
    const archive = await packFiles([
      { path: 'README.md', content: Buffer.from(`Solution by ${person.name} <${person.email}>\n`) },
      { path: 'src/main.py', content: Buffer.from('print(1)\n') },
    ]);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const [{ id: assignmentId }] = (
      await db.query(
        `INSERT INTO assignments (title, runtime, instructions, time_guidance_minutes) VALUES ('Parser', 'python', 'Write it', 60) RETURNING id`,
      )
    ).rows;
    const [{ id: versionId }] = (
      await db.query(
        `INSERT INTO assignment_versions (assignment_id, version, instructions, time_guidance_minutes, hidden_tests, hidden_tests_sha256, hidden_test_paths, reference_solution, reference_solution_sha256, created_at)
       VALUES ($1, 1, 'Write it', 60, $2, $3, '{tests/test_x.py}', $2, $3, now()) RETURNING id`,
        [assignmentId, Buffer.from('not a candidate file'), sha(Buffer.from('not a candidate file'))],
      )
    ).rows;
    const [{ id: invitationId }] = (
      await db.query(
        `INSERT INTO invitations (application_id, assignment_id, version_id, token_hash, expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, now() + interval '7 days', now(), now()) RETURNING id`,
        [appA.id, assignmentId, versionId, sha(Buffer.from(tag))],
      )
    ).rows;
    await db.query(
      `INSERT INTO attestations (invitation_id, full_name, statement, signed_at, ip, user_agent) VALUES ($1, 'Zelda Q. Marsh', 'I, Zelda Q. Marsh, did this alone', now(), '203.0.113.7', 'Mozilla/5.0 ZeldaBook')`,
      [invitationId],
    );
    const [{ id: submissionId }] = (
      await db.query(
        `INSERT INTO submissions (invitation_id, application_id, version_id, seq, status, archive, sha256, size_bytes, format, file_count, original_filename, result, created_at, updated_at)
       VALUES ($1, $2, $3, 1, 'graded', $4, $5, $6, 'tar', 2, 'zelda-quimby-marsh.tar', $7, now(), now()) RETURNING id`,
        [
          invitationId,
          appA.id,
          versionId,
          archive,
          sha(archive),
          archive.length,
          JSON.stringify({ status: 'passed', total: 3, passed: 3, failed: 0, logs: `hello from ${person.name}`, tests: [] }),
        ],
      )
    ).rows;
    await db.query(
      `INSERT INTO assignment_feedback (invitation_id, version_id, application_id, clarity, minutes_spent, comments, created_at) VALUES ($1, $2, $3, 4, 90, 'Zelda Quimby-Marsh: fun task', now())`,
      [invitationId, versionId, appA.id],
    );
    await db.query(
      `INSERT INTO review_sessions (dedupe_key, application_id, submission_id, reviewer_id, language, starts_at, ends_at, status, notes, created_at)
       VALUES ($1, $2, $3, $4, 'python', now() + interval '1 day', now() + interval '25 hours', 'completed', 'Zelda Quimby-Marsh writes clean code', now())`,
      [`review:${appA.id}`, appA.id, submissionId, w.manager.id],
    );
    await db.query(
      `INSERT INTO interview_sessions (application_id, kind, interviewer_ids, starts_at, ends_at, status, created_at, cancel_reason) VALUES ($1, 'technical', $2, now() + interval '2 days', now() + interval '49 hours', 'cancelled', now(), 'Zelda asked to move it')`,
      [appA.id, [w.manager.id]],
    );
    await db.query(
      `INSERT INTO offers (application_id, amount, currency, stage, range_min, range_max, overridden, outside, override_reason, created_by, created_at)
       VALUES ($1, 130000, 'EUR', 'manager_call', 90000, 120000, true, 'above_range', 'Zelda Quimby-Marsh has a competing offer', $2, now())`,
      [appA.id, w.manager.id],
    );
    // A table another module adds later, unknown to the erasure code.
    await db.query(
      `CREATE TABLE IF NOT EXISTS later_uploads (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), application_id uuid NOT NULL REFERENCES applications(id), reason text NOT NULL CHECK (reason IN ('cv','letter')), body text NOT NULL, blob bytea NOT NULL, meta jsonb)`,
    );
    await db.query(`INSERT INTO later_uploads (application_id, reason, body, blob, meta) VALUES ($1, 'cv', $2, $3, $4)`, [
      appA.id,
      `CV of ${person.name}`,
      Buffer.from(`%PDF ${person.name} ${person.email}`),
      JSON.stringify({ author: person.name, contact: person.email }),
    ]);
    // A stale alert and a manager's digest naming her (sweep 20 days on), and a copy of a sent e-mail on disk.
    await sweep(new Date(Date.now() + 20 * 86400_000));
    const [msg] = (await db.query(`SELECT id FROM messages WHERE candidate_id = $1 ORDER BY created_at LIMIT 1`, [c.id])).rows;
    mkdirSync(path.resolve(dataDir, 'mail'), { recursive: true });
    const eml = path.resolve(dataDir, 'mail', `2026-01-01T00-00-00-000Z-first_contact-${msg.id}.eml`);
    writeFileSync(eml, `To: ${person.name} <${person.email}>\n\nHi Zelda`);
    return { c, control, appA, appB, o1, o2, eml, submissionId };
  }

  it('exports every kind of record about a candidate, then erases her everywhere while the funnel stays the same', async () => {
    const { c, appA, appB, eml } = await richCandidate();
    expect((await t.http.get(`/api/v1/candidates/${c.id}/export`).set(auth((await t.login([Role.Engineer])).token))).status).toBe(403);
    const exp = await t.http.get(`/api/v1/candidates/${c.id}/export`).set(rec());
    expect(exp.status).toBe(200);
    const x = exp.body;
    expect(x.candidate).toMatchObject({ id: c.id, name: person.name, email: person.email, phone: person.phone });
    expect(x.applications.map((a: any) => a.id).sort()).toEqual([appA.id, appB.id].sort());
    expect(x.events.map((e: any) => e.type)).toEqual(
      expect.arrayContaining([
        'application.created',
        'screening.completed',
        'note.added',
        'exemption.recorded',
        'stage.changed',
        'alert.raised',
      ]),
    );
    expect(x.messages.length).toBeGreaterThanOrEqual(3);
    expect(x.screeningSessions).toHaveLength(1);
    expect(x.screeningSessions[0].answers[0].given).toMatch(/web browsers/);
    expect(x.submissions).toHaveLength(1);
    expect(x.submissions[0]).toMatchObject({
      originalFilename: 'zelda-quimby-marsh.tar',
      archiveBytes: expect.any(Number),
      files: [
        { path: 'README.md', bytes: expect.any(Number) },
        { path: 'src/main.py', bytes: 9 },
      ],
    });
    expect(x.submissions[0].archive).toBeUndefined();
    for (const k of ['reviews', 'interviews', 'offers', 'exemptions', 'invitations', 'attestations', 'assignmentFeedback', 'alerts'])
      expect({ k, n: x[k].length }).toEqual({ k, n: expect.any(Number) });
    for (const k of ['reviews', 'interviews', 'offers', 'exemptions', 'invitations', 'attestations', 'assignmentFeedback', 'alerts'])
      expect({ k, empty: x[k].length === 0 }).toEqual({ k, empty: false });
    expect(x.invitations[0].tokenHash).toBeUndefined();
    expect(x.other.later_uploads[0]).toMatchObject({ reason: 'cv', blobBytes: expect.any(Number) });
    expect(x.retention.keptUntil).toBeNull(); // an application is still active

    const needles = [person.email, person.name, 'Quimby', 'Zelda', person.phone, person.publicCodeUrl, 'ZeldaBook', '203.0.113.7'];
    expect((await traces(db, needles)).length).toBeGreaterThan(10); // the search finds her before
    const before = {
      funnel: await funnel(),
      events: await eventCounts(),
      alerts: (await db.query(`SELECT count(*)::int AS n FROM alerts`)).rows[0].n,
    };
    expect(existsSync(eml)).toBe(true);

    const erased = await t.http.post(`/api/v1/candidates/${c.id}/erasure`).set(rec());
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ candidateId: c.id, alreadyErased: false, genericTables: ['later_uploads'], filesRemoved: 1 });
    // A free-text column of the unknown table under a CHECK cannot be emptied: reported, the other columns are.
    expect(erased.body.warnings).toEqual([expect.stringMatching(/^later_uploads\.reason is under a CHECK constraint/)]);

    expect(await traces(db, needles)).toEqual([]);
    expect((await traces(db, ['Yannick Control'])).length).toBeGreaterThan(0); // others untouched
    expect(existsSync(eml)).toBe(false);
    // The funnel keeps every application at its stage; hers are withdrawn (nothing goes on about
    // an erased person), each with an application.withdrawn event, and her take-home link is revoked.
    const withoutStatus = (rows: Array<Record<string, unknown>>) => rows.map(({ status: _s, ...r }) => r);
    expect(withoutStatus(await funnel())).toEqual(withoutStatus(before.funnel));
    expect(
      (await db.query(`SELECT status, closed_at IS NOT NULL AS closed FROM applications WHERE candidate_id = $1`, [c.id])).rows,
    ).toEqual([
      { status: 'withdrawn', closed: true },
      { status: 'withdrawn', closed: true },
    ]);
    expect(erased.body.closed).toMatchObject({ applicationsWithdrawn: 2, invitationsRevoked: 1 });
    const notWithdrawn = (rows: Array<{ type: string }>) => rows.filter((r) => r.type !== 'application.withdrawn');
    expect(notWithdrawn(await eventCounts())).toEqual(notWithdrawn(before.events));
    expect(
      (
        await db.query(
          `SELECT count(*)::int AS n FROM application_events WHERE type = 'application.withdrawn' AND application_id = ANY($1::uuid[]) AND data->>'reason' = 'erasure'`,
          [[appA.id, appB.id]],
        )
      ).rows[0].n,
    ).toBe(2);
    expect((await db.query(`SELECT count(*)::int AS n FROM alerts`)).rows[0].n).toBe(before.alerts);
    const row = (await t.http.get(`/api/v1/candidates/${c.id}`).set(rec())).body;
    expect(row).toMatchObject({ id: c.id, name: 'Erased candidate', email: `erased-${c.id}@invalid`, phone: null });
    expect(row.anonymizedAt).toBeTruthy();
    const statuses = (await db.query(`SELECT status, count(*)::int AS n FROM messages WHERE candidate_id = $1 GROUP BY 1`, [c.id])).rows;
    expect(statuses.filter((s) => s.status === 'queued' || s.status === 'sending')).toEqual([]);
    expect(statuses.find((s) => s.status === 'cancelled')?.n).toBeGreaterThan(0);
    expect((await db.query(`SELECT octet_length(archive) AS n FROM submissions WHERE application_id = $1`, [appA.id])).rows[0].n).toBe(0);
    expect((await db.query(`SELECT result FROM submissions WHERE application_id = $1`, [appA.id])).rows[0].result).toMatchObject({
      status: 'passed',
      total: 3,
      passed: 3,
    });

    // Her applications are closed: no further move (and so no further message) about her.
    expect((await t.http.post(`/api/v1/applications/${appB.id}/transitions`).set(rec()).send({ to: 'manager_call' })).status).toBe(409);
    const again = await t.http.post(`/api/v1/candidates/${c.id}/erasure`).set(rec());
    expect(again.body).toMatchObject({ alreadyErased: true });
    expect((await db.query(`SELECT requested_via, requested_by FROM erasures WHERE candidate_id = $1`, [c.id])).rows).toEqual([
      { requested_via: 'staff', requested_by: w.recruiter.id },
    ]);
    expect((await t.http.get(`/api/v1/candidates/${c.id}/export`).set(rec())).body.candidate.name).toBe('Erased candidate');
  });

  it('lets the candidate erase herself from the signed link in every e-mail, after confirming', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name: 'Petra Linkova' });
    const other = await makeCandidate(t, w, { name: 'Olaf Other' });
    await makeApplication(t, w, opening.id, c.id);
    const [m] = (await db.query(`SELECT text, html, secrets_enc FROM messages WHERE candidate_id = $1`, [c.id])).rows;
    // The stored copy links to the page with the secret hidden; the secret travels sealed and is
    // put back only when the message is handed to SMTP.
    expect(m.text).toContain(`http://hiring.test/privacy/${c.id}?t=[hidden]`);
    expect(m.html).toContain(`/privacy/${c.id}?t&#x3D;[hidden]`);
    const token = new RegExp(`/privacy/${c.id}\\?t=([A-Za-z0-9_-]{43})`).exec(
      reveal(loadEnv().SESSION_SECRET, { html: m.html, text: m.text, secretsEnc: m.secrets_enc }).text,
    )![1];
    expect(JSON.stringify(m)).not.toContain(token);
    const page = (q: string) => t.http.get(`/privacy/${c.id}${q}`).set('accept', 'text/html');
    expect((await page('')).status).toBe(404);
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`; // always a different token
    expect(tampered).not.toBe(token);
    expect((await page(`?t=${tampered}`)).status).toBe(404);
    expect((await t.http.get(`/privacy/${other.id}?t=${token}`)).status).toBe(404); // the token is bound to its candidate
    const ok = await page(`?t=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.text).toContain('Petra Linkova');
    expect(ok.text).toMatch(/name="confirm"/);
    const mine = await t.http.get(`/privacy/${c.id}/export?t=${token}`);
    expect(mine.status).toBe(200);
    expect(JSON.parse(mine.text).candidate.name).toBe('Petra Linkova');

    const unconfirmed = await t.http.post(`/privacy/${c.id}`).type('form').send({ t: token });
    expect(unconfirmed.status).toBe(400);
    expect((await db.query(`SELECT anonymized_at FROM candidates WHERE id = $1`, [c.id])).rows[0].anonymized_at).toBeNull();
    expect((await t.http.post(`/privacy/${c.id}`).type('form').send({ t: 'forged', confirm: 'yes' })).status).toBe(404);
    const done = await t.http.post(`/privacy/${c.id}`).type('form').send({ t: token, confirm: 'yes' });
    expect(done.status).toBe(200);
    expect(done.text).toMatch(/has been erased/);
    expect(await traces(db, ['Petra Linkova', 'Linkova'])).toEqual([]);
    expect((await db.query(`SELECT requested_via FROM erasures WHERE candidate_id = $1`, [c.id])).rows).toEqual([
      { requested_via: 'candidate' },
    ]);
    // The link is revoked: 404 (saying why), for the page, the export and another erasure.
    const afterwards = await page(`?t=${token}`);
    expect(afterwards.status).toBe(404);
    expect(afterwards.text).toMatch(/was erased/);
    expect((await t.http.get(`/privacy/${c.id}/export?t=${token}`)).status).toBe(404);
    expect((await t.http.post(`/privacy/${c.id}`).type('form').send({ t: token, confirm: 'yes' })).status).toBe(404);
  });

  it('anonymises candidates when their retention expires: per opening, global setting, consent, never while active', async () => {
    const short = await makeOpening(t, w);
    const normal = await makeOpening(t, w);
    const set = await t.http.put(`/api/v1/openings/${short.id}/retention`).set(rec()).send({ months: 6 });
    expect(set.body).toEqual({ openingId: short.id, months: 6, effectiveMonths: 6 });
    expect((await t.http.put(`/api/v1/openings/${short.id}/retention`).set(rec()).send({ months: 0 })).status).toBe(400);
    const closedIn = async (openingId: string, name: string) => {
      const c = await makeCandidate(t, w, { name });
      const a = await makeApplication(t, w, openingId, c.id);
      await t.http.post(`/api/v1/applications/${a.id}/reject`).set(rec()).send({ reason: 'Not now' }).expect(200);
      return c;
    };
    const r1 = await closedIn(short.id, 'Rita Six');
    const r2 = await closedIn(normal.id, 'Rolf Default');
    const r4 = await closedIn(short.id, 'Rosa Consent');
    const consent = await t.http.put(`/api/v1/candidates/${r4.id}/consent`).set(rec()).send({ given: true });
    expect(consent.status).toBe(200);
    expect(consent.body.consentAt).toBeTruthy();
    const r3 = await makeCandidate(t, w, { name: 'Ravi Active' });
    await makeApplication(t, w, short.id, r3.id);
    const anonymized = async () =>
      new Set(
        (
          await db.query(`SELECT id FROM candidates WHERE anonymized_at IS NOT NULL AND id = ANY($1)`, [[r1.id, r2.id, r3.id, r4.id]])
        ).rows.map((r) => r.id),
      );
    const month = 30.5 * 86400_000;

    // Every candidate here was created within the shortest period (6 months): the sweep looks at none.
    const young = await sweep(new Date(Date.now() + 5 * month));
    expect(young.retention).toMatchObject({ erased: 0, failed: 0, checked: 0 });
    expect(await anonymized()).toEqual(new Set());
    const report = await sweep(new Date(Date.now() + 6 * month + 3 * 86400_000));
    expect(report.retention.erased).toBeGreaterThanOrEqual(1);
    // r1-r3 were created 6 months ago and are looked at (r3 is active, r2 under the default period); r4 consented since.
    expect(report.retention.checked).toBeGreaterThanOrEqual(3);
    expect(await anonymized()).toEqual(new Set([r1.id]));
    expect(await traces(db, ['Rita Six'])).toEqual([]);
    expect((await db.query(`SELECT requested_via FROM erasures WHERE candidate_id = $1`, [r1.id])).rows).toEqual([
      { requested_via: 'retention' },
    ]);

    // The global default (24 months) lowered to 12 by an admin: the other closed ones expire at 12 months; an active one never does.
    expect((await t.http.put('/api/v1/settings/retention').set(rec()).send({ defaultMonths: 12 })).status).toBe(403);
    expect((await t.http.put('/api/v1/settings/retention').set(auth(w.admin.token)).send({ defaultMonths: 12 })).body).toEqual({
      defaultMonths: 12,
      source: 'setting',
    });
    await sweep(new Date(Date.now() + 11 * month));
    expect(await anonymized()).toEqual(new Set([r1.id]));
    await sweep(new Date(Date.now() + 12 * month + 3 * 86400_000));
    expect(await anonymized()).toEqual(new Set([r1.id, r2.id, r4.id]));
    await sweep(new Date(Date.now() + 60 * month));
    expect(await anonymized()).toEqual(new Set([r1.id, r2.id, r4.id]));
  });
});
