import { Clock } from '../../src/common/clock/clock';
import { businessDaysElapsedFraction } from '../../src/common/domain/business-days';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

/**
 * A hand-made data set (all times UTC, opening time zone UTC, no holidays; January 2027 starts on
 * a Friday, so Mondays are the 4th, 11th, 18th). Business days in stage, by hand:
 *
 *  A referral   screen Mon 4 09:00 -> call Tue 5 09:00 (1) -> onsite Fri 8 09:00 (3) -> offer Mon 11 09:00 (1) -> hired Wed 13 09:00 (2); time to hire 7
 *  B referral   screen Mon 4 09:00 -> call Wed 6 09:00 (2) -> rejected Wed 13 09:00 (5)
 *  C job_board  screen Mon 4 12:00 -> rejected Tue 5 12:00 (1)
 *  D job_board  screen Tue 5 09:00 -> call Mon 11 09:00 (4, weekend skipped) -> withdrew Tue 12 09:00 (1)
 *  E direct     screen Wed 6 09:00 -> still there
 *  F internship screen Thu 7 09:00 -> call Fri 8 09:00 (1) -> back to screen Mon 11 09:00 (1) -> call Tue 12 09:00 (1) -> still there
 *  H direct     screen Mon 4 15:00 -> call Tue 5 03:00 (9 h + 3 h = 0.5) -> rejected Fri 8 15:00 (0.875 + 1 + 1 + 0.625 = 3.5)
 *  G partner    (another opening, check-ins off) screen Mon 4 09:00 -> still there
 * One sweep on Mon 18 Jan 10:00: check-ins for E (screen) and F (call), an SLA breach for G.
 */
describe('insights: funnel and flow computed in SQL, checked against a hand-computed data set', () => {
  let t: TestApp;
  let w: World;
  let clock: Clock;
  let opening: { id: string };
  let other: { id: string };
  const ids: Record<string, string> = {};
  const stages = [{ key: 'screen' }, { key: 'call' }, { key: 'onsite' }, { key: 'offer', kind: 'offer' }];

  const at = async <T>(iso: string, fn: () => Promise<T>): Promise<T> => {
    clock.set(new Date(iso));
    try {
      return await fn();
    } finally {
      clock.reset();
    }
  };
  const post = (path: string, body: object = {}) => t.http.post(path).set(auth(w.manager.token)).send(body);
  const move = (id: string, to: string, iso: string) =>
    at(iso, async () => expect((await post(`/api/v1/applications/${id}/transitions`, { to })).status).toBe(200));
  const end = (id: string, action: 'reject' | 'withdraw' | 'hire', iso: string) =>
    at(iso, async () =>
      expect((await post(`/api/v1/applications/${id}/${action}`, action === 'reject' ? { reason: 'not now' } : {})).status).toBe(200),
    );
  const apply = async (openingId: string, source: Record<string, unknown>, iso: string) => {
    const c = await makeCandidate(t, w, { timezone: 'UTC', source });
    return at(iso, () => makeApplication(t, w, openingId, c.id));
  };
  const get = async (path: string) => {
    const res = await t.http.get(path).set(auth(w.manager.token));
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    w = await makeWorld(t);
    clock = t.app.get(Clock);
    opening = await makeOpening(t, w, { stages, timezone: 'UTC' });
    other = await makeOpening(t, w, { stages, timezone: 'UTC', autoCheckins: false });
    const referral = { kind: 'referral', referrerId: w.recruiter.id };
    const A = await apply(opening.id, referral, '2027-01-04T09:00:00Z');
    const B = await apply(opening.id, referral, '2027-01-04T09:00:00Z');
    const C = await apply(opening.id, { kind: 'job_board', detail: 'Board' }, '2027-01-04T12:00:00Z');
    const H = await apply(opening.id, { kind: 'direct' }, '2027-01-04T15:00:00Z');
    const D = await apply(opening.id, { kind: 'job_board', detail: 'Board' }, '2027-01-05T09:00:00Z');
    const E = await apply(opening.id, { kind: 'direct' }, '2027-01-06T09:00:00Z');
    const F = await apply(opening.id, { kind: 'internship' }, '2027-01-07T09:00:00Z');
    await apply(other.id, { kind: 'partner', detail: 'Code2040' }, '2027-01-04T09:00:00Z');
    Object.assign(ids, { A: A.id, B: B.id, D: D.id, E: E.id });
    await move(H.id, 'call', '2027-01-05T03:00:00Z');
    await move(A.id, 'call', '2027-01-05T09:00:00Z');
    await end(C.id, 'reject', '2027-01-05T12:00:00Z');
    await move(B.id, 'call', '2027-01-06T09:00:00Z');
    await move(A.id, 'onsite', '2027-01-08T09:00:00Z');
    await move(F.id, 'call', '2027-01-08T09:00:00Z');
    await end(H.id, 'reject', '2027-01-08T15:00:00Z');
    await move(A.id, 'offer', '2027-01-11T09:00:00Z');
    await move(D.id, 'call', '2027-01-11T09:00:00Z');
    await move(F.id, 'screen', '2027-01-11T09:00:00Z');
    await end(D.id, 'withdraw', '2027-01-12T09:00:00Z');
    await move(F.id, 'call', '2027-01-12T09:00:00Z');
    await end(A.id, 'hire', '2027-01-13T09:00:00Z');
    await end(B.id, 'reject', '2027-01-13T09:00:00Z');
    await t.app.get(SweepRegistry).runAll(new Date('2027-01-18T10:00:00Z'));
  });
  afterAll(async () => {
    clock?.reset();
    await t?.close();
  });

  const stage = (body: { stages: Array<{ key: string }> }, key: string) => body.stages.find((s) => s.key === key) as any;
  const source = (body: { bySource: Array<{ source: string }> }, s: string) => body.bySource.find((x) => x.source === s) as any;

  it('funnel per stage: entered, advanced, rejected, withdrew and conversion, per source too', async () => {
    const f = await get(`/api/v1/insights/funnel?openingId=${opening.id}&from=2027-01-01&to=2027-01-31`);
    expect(f.stages.map((s: { key: string; name: string }) => [s.key, s.name])).toEqual([
      ['screen', 'Screen'],
      ['call', 'Call'],
      ['onsite', 'Onsite'],
      ['offer', 'Offer'],
    ]);
    // screen: A B C D E F H entered; A B D F H advanced (F twice, counted once); C rejected; E still there.
    expect(stage(f, 'screen')).toMatchObject({
      entered: 7,
      advanced: 5,
      rejected: 1,
      withdrew: 0,
      movedBack: 0,
      open: 1,
      conversion: 0.7143,
    });
    // call: A B D F H entered; A advanced; B H rejected; D withdrew; F moved back once and is there again.
    expect(stage(f, 'call')).toMatchObject({ entered: 5, advanced: 1, rejected: 2, withdrew: 1, movedBack: 1, open: 1, conversion: 0.2 });
    expect(stage(f, 'onsite')).toMatchObject({ entered: 1, advanced: 1, conversion: 1 });
    expect(stage(f, 'offer')).toMatchObject({ entered: 1, advanced: 1, hired: 1, conversion: 1 });
    expect(f.totals).toEqual({ applications: 7, hired: 1, rejected: 3, withdrew: 1, hireRate: 0.1429 });
    expect(source(f, 'referral').totals).toEqual({ applications: 2, hired: 1, rejected: 1, withdrew: 0, hireRate: 0.5 });
    expect(stage(source(f, 'referral'), 'call')).toMatchObject({ entered: 2, advanced: 1, rejected: 1, conversion: 0.5 });
    expect(stage(source(f, 'job_board'), 'screen')).toMatchObject({ entered: 2, advanced: 1, rejected: 1, conversion: 0.5 });
    expect(stage(source(f, 'job_board'), 'call')).toMatchObject({ entered: 1, withdrew: 1, conversion: 0 });
    expect(stage(source(f, 'direct'), 'screen')).toMatchObject({ entered: 2, advanced: 1, open: 1 });
    expect(stage(source(f, 'internship'), 'call')).toMatchObject({ entered: 1, movedBack: 1, open: 1, advanced: 0 });
    expect(source(f, 'partner').totals.applications).toBe(0);
    expect(f.bySource.map((s: { source: string }) => s.source)).toEqual([
      'referral',
      'internship',
      'partner',
      'job_board',
      'direct',
      'other',
    ]);
  });

  it('funnel over a window: only visits started in it, outcomes as of its end', async () => {
    // [Wed 6 00:00, Sat 9 00:00): E and F enter screen (F advanced Fri 8), B and F enter call, A enters onsite.
    const f = await get(`/api/v1/insights/funnel?openingId=${opening.id}&from=2027-01-06&to=2027-01-08`);
    expect(stage(f, 'screen')).toMatchObject({ entered: 2, advanced: 1, open: 1, conversion: 0.5 });
    expect(stage(f, 'call')).toMatchObject({ entered: 2, advanced: 0, rejected: 0, movedBack: 0, open: 2, conversion: 0 });
    expect(stage(f, 'onsite')).toMatchObject({ entered: 1, open: 1 });
    expect(stage(f, 'offer')).toMatchObject({ entered: 0, conversion: null });
    // Without an opening: the other opening's partner candidate counts too.
    const all = await get('/api/v1/insights/funnel?from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z');
    expect(stage(all, 'screen').entered).toBe(8);
    expect(stage(source(all, 'partner'), 'screen')).toMatchObject({ entered: 1, open: 1 });
  });

  it('flow per stage: median, p90 and standard deviation of business days, SLA check-ins and breaches, time to hire', async () => {
    const f = await get(`/api/v1/insights/flow?openingId=${opening.id}&from=2027-01-01&to=2027-01-31`);
    // screen, completed visits: 0.5, 1, 1, 1, 1, 2, 4 -> median 1; p90 at rank 0.9 * 6 = 5.4: 2 + 0.4 * (4 - 2) = 2.8;
    // mean 10.5 / 7 = 1.5; sample variance (1 + 4 * 0.25 + 0.25 + 6.25) / 6 = 8.5 / 6 -> sd 1.190
    expect(stage(f, 'screen')).toMatchObject({
      visits: 7,
      medianBusinessDays: 1,
      p90BusinessDays: 2.8,
      meanBusinessDays: 1.5,
      stddevBusinessDays: 1.19,
      checkins: 1,
      breaches: 0,
    });
    // call: 1, 1, 3, 3.5, 5 -> median 3; p90 at 3.6: 3.5 + 0.6 * 1.5 = 4.4; mean 2.7; variance 11.8 / 4 = 2.95 -> sd 1.718
    expect(stage(f, 'call')).toMatchObject({
      visits: 5,
      medianBusinessDays: 3,
      p90BusinessDays: 4.4,
      meanBusinessDays: 2.7,
      stddevBusinessDays: 1.718,
      checkins: 1,
      breaches: 0,
    });
    expect(stage(f, 'onsite')).toMatchObject({ visits: 1, medianBusinessDays: 1, p90BusinessDays: 1, stddevBusinessDays: null });
    expect(stage(f, 'offer')).toMatchObject({ visits: 1, medianBusinessDays: 2 });
    expect(f.sla).toEqual({ checkins: 2, breaches: 0 });
    expect(f.timeToHire).toEqual({ hires: 1, medianBusinessDays: 7, p90BusinessDays: 7, meanBusinessDays: 7 });
    // By source: referral screen A 1, B 2; job_board screen C 1, D 4; direct H 0.5 (E still open).
    expect(stage(source(f, 'referral'), 'screen')).toMatchObject({ visits: 2, medianBusinessDays: 1.5 });
    expect(stage(source(f, 'job_board'), 'screen')).toMatchObject({ visits: 2, medianBusinessDays: 2.5, p90BusinessDays: 3.7 });
    expect(stage(source(f, 'direct'), 'screen')).toMatchObject({ visits: 1, medianBusinessDays: 0.5, checkins: 1 });
    expect(source(f, 'referral').timeToHire).toMatchObject({ hires: 1, medianBusinessDays: 7 });
    expect(source(f, 'internship').sla).toEqual({ checkins: 1, breaches: 0 });
    expect(source(f, 'direct').timeToHire.hires).toBe(0);
  });

  it('flow over a window counts the visits that ended in it; breaches come from the other opening', async () => {
    // [Mon 11 00:00, Tue 12 00:00): D leaves screen (4), F leaves call back to screen (1), A leaves onsite (1).
    const f = await get(`/api/v1/insights/flow?openingId=${opening.id}&from=2027-01-11T00:00:00Z&to=2027-01-12T00:00:00Z`);
    expect(stage(f, 'screen')).toMatchObject({ visits: 1, medianBusinessDays: 4 });
    expect(stage(f, 'call')).toMatchObject({ visits: 1, medianBusinessDays: 1 });
    expect(stage(f, 'onsite')).toMatchObject({ visits: 1, medianBusinessDays: 1 });
    expect(f.sla).toEqual({ checkins: 0, breaches: 0 });
    expect(f.timeToHire.hires).toBe(0);
    const o2 = await get(`/api/v1/insights/flow?openingId=${other.id}&by=source&to=2027-02-01`);
    expect(stage(o2, 'screen')).toMatchObject({ visits: 0, breaches: 1, checkins: 0 });
    expect(source(o2, 'partner').sla).toEqual({ checkins: 0, breaches: 1 });
    const all = await get('/api/v1/insights/flow?from=2027-01-01&to=2027-01-31');
    expect(all.sla).toEqual({ checkins: 2, breaches: 1 });
  });

  it('validates its filters', async () => {
    const bad = await t.http.get('/api/v1/insights/funnel?openingId=nope&from=yesterday&by=stage').set(auth(w.manager.token));
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['by', 'from', 'openingId']);
    expect((await t.http.get('/api/v1/insights/flow?from=2027-02-01&to=2027-01-01').set(auth(w.manager.token))).status).toBe(400);
    expect(
      (await t.http.get('/api/v1/insights/flow?openingId=00000000-0000-4000-8000-000000000000').set(auth(w.manager.token))).status,
    ).toBe(404);
    expect((await t.http.get('/api/v1/insights/flow').set(auth((await t.login([Role.Engineer])).token))).status).toBe(403);
  });

  it('business_days_elapsed (SQL) agrees with businessDaysElapsedFraction (TypeScript), DST and holidays included', async () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
    const holidays = ['2027-03-29', '2027-04-02', '2027-12-25'];
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const cases = Array.from({ length: 300 }, (_, i) => {
      const from = new Date(Date.UTC(2027, 2, 20) + Math.floor(rnd() * 40 * 86_400_000));
      const to = new Date(from.getTime() + Math.floor((rnd() * 20 - 2) * 86_400_000));
      return { from, to, tz: zones[i % zones.length], holidays: i % 2 ? holidays : [] };
    });
    const rows: Array<{ i: number; d: number }> = await t.db.query(
      `SELECT c.i, business_days_elapsed(c.f, c.t, c.tz, c.h) AS d
         FROM jsonb_to_recordset($1::jsonb) AS c(i int, f timestamptz, t timestamptz, tz text, h text[])`,
      [JSON.stringify(cases.map((c, i) => ({ i, f: c.from.toISOString(), t: c.to.toISOString(), tz: c.tz, h: c.holidays })))],
    );
    for (const r of rows) {
      const c = cases[r.i];
      expect([r.i, Number(r.d)]).toEqual([r.i, expect.closeTo(businessDaysElapsedFraction(c.from, c.to, c.tz, c.holidays), 9)]);
    }
    expect(rows).toHaveLength(300);
  });

  it("breaks the take-home down by assignment version: pass rate and candidates' feedback", async () => {
    const [present]: Array<{ ok: boolean }> = await t.db.query(
      `SELECT to_regclass('submissions') IS NOT NULL AND to_regclass('assignment_feedback') IS NOT NULL AS ok`,
    );
    if (!present.ok) {
      expect((await get(`/api/v1/insights/assignments?openingId=${opening.id}`)).available).toBe(false);
      return;
    }
    // Seeded straight into the take-home module's tables (its own API is tested with it).
    const [{ id: assignmentId }] = await t.db.query(
      `INSERT INTO assignments (title, runtime, instructions, time_guidance_minutes) VALUES ('Log parser', 'node20', 'Parse logs', 120) RETURNING id`,
    );
    const version = async (n: number): Promise<string> =>
      (
        await t.db.query(
          `INSERT INTO assignment_versions (assignment_id, version, status, instructions, time_guidance_minutes, hidden_tests, hidden_tests_sha256, hidden_test_paths, reference_solution, reference_solution_sha256, created_at)
         VALUES ($1, $2, 'published', 'Parse logs', 120, '\\x00', repeat('a', 64), '{}', '\\x00', repeat('b', 64), '2027-01-01T00:00:00Z') RETURNING id`,
          [assignmentId, n],
        )
      )[0].id;
    const v1 = await version(1);
    const v2 = await version(2);
    const invite = async (app: string, v: string, iso: string): Promise<string> =>
      (
        await t.db.query(
          `INSERT INTO invitations (application_id, assignment_id, version_id, token_hash, expires_at, created_at, updated_at) VALUES ($1, $2, $3, md5(random()::text) || md5(random()::text), $4::timestamptz + interval '7 days', $4, $4) RETURNING id`,
          [app, assignmentId, v, iso],
        )
      )[0].id;
    const submit = (inv: string, app: string, v: string, seq: number, status: string, result: object | null) =>
      t.db.query(
        `INSERT INTO submissions (invitation_id, application_id, version_id, seq, status, archive, sha256, size_bytes, format, file_count, result, graded_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, '\\x00', repeat('c', 64), 1, 'zip', 1, $6, CASE WHEN $5 = 'graded' THEN '2027-01-10T00:00:00Z'::timestamptz END, '2027-01-09T00:00:00Z', '2027-01-09T00:00:00Z')`,
        [inv, app, v, seq, status, result ? JSON.stringify(result) : null],
      );
    const feedback = (inv: string, app: string, v: string, clarity: number, minutes: number) =>
      t.db.query(
        `INSERT INTO assignment_feedback (invitation_id, version_id, application_id, clarity, minutes_spent, created_at) VALUES ($1, $2, $3, $4, $5, '2027-01-10T00:00:00Z')`,
        [inv, v, app, clarity, minutes],
      );
    const i1 = await invite(ids.A, v1, '2027-01-08T10:00:00Z');
    const i2 = await invite(ids.B, v1, '2027-01-08T10:00:00Z');
    const i3 = await invite(ids.D, v2, '2027-01-11T10:00:00Z');
    await invite(ids.E, v2, '2027-01-12T10:00:00Z');
    await submit(i1, ids.A, v1, 1, 'graded', { status: 'failed', total: 5, passed: 3, failed: 2 });
    await submit(i1, ids.A, v1, 2, 'graded', { status: 'passed', total: 5, passed: 5, failed: 0 }); // the latest counts
    // A result from before issue 18 that counted the candidate's own (passing) test: 3 of 5 as stored,
    // 2 of 4 hidden tests in fact; the ratio uses the hidden ones.
    const tc = (name: string, status: string, hidden: boolean) => ({
      name,
      status,
      hidden,
      message: null,
      suite: 'x',
      file: 'x',
      durationMs: 1,
    });
    await submit(i2, ids.B, v1, 1, 'graded', {
      status: 'failed',
      total: 5,
      passed: 3,
      failed: 2,
      tests: [
        tc('h1', 'passed', true),
        tc('h2', 'passed', true),
        tc('h3', 'failed', true),
        tc('h4', 'failed', true),
        tc('mine', 'passed', false),
      ],
    });
    await submit(i3, ids.D, v2, 1, 'queued', null);
    await feedback(i1, ids.A, v1, 4, 150);
    await feedback(i2, ids.B, v1, 2, 200);

    const r = await get(`/api/v1/insights/assignments?openingId=${opening.id}&from=2027-01-01&to=2027-01-31`);
    expect(r.available).toBe(true);
    expect(r.versions).toEqual([
      {
        assignmentId,
        title: 'Log parser',
        version: 1,
        versionId: v1,
        invited: 2,
        submitted: 2,
        graded: 2,
        passed: 1,
        passRate: 0.5,
        meanTestPassRatio: 0.75,
        feedback: { count: 2, meanClarity: 3, medianMinutesSpent: 175 },
      },
      {
        assignmentId,
        title: 'Log parser',
        version: 2,
        versionId: v2,
        invited: 2,
        submitted: 1,
        graded: 0,
        passed: 0,
        passRate: null,
        meanTestPassRatio: null,
        feedback: { count: 0, meanClarity: null, medianMinutesSpent: null },
      },
    ]);
    // Invitations made on the 11th only: version 2's first one.
    const window = await get(`/api/v1/insights/assignments?openingId=${opening.id}&from=2027-01-11&to=2027-01-11`);
    expect(
      window.versions.map((v: { version: number; invited: number; submitted: number }) => [v.version, v.invited, v.submitted]),
    ).toEqual([[2, 1, 1]]);
    expect((await get(`/api/v1/insights/assignments?openingId=${other.id}`)).versions).toEqual([]);
  });

  it('exports business gauges in /metrics, read from PostgreSQL at scrape time', async () => {
    const text = (await t.http.get('/metrics')).text;
    expect(text).toContain(`hiring_applications_active{opening="${opening.id}",stage="screen"} 1`);
    expect(text).toContain(`hiring_applications_active{opening="${opening.id}",stage="call"} 1`);
    expect(text).toContain(`hiring_applications_active{opening="${other.id}",stage="screen"} 1`);
    expect(text).toMatch(/hiring_applications\{status="hired"\} 1\n/);
    expect(text).toMatch(/hiring_applications\{status="rejected"\} 3\n/);
    expect(text).toContain('hiring_sla_events{kind="checkin_sent"} 2');
    expect(text).toContain('hiring_sla_events{kind="breached"} 1');
    expect(text).toMatch(/hiring_alerts_open\{kind="sla_breached",level="raised"\} 1/);
    const [has]: Array<{ ok: boolean }> = await t.db.query(`SELECT to_regclass('submissions') IS NOT NULL AS ok`);
    expect(text.includes('# TYPE hiring_gradings gauge')).toBe(true);
    if (!has.ok) expect(text).not.toMatch(/hiring_gradings\{/);
    else {
      // Seeded by the assignment test above: three graded submissions and one queued.
      expect(text).toContain('hiring_gradings{status="graded"} 3');
      expect(text).toContain('hiring_gradings{status="queued"} 1');
    }
  });
});
