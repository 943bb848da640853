import { Clock } from '../../src/common/clock/clock';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { MailService } from '../../src/communications/mail.service';
import { Role } from '../../src/identity/user.entity';
import { DataSource } from 'typeorm';
import { ENV } from '../../src/common/config/config.module';
import { Env, publicUrl } from '../../src/common/config/env.schema';
import { protect } from '../../src/communications/domain/message-secrets';
import { TemplateService } from '../../src/communications/template.service';
import { Opening } from '../../src/openings/opening.entity';
import { candidateMessageContext } from '../../src/pipeline/message-context';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

describe('sweeps as of chosen instants', () => {
  let t: TestApp;
  let w: World;
  let sweep: (iso: string) => Promise<Record<string, Record<string, number>>>;
  let clock: Clock;

  beforeAll(async () => {
    // Pages of 3 rows: every sweep below reads, decides and writes over several pages.
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test', SWEEP_PAGE_SIZE: '3' });
    t = await createTestApp();
    w = await makeWorld(t);
    clock = t.app.get(Clock);
    const registry = t.app.get(SweepRegistry);
    sweep = (iso) => registry.runAll(new Date(iso));
  });
  afterAll(async () => {
    clock.reset();
    await t?.close();
  });

  const at = async <T>(iso: string, fn: () => Promise<T>): Promise<T> => {
    clock.set(new Date(iso));
    try {
      return await fn();
    } finally {
      clock.reset();
    }
  };
  const messagesOf = async (appId: string) =>
    (await t.http.get(`/api/v1/applications/${appId}/messages`).set(auth(w.recruiter.token))).body as Array<{
      id: string;
      template: string;
    }>;
  const eventsOf = async (appId: string) =>
    (await t.http.get(`/api/v1/applications/${appId}/events`).set(auth(w.recruiter.token))).body as Array<{ type: string; data: any }>;

  it('sends exactly one check-in after the SLA, none on a second run, and weekend days are not counted', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { timezone: 'UTC' });
    // Thursday 10:00 UTC: SLA 3 business days -> due Tuesday 10:00 (Sat and Sun skipped).
    const app = await at('2027-01-07T10:00:00Z', () => makeApplication(t, w, opening.id, c.id));
    await sweep('2027-01-11T10:00:00Z'); // Monday: 4 calendar days, 2 business days
    expect((await messagesOf(app.id)).filter((m) => m.template === 'checkin')).toHaveLength(0);
    await sweep('2027-01-12T09:59:00Z');
    expect((await messagesOf(app.id)).filter((m) => m.template === 'checkin')).toHaveLength(0);
    await sweep('2027-01-12T10:00:00Z');
    await sweep('2027-01-12T10:00:00Z');
    await sweep('2027-01-12T16:00:00Z');
    const checkins = (await messagesOf(app.id)).filter((m) => m.template === 'checkin');
    expect(checkins).toHaveLength(1);
    expect((await eventsOf(app.id)).filter((e) => e.type === 'sla.checkin_sent')).toHaveLength(1);
    // Once sent, the check-in is a contact: the next one is due 3 business days later.
    await at('2027-01-12T10:05:00Z', () => t.app.get(MailService).deliver(checkins[0].id, false));
    await sweep('2027-01-14T10:05:00Z');
    expect((await messagesOf(app.id)).filter((m) => m.template === 'checkin')).toHaveLength(1);
    await sweep('2027-01-15T10:06:00Z');
    expect((await messagesOf(app.id)).filter((m) => m.template === 'checkin')).toHaveLength(2);
  });

  it("uses each opening's own check-in override, read for many openings at once, and the file template elsewhere", async () => {
    const custom = await makeOpening(t, w, { title: 'Override Opening' });
    const plain = await makeOpening(t, w, { title: 'Plain Opening' });
    const put = await t.http.put(`/api/v1/openings/${custom.id}/templates/checkin`).set(auth(w.recruiter.token)).send({
      subject: 'Custom news for {{candidate.firstName}}',
      html: '<p>Custom {{candidate.name}}</p>',
      text: 'Custom {{candidate.name}}',
    });
    expect(put.status).toBe(200);
    const a1 = await at('2027-04-05T10:00:00Z', async () =>
      makeApplication(t, w, custom.id, (await makeCandidate(t, w, { name: 'Ada Override', timezone: 'UTC' })).id),
    );
    const a2 = await at('2027-04-05T10:00:00Z', async () =>
      makeApplication(t, w, plain.id, (await makeCandidate(t, w, { name: 'Bo Plain', timezone: 'UTC' })).id),
    );
    await sweep('2027-04-12T10:00:00Z');
    const subjects: Array<{ application_id: string; subject: string; text: string }> = await t.db.query(
      `SELECT application_id, subject, text FROM messages WHERE template = 'checkin' AND application_id = ANY($1)`,
      [[a1.id, a2.id]],
    );
    expect(subjects).toHaveLength(2);
    const byApp = new Map(subjects.map((m) => [m.application_id, m]));
    expect(byApp.get(a1.id)!.subject).toBe('Custom news for Ada');
    expect(byApp.get(a1.id)!.text).toContain('Custom Ada Override');
    expect(byApp.get(a2.id)!.subject).toBe('Plain Opening: no news yet, here is where we are');
    // The page's events, written in one insert, keep their order, instant and data on each timeline.
    const [msg] = await t.db.query(`SELECT id FROM messages WHERE template = 'checkin' AND application_id = $1`, [a1.id]);
    const timeline = (await eventsOf(a1.id)).filter((e) => e.data?.messageId === msg.id);
    expect(timeline.map((e) => [e.type, e.data.messageId])).toEqual([
      ['message.queued', msg.id],
      ['sla.checkin_sent', msg.id],
    ]);
    expect(timeline[0].data.subject).toBe('Custom news for Ada');
    expect(new Date((timeline[1] as { at?: string }).at ?? 0).toISOString()).toBe('2027-04-12T10:00:00.000Z');
  });

  it('recording a mail as sent locks the application before the message, as an erasure does: the two wait for each other, never deadlock', async () => {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { timezone: 'UTC' });
    const app = await makeApplication(t, w, opening.id, c.id);
    const [msg] = (await messagesOf(app.id)).filter((m) => m.template === 'first_contact');
    expect(msg).toBeDefined();
    const other = t.app.get(DataSource).createQueryRunner();
    await other.connect();
    try {
      // Another writer of both rows, in an erasure's order: the application, then its messages.
      // Its deadlock check fires first (20 ms), so a lock-order cycle would fail it, not the delivery.
      await other.startTransaction();
      await other.query(`SET LOCAL deadlock_timeout = '20ms'`);
      await other.query(`UPDATE applications SET updated_at = updated_at WHERE id = $1`, [app.id]);
      const delivery = t.app.get(MailService).deliver(msg.id, false);
      // Until the delivery's 'sent' record waits for the application's row.
      for (let i = 0; ; i++) {
        const [{ n }] = await t.db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE messages SET status = ''sent''%'`,
        );
        if (n) break;
        // Without the wait, the case would pass without the interleaving it is about.
        if (i > 1200) throw new Error("the delivery's 'sent' record never waited for the application's row");
        await new Promise((r) => setTimeout(r, 50));
      }
      await other.query(`UPDATE messages SET updated_at = updated_at WHERE id = $1`, [msg.id]);
      await other.commitTransaction();
      expect(await delivery).toBe('sent');
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    const [row] = await t.db.query(
      `SELECT m.status, a.last_contact_at IS NOT NULL AS touched FROM messages m JOIN applications a ON a.id = m.application_id WHERE m.id = $1`,
      [msg.id],
    );
    expect(row).toEqual({ status: 'sent', touched: true });
  });

  it('gives candidates in Asia/Tokyo and America/Los_Angeles their check-ins on their own business days', async () => {
    const opening = await makeOpening(t, w);
    const tokyo = await makeCandidate(t, w, { timezone: 'Asia/Tokyo' });
    const la = await makeCandidate(t, w, { timezone: 'America/Los_Angeles' });
    // 2027-01-08T20:00Z is Saturday 05:00 in Tokyo and Friday 12:00 in Los Angeles.
    const [a1, a2] = await at('2027-01-08T20:00:00Z', async () => [
      await makeApplication(t, w, opening.id, tokyo.id),
      await makeApplication(t, w, opening.id, la.id),
    ]);
    // Tokyo: Mon, Tue, Wed -> due Wed 05:00 JST = 2027-01-12T20:00Z. LA: Mon, Tue, Wed -> Wed 12:00 PST = 2027-01-13T20:00Z.
    await sweep('2027-01-12T19:59:00Z');
    expect((await messagesOf(a1.id)).filter((m) => m.template === 'checkin')).toHaveLength(0);
    await sweep('2027-01-12T20:00:00Z');
    expect((await messagesOf(a1.id)).filter((m) => m.template === 'checkin')).toHaveLength(1);
    expect((await messagesOf(a2.id)).filter((m) => m.template === 'checkin')).toHaveLength(0);
    await sweep('2027-01-13T19:59:00Z');
    expect((await messagesOf(a2.id)).filter((m) => m.template === 'checkin')).toHaveLength(0);
    await sweep('2027-01-13T20:00:00Z');
    expect((await messagesOf(a2.id)).filter((m) => m.template === 'checkin')).toHaveLength(1);
    expect((await messagesOf(a1.id)).filter((m) => m.template === 'checkin')).toHaveLength(1);
  });

  it('alerts the recruiter instead when the opening turned automatic check-ins off', async () => {
    const opening = await makeOpening(t, w, { autoCheckins: false });
    const app = await at('2027-01-04T09:00:00Z', async () => makeApplication(t, w, opening.id, (await makeCandidate(t, w)).id));
    await sweep('2027-01-07T09:00:00Z');
    await sweep('2027-01-07T12:00:00Z');
    expect((await messagesOf(app.id)).filter((m) => m.template === 'checkin')).toHaveLength(0);
    expect((await eventsOf(app.id)).filter((e) => e.type === 'sla.breached')).toHaveLength(1);
    const alerts = (await t.http.get('/api/v1/alerts').set(auth(w.recruiter.token))).body as Array<{ kind: string; applicationId: string }>;
    expect(alerts.filter((a) => a.kind === 'sla_breached' && a.applicationId === app.id)).toHaveLength(1);
  });

  it('raises one stale alert per stage visit, escalates once at twice the threshold, and keeps it until acknowledged', async () => {
    const opening = await makeOpening(t, w, { autoCheckins: false });
    const app = await at('2027-02-01T09:00:00Z', async () => makeApplication(t, w, opening.id, (await makeCandidate(t, w)).id)); // Monday
    const mine = async () =>
      (
        (await t.http.get('/api/v1/alerts').set(auth(w.manager.token))).body as Array<{
          id: string;
          kind: string;
          level: string;
          applicationId: string;
        }>
      ).filter((a) => a.kind === 'stale' && a.applicationId === app.id);
    await sweep('2027-02-05T09:00:00Z'); // 4 business days
    expect(await mine()).toHaveLength(0);
    await sweep('2027-02-08T09:00:00Z'); // 5
    await sweep('2027-02-08T15:00:00Z');
    await sweep('2027-02-10T09:00:00Z');
    expect(await mine()).toHaveLength(1);
    expect((await mine())[0].level).toBe('raised');
    const ack = await t.http.post(`/api/v1/alerts/${(await mine())[0].id}/ack`).set(auth(w.manager.token));
    expect(ack.status).toBe(200);
    expect(await mine()).toHaveLength(0);
    await sweep('2027-02-15T09:00:00Z'); // 10 business days: escalation brings it back
    await sweep('2027-02-16T09:00:00Z');
    expect(await mine()).toHaveLength(1);
    expect((await mine())[0].level).toBe('escalated');
    const events = await eventsOf(app.id);
    expect(events.filter((e) => e.type === 'alert.raised' && e.data.kind === 'stale')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'alert.escalated')).toHaveLength(1);
    // A new stage visit is a new clock: a new alert only after another 5 business days.
    await at('2027-02-16T10:00:00Z', () =>
      t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to: 'manager_call' }),
    );
    await sweep('2027-02-22T09:00:00Z');
    expect((await eventsOf(app.id)).filter((e) => e.type === 'alert.raised' && e.data.kind === 'stale')).toHaveLength(1);
    await sweep('2027-02-23T10:00:00Z');
    expect((await eventsOf(app.id)).filter((e) => e.type === 'alert.raised' && e.data.kind === 'stale')).toHaveLength(2);
  });

  it('sends one digest per hiring manager per day, oldest first, with links', async () => {
    // Managers of their own, so other tests' alerts do not show in these digests.
    const other = await t.login([Role.HiringManager]);
    const mgr = await t.login([Role.HiringManager]);
    const wd = { ...w, manager: mgr };
    const o1 = await makeOpening(t, wd, { title: 'Digest A' });
    const o2 = await t.http
      .post('/api/v1/openings')
      .set(auth(other.token))
      .send({
        title: 'Digest B',
        hiringManagerId: other.id,
        recruiterId: w.recruiter.id,
        compensation: { min: 1, max: 2, currency: 'USD' },
        timezone: 'UTC',
      });
    const older = await at('2027-03-01T09:00:00Z', async () =>
      makeApplication(t, w, o1.id, (await makeCandidate(t, w, { name: 'Older Person' })).id),
    );
    const newer = await at('2027-03-02T09:00:00Z', async () =>
      makeApplication(t, w, o1.id, (await makeCandidate(t, w, { name: 'Newer Person' })).id),
    );
    await at('2027-03-01T09:00:00Z', async () =>
      makeApplication(t, w, o2.body.id, (await makeCandidate(t, w, { name: 'Other Person' })).id),
    );
    await sweep('2027-03-10T08:00:00Z');
    await sweep('2027-03-10T12:00:00Z');
    const digests: Array<{ recipient_user_id: string; text: string }> = await t.db.query(
      `SELECT recipient_user_id, text FROM messages WHERE template = 'stale_digest' AND recipient_user_id = ANY($1) ORDER BY created_at`,
      [[mgr.id, other.id]],
    );
    const mine = digests.filter((d) => d.recipient_user_id === mgr.id);
    expect(mine).toHaveLength(1);
    expect(digests.filter((d) => d.recipient_user_id === other.id)).toHaveLength(1);
    expect(mine[0].text.indexOf('Older Person')).toBeGreaterThan(-1);
    expect(mine[0].text.indexOf('Older Person')).toBeLessThan(mine[0].text.indexOf('Newer Person'));
    expect(mine[0].text).not.toMatch(/Other Person/);
    expect(mine[0].text).toContain(`http://hiring.test/dashboard/applications/${older.id}`);
    expect(mine[0].text).toContain(newer.id);
    await sweep('2027-03-11T09:00:00Z');
    const next: unknown[] = await t.db.query(`SELECT 1 FROM messages WHERE template = 'stale_digest' AND recipient_user_id = $1`, [mgr.id]);
    expect(next).toHaveLength(2);
  });

  it('over more due applications than a page holds: each gets one check-in, one stale alert escalated once, their events and webhook rows; a second run adds nothing', async () => {
    const admin = auth(w.admin.token);
    expect((await t.http.put('/api/v1/settings/webhooks').set(admin).send({ allowPrivateTargets: true })).status).toBe(200);
    const hook = await t.http
      .post('/api/v1/webhooks')
      .set(admin)
      .send({ url: 'http://127.0.0.1:9/sweep-hook', secret: 'whsec-sweeps-0123456789', events: ['alert.raised'] });
    expect(hook.status).toBe(201);
    const opening = await makeOpening(t, w);
    const zones = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles'];
    // Names that HTML escaping and whitespace normalisation would touch (check-ins are rendered once per stage, names substituted).
    const names = [
      (i: number) => `Paged Person ${i}`,
      (i: number) => `<b>Paged</b> & "Co" ${i}`,
      (i: number) => `O'Paged =\`x\` ${i}`,
      (i: number) => `Paged  Two  Spaces ${i}`,
    ];
    // Monday 2027-04-05 09:00 UTC; eleven business days later in every zone (and in the opening's UTC).
    const apps = await at('2027-04-05T09:00:00Z', async () => {
      const out: Array<{ id: string }> = [];
      for (let i = 0; i < 8; i++)
        out.push(
          await makeApplication(t, w, opening.id, (await makeCandidate(t, w, { timezone: zones[i % 3], name: names[i % 4](i) })).id),
        );
      return out;
    });
    const ids = apps.map((a) => a.id);
    const counts = async () => {
      const rows: Array<{
        application_id: string;
        checkins: number;
        queued: number;
        sent: number;
        raised: number;
        escalated: number;
        alerts: number;
        escalated_alerts: number;
        hooks: number;
        hook_ids_match: boolean;
      }> = await t.db.query(
        `SELECT a.id AS application_id,
                (SELECT count(*)::int FROM messages m WHERE m.application_id = a.id AND m.template = 'checkin') AS checkins,
                (SELECT count(*)::int FROM application_events e WHERE e.application_id = a.id AND e.type = 'message.queued' AND e.data->>'template' = 'checkin') AS queued,
                (SELECT count(*)::int FROM application_events e WHERE e.application_id = a.id AND e.type = 'sla.checkin_sent') AS sent,
                (SELECT count(*)::int FROM application_events e WHERE e.application_id = a.id AND e.type = 'alert.raised' AND e.data->>'kind' = 'stale') AS raised,
                (SELECT count(*)::int FROM application_events e WHERE e.application_id = a.id AND e.type = 'alert.escalated') AS escalated,
                (SELECT count(*)::int FROM alerts al WHERE al.application_id = a.id AND al.kind = 'stale') AS alerts,
                (SELECT count(*)::int FROM alerts al WHERE al.application_id = a.id AND al.kind = 'stale' AND al.level = 'escalated') AS escalated_alerts,
                (SELECT count(*)::int FROM webhook_deliveries d WHERE d.application_id = a.id AND d.event_type = 'alert.raised') AS hooks,
                coalesce((SELECT bool_and(d.payload->>'id' = e.id::text AND d.event_id = e.id AND d.payload->'data'->>'applicationId' = a.id::text
                                          AND d.payload->'data'->>'alertId' = e.data->>'alertId')
                            FROM webhook_deliveries d JOIN application_events e ON e.application_id = a.id AND e.type = 'alert.raised'
                           WHERE d.application_id = a.id), false) AS hook_ids_match
           FROM applications a WHERE a.id = ANY($1) ORDER BY a.id`,
        [ids],
      );
      return rows;
    };
    const first = await sweep('2027-04-20T12:00:00Z');
    expect(first['sla-checkins'].checkins).toBeGreaterThanOrEqual(8);
    const once = {
      checkins: 1,
      queued: 1,
      sent: 1,
      raised: 1,
      escalated: 1,
      alerts: 1,
      escalated_alerts: 1,
      hooks: 1,
      hook_ids_match: true,
    };
    expect(await counts()).toEqual([...ids].sort().map((application_id) => ({ application_id, ...once })));
    // The check-in reached the candidate's own address, rendered for them.
    const mail: Array<{ to_address: string; text: string; c_email: string; c_name: string }> = await t.db.query(
      `SELECT m.to_address, m.text, c.email AS c_email, c.name AS c_name FROM messages m JOIN applications a ON a.id = m.application_id JOIN candidates c ON c.id = a.candidate_id
        WHERE m.application_id = ANY($1) AND m.template = 'checkin'`,
      [ids],
    );
    expect(mail).toHaveLength(8);
    for (const m of mail) {
      expect(m.to_address).toBe(m.c_email);
      expect(m.text).toContain(m.c_name.split(' ')[0]);
    }
    // Each stored check-in is byte for byte what rendering it alone for its candidate gives.
    const env = t.app.get<Env>(ENV);
    const templates = t.app.get(TemplateService);
    const openingRow = await t.app.get(DataSource).getRepository(Opening).findOneByOrFail({ id: opening.id });
    const [recruiter] = await t.db.query(`SELECT name, email FROM users WHERE id = $1`, [openingRow.recruiterId]);
    const stored: Array<{ html: string; text: string; subject: string; stage: string; entered: Date; c_id: string; c_name: string }> =
      await t.db.query(
        `SELECT m.html, m.text, m.subject, a.stage, a.stage_entered_at AS entered, c.id AS c_id, c.name AS c_name
           FROM messages m JOIN applications a ON a.id = m.application_id JOIN candidates c ON c.id = a.candidate_id
          WHERE m.application_id = ANY($1) AND m.template = 'checkin'`,
        [ids],
      );
    expect(new Set(stored.map((m) => m.c_name)).size).toBe(8);
    for (const m of stored) {
      const days = Math.floor((new Date('2027-04-20T12:00:00Z').getTime() - m.entered.getTime()) / 86_400_000);
      const ctx = {
        ...candidateMessageContext(openingRow, { id: m.c_id, name: m.c_name }, m.stage, recruiter, publicUrl(env)),
        daysInStage: days,
      };
      const alone = await templates.render('checkin', ctx, opening.id);
      const sealed = protect(env.SESSION_SECRET, alone);
      expect({ subject: m.subject, html: m.html, text: m.text }).toEqual({ subject: alone.subject, html: sealed.html, text: sealed.text });
    }
    const second = await sweep('2027-04-20T12:00:00Z');
    expect(second['sla-checkins'].checkins).toBe(0);
    expect(second['stale-alerts']).toMatchObject({ raised: 0, escalated: 0 });
    expect(await counts()).toEqual([...ids].sort().map((application_id) => ({ application_id, ...once })));
    expect((await t.http.patch(`/api/v1/webhooks/${hook.body.id}`).set(admin).send({ enabled: false })).status).toBeLessThan(300);
  });
  it('a sweep that fails half-way (one page cannot be written) and runs again: each due application gets exactly one check-in, none twice', async () => {
    const opening = await makeOpening(t, w);
    // Monday 2027-06-07 09:00 UTC; swept eleven business days later. Nine applications: three pages of 3.
    const apps = await at('2027-06-07T09:00:00Z', async () => {
      const out: Array<{ id: string }> = [];
      for (let i = 0; i < 9; i++)
        out.push(await makeApplication(t, w, opening.id, (await makeCandidate(t, w, { name: `Half Person ${i}` })).id));
      return out;
    });
    const ids = apps.map((a) => a.id);
    const counts = async () =>
      (await t.db.query(
        `SELECT a.id,
                (SELECT count(*)::int FROM messages m WHERE m.application_id = a.id AND m.template = 'checkin') AS checkins,
                (SELECT count(*)::int FROM application_events e WHERE e.application_id = a.id AND e.type = 'message.queued' AND e.data->>'template' = 'checkin') AS queued,
                (SELECT count(*)::int FROM application_events e WHERE e.application_id = a.id AND e.type = 'sla.checkin_sent') AS sent
           FROM applications a WHERE a.id = ANY($1) ORDER BY a.id`,
        [ids],
      )) as Array<{ id: string; checkins: number; queued: number; sent: number }>;
    // The sweep fails half-way: the check-in of the sixth id cannot be written. Pages are read in id
    // order over every active application of the suite (the earlier tests' ones interleave with
    // these at random), so the failing page may also hold the two ids before it, never three: the
    // first three ids are always on pages written before it.
    const failing = [...ids].sort()[5];
    await t.db.query(`CREATE FUNCTION test_fail_checkin() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full (test)'; END $$`);
    await t.db.query(
      `CREATE TRIGGER test_fail_checkin BEFORE INSERT ON messages FOR EACH ROW WHEN (NEW.application_id = '${failing}') EXECUTE FUNCTION test_fail_checkin()`,
    );
    let failed: Record<string, Record<string, number>>;
    try {
      failed = await sweep('2027-06-22T12:00:00Z');
    } finally {
      await t.db.query(`DROP TRIGGER test_fail_checkin ON messages`);
      await t.db.query(`DROP FUNCTION test_fail_checkin()`);
    }
    expect(failed['sla-checkins']).toMatchObject({ failed: 1 });
    const half = await counts();
    // None twice; the failed page wrote nothing (its check-ins and their events roll back together).
    for (const c of half) {
      expect(c.checkins).toBeLessThanOrEqual(1);
      expect({ queued: c.queued, sent: c.sent }).toEqual({ queued: c.checkins, sent: c.checkins });
    }
    expect(half.find((c) => c.id === failing)!.checkins).toBe(0);
    // It failed half-way: the pages before the failing one were sent.
    expect(half.filter((c) => c.checkins === 1).length).toBeGreaterThanOrEqual(3);
    const firstThree = [...ids].sort().slice(0, 3);
    expect(firstThree.map((id) => half.find((c) => c.id === id)!.checkins)).toEqual([1, 1, 1]);
    // Run again: every due application has exactly one check-in and its two events.
    const again = await sweep('2027-06-22T12:00:00Z');
    expect(again['sla-checkins'].failed).toBeUndefined();
    expect(again['sla-checkins'].checkins).toBeGreaterThanOrEqual(ids.length - half.filter((c) => c.checkins === 1).length);
    expect(await counts()).toEqual([...ids].sort().map((id) => ({ id, checkins: 1, queued: 1, sent: 1 })));
    const third = await sweep('2027-06-22T12:00:00Z');
    expect(third['sla-checkins'].checkins).toBe(0);
    expect(await counts()).toEqual([...ids].sort().map((id) => ({ id, checkins: 1, queued: 1, sent: 1 })));
  });
});
