import ICAL from 'ical.js';
import { Clock } from '../../src/common/clock/clock';
import { IdentityService } from '../../src/identity/identity.service';
import { Role, TokenKind } from '../../src/identity/user.entity';
import { CULTURE_FIT_REASON, DEFAULT_INTERVIEW_KINDS, DEFAULT_ONBOARDING_TEMPLATE } from '../../src/interviews/domain';
import { PASSWORD, TestApp, startMailSuite } from '../setup/test-app';
import { eventually } from '../support/redis-server';
import { SmtpCapture } from '../support/smtp';
import { auth, makeApplication, makeCandidate, makeOpening, World } from '../support/factories';

const STAGES = [{ key: 'screen' }, { key: 'onsite', name: 'Team interviews' }, { key: 'offer', kind: 'offer' }];

interface Msg {
  to_address: string;
  template: string;
  subject: string;
  text: string;
  attachments: Array<{ content: string; contentType: string; method: string }>;
}

function parseIcs(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const ev = cal.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(ev);
  return {
    method: cal.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    status: ev.getFirstPropertyValue('status'),
    attendees: ev.getAllProperties('attendee').map((a) => String(a.getFirstValue()).replace(/^mailto:/, '')),
  };
}

describe('interview loops, offers and onboarding', () => {
  let t: TestApp;
  let w: World;
  let smtp: SmtpCapture;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let clock: Clock;
  let engineers: Array<{ id: string; email: string; name: string }>;
  let openingId: string;

  beforeAll(async () => {
    suite = await startMailSuite();
    ({ smtp, t, w } = suite);
    const identity = t.app.get(IdentityService);
    const zones = ['Europe/London', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/Berlin', 'UTC'];
    engineers = [];
    for (const [i, tz] of zones.entries()) {
      const u = await identity.createUser({
        email: `eng${i + 1}-${Date.now()}@test.local`,
        name: `Engineer${i + 1} Person`,
        password: PASSWORD,
        roles: [Role.Engineer],
        timezone: tz,
      });
      engineers.push({ id: u.id, email: u.email, name: u.name });
    }
    openingId = (await makeOpening(t, w, { stages: STAGES })).id;
    clock = t.app.get(Clock);
    clock.set(new Date('2027-03-01T08:00:00Z')); // Monday; the loops below are later that week
  });
  afterAll(async () => {
    clock?.reset();
    await suite?.close();
  });

  const newApplication = async (candidate: Record<string, unknown> = {}) => {
    const c = await makeCandidate(t, w, { timezone: 'America/New_York', name: 'Ada Lovelace', ...candidate });
    return { app: await makeApplication(t, w, openingId, c.id), candidate: c };
  };
  const propose = (appId: string, sessions: object[], token = w.recruiter.token) =>
    t.http.post(`/api/v1/applications/${appId}/interviews`).set(auth(token)).send({ sessions });
  const session = (kind: string, ids: string[], startsAt: string, endsAt: string) => ({ kind, interviewerIds: ids, startsAt, endsAt });
  const messages = (appId: string, like: string): Promise<Msg[]> =>
    t.db.query(
      `SELECT to_address, template, subject, text, attachments FROM messages WHERE application_id = $1 AND template LIKE $2 ORDER BY created_at, to_address`,
      [appId, like],
    );
  /** Offers wait for the opening's decision rule: a past code review whose reviewer says strong yes satisfies the default rule. */
  const decided = async (appId: string) => {
    const [{ id }] = await t.db.query(
      `INSERT INTO review_sessions (dedupe_key, application_id, reviewer_id, language, starts_at, ends_at, created_at)
       VALUES ($1, $2, $3, 'javascript', '2027-02-26T10:00:00Z', '2027-02-26T11:00:00Z', '2027-02-20T10:00:00Z') RETURNING id`,
      [`decided:${appId}`, appId, engineers[0].id],
    );
    const { token } = await t.app.get(IdentityService).issueToken(engineers[0].id, TokenKind.ApiToken);
    const filed = await t.http
      .post(`/api/v1/reviews/${id}/scorecards`)
      .set(auth(token))
      .send({
        ratings: [
          { competency: 'communication', score: 4 },
          { competency: 'technical_skills', score: 4 },
          { competency: 'working_with_others', score: 4 },
        ],
        recommendation: 'strong_yes',
      });
    expect(filed.status).toBe(201);
  };
  const events = async (appId: string) =>
    (await t.http.get(`/api/v1/applications/${appId}/events`).set(auth(w.recruiter.token))).body as Array<{ type: string; data: any }>;

  // Wednesday 3 March 2027 in New York (UTC-5): 09:00-10:00, 10:15-11:15, 11:30-13:00 = exactly 4 h.
  const loop = () => [
    session('pairing', [engineers[0].id, engineers[1].id], '2027-03-03T14:00:00Z', '2027-03-03T15:00:00Z'),
    session('System Design', [engineers[2].id], '2027-03-03T15:15:00Z', '2027-03-03T16:15:00Z'),
    session('team_conversation', [engineers[3].id], '2027-03-03T16:30:00Z', '2027-03-03T18:00:00Z'),
  ];

  it("refuses a culture-fit interview with the article's reason", async () => {
    const { app } = await newApplication();
    const res = await propose(app.id, [session('Culture Fit', [engineers[0].id], '2027-03-03T14:00:00Z', '2027-03-03T15:00:00Z')]);
    expect(res.status).toBe(422);
    expect(res.body.rules).toEqual(['culture_fit']);
    expect(res.body.message).toContain(CULTURE_FIT_REASON);
    expect(res.body.message).toMatch(/fast way to a homogeneous team/);
    expect(res.body.violations[0]).toMatchObject({ rule: 'culture_fit', sessionIds: ['#1'] });
    expect((await t.http.get(`/api/v1/applications/${app.id}/interviews`).set(auth(w.recruiter.token))).body).toEqual([]);
  });

  it("refuses a day of 4 h 01 in the candidate's time zone, and names every rule broken at once", async () => {
    const { app } = await newApplication();
    const long = loop();
    long[2].endsAt = '2027-03-03T18:01:00Z';
    const res = await propose(app.id, long);
    expect(res.status).toBe(422);
    expect(res.body.rules).toEqual(['max_hours_per_day']);
    expect(res.body.message).toMatch(/span 4 h 1 min from the first start \(09:00\) to the last end \(13:01\)/);
    const several = await propose(app.id, [
      session('astrology', [engineers[0].id, engineers[1].id, engineers[2].id], '2027-03-03T14:00:00Z', '2027-03-03T15:00:00Z'),
      session('pairing', [engineers[3].id], '2027-03-03T15:05:00Z', '2027-03-03T16:00:00Z'),
    ]);
    expect(several.status).toBe(422);
    expect(several.body.rules.sort()).toEqual(['max_per_session', 'min_break', 'unknown_kind']);
  });

  it('accepts a 4 h loop, invites each interviewer and the candidate with ICS in their own time zones, then refuses a 5th interviewer', async () => {
    const { app, candidate } = await newApplication();
    const res = await propose(app.id, loop());
    expect(res.status).toBe(201);
    expect(res.body.sessions).toHaveLength(3);
    const [s1, s2, s3] = res.body.sessions as Array<{ id: string; kind: string; icsUid: string; status: string; sequence: number }>;
    expect(s2.kind).toBe('system_design');
    expect(s1.icsUid).toBe(`interview-${s1.id}@hiring.test`);

    const listed = (await t.http.get(`/api/v1/applications/${app.id}/interviews`).set(auth(w.manager.token))).body;
    expect(listed.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      [s1.id, 'scheduled'],
      [s2.id, 'scheduled'],
      [s3.id, 'scheduled'],
    ]);
    expect((await events(app.id)).filter((e) => e.type === 'interview.scheduled').map((e) => e.data.sessionId)).toEqual([
      s1.id,
      s2.id,
      s3.id,
    ]);

    const mails = await messages(app.id, 'interview_invitation%');
    expect(mails).toHaveLength(3 + 2 + 2);
    for (const m of mails) {
      expect(m.attachments).toHaveLength(1);
      expect(m.attachments[0]).toMatchObject({ contentType: 'text/calendar; method=REQUEST', method: 'REQUEST' });
    }
    const of = (address: string) => mails.filter((m) => m.to_address === address);
    // Session 1: the candidate and two interviewers, one UID, SEQUENCE 0, everyone as attendee.
    const first = [...of(candidate.email), ...of(engineers[0].email), ...of(engineers[1].email)].filter(
      (m) => parseIcs(m.attachments[0].content).uid === s1.icsUid,
    );
    expect(first).toHaveLength(3);
    for (const m of first) {
      const ics = parseIcs(m.attachments[0].content);
      expect(ics).toMatchObject({
        method: 'REQUEST',
        sequence: 0,
        start: '2027-03-03T14:00:00.000Z',
        end: '2027-03-03T15:00:00.000Z',
        status: 'CONFIRMED',
      });
      expect(ics.attendees.sort()).toEqual([candidate.email, engineers[0].email, engineers[1].email].sort());
    }
    // Each recipient reads the time in their own zone.
    expect(first.find((m) => m.to_address === candidate.email)!.text).toContain('Wednesday 3 March 2027, 09:00–10:00 (America/New_York)');
    expect(first.find((m) => m.to_address === candidate.email)!.template).toBe('interview_invitation_candidate');
    expect(first.find((m) => m.to_address === engineers[0].email)!.text).toContain('Wednesday 3 March 2027, 14:00–15:00 (Europe/London)');
    expect(first.find((m) => m.to_address === engineers[1].email)!.text).toContain(
      'Wednesday 3 March 2027, 23:00 – Thursday 4 March 2027, 00:00 (Asia/Tokyo)',
    );
    expect(first.find((m) => m.to_address === engineers[1].email)!.text).toContain('together with Engineer1 Person');
    expect(of(engineers[2].email)[0].text).toContain('Wednesday 3 March 2027, 07:15–08:15 (America/Los_Angeles)');
    expect(of(candidate.email)).toHaveLength(3);

    // Delivered over SMTP with the calendar part.
    const delivered = await eventually(
      async () => smtp.to(engineers[1].email),
      (m) => m.length >= 1,
      60_000,
    );
    expect(delivered[0].raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(delivered[0].subject).toContain('Interview (Pairing) with Ada Lovelace');

    // The loop already has 4 interviewers: a 5th, on another day, is refused over the whole loop.
    const fifth = await propose(app.id, [session('pairing', [engineers[4].id], '2027-03-04T14:00:00Z', '2027-03-04T15:00:00Z')]);
    expect(fifth.status).toBe(422);
    expect(fifth.body.rules).toEqual(['max_interviewers']);
    expect(fifth.body.message).toMatch(/5 different interviewers/);

    // Cancel session 2: METHOD:CANCEL, same UID, SEQUENCE 1, to its interviewer and the candidate.
    const cancelled = await t.http
      .post(`/api/v1/interviews/${s2.id}/cancel`)
      .set(auth(w.recruiter.token))
      .send({ reason: 'Interviewer is ill' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: s2.id, status: 'cancelled', sequence: 1, cancelReason: 'Interviewer is ill' });
    const cancels = await messages(app.id, 'interview_cancelled%');
    expect(cancels.map((m) => m.to_address).sort()).toEqual([candidate.email, engineers[2].email].sort());
    for (const m of cancels) {
      expect(m.attachments[0]).toMatchObject({ contentType: 'text/calendar; method=CANCEL', method: 'CANCEL' });
      expect(parseIcs(m.attachments[0].content)).toMatchObject({
        method: 'CANCEL',
        uid: s2.icsUid,
        sequence: 1,
        status: 'CANCELLED',
        start: '2027-03-03T15:15:00.000Z',
      });
    }
    expect(cancels.find((m) => m.to_address === engineers[2].email)!.text).toContain('Reason: Interviewer is ill');
    expect(cancels.find((m) => m.to_address === candidate.email)!.text).not.toContain('Interviewer is ill');
    const again = await t.http.post(`/api/v1/interviews/${s2.id}/cancel`).set(auth(w.recruiter.token)).send({});
    expect(again.status).toBe(409);
    expect((await events(app.id)).filter((e) => e.type === 'interview.cancelled')).toHaveLength(1);
    const cancelMail = await eventually(
      async () => smtp.to(engineers[2].email).filter((m) => /^Cancelled/.test(m.subject)),
      (m) => m.length >= 1,
      60_000,
    );
    expect(cancelMail[0].raw).toMatch(/method=CANCEL/i);

    // A cancelled session no longer counts: the 5th interviewer now fits (4 distinct again).
    const now = await propose(app.id, [session('pairing', [engineers[4].id], '2027-03-04T14:00:00Z', '2027-03-04T15:00:00Z')]);
    expect(now.status).toBe(201);
  });

  it('only administrators configure the interview kinds, and culture fit cannot be one', async () => {
    expect((await t.http.get('/api/v1/interview-kinds').set(auth(w.recruiter.token))).body.kinds).toEqual([...DEFAULT_INTERVIEW_KINDS]);
    expect(
      (
        await t.http
          .put('/api/v1/interview-kinds')
          .set(auth(w.manager.token))
          .send({ kinds: ['pairing'] })
      ).status,
    ).toBe(403);
    const refused = await t.http
      .put('/api/v1/interview-kinds')
      .set(auth(w.admin.token))
      .send({ kinds: ['pairing', 'Cultural fit'] });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain(CULTURE_FIT_REASON);
    const saved = await t.http
      .put('/api/v1/interview-kinds')
      .set(auth(w.admin.token))
      .send({ kinds: ['pairing', 'Bar Raiser'] });
    expect(saved.status).toBe(200);
    expect(saved.body.kinds).toEqual(['pairing', 'bar_raiser']);
    try {
      const { app } = await newApplication();
      const ok = await propose(app.id, [session('bar raiser', [engineers[0].id], '2027-03-05T14:00:00Z', '2027-03-05T15:00:00Z')]);
      expect(ok.status).toBe(201);
      expect(ok.body.sessions[0].kind).toBe('bar_raiser');
      const gone = await propose(app.id, [session('system_design', [engineers[1].id], '2027-03-05T15:30:00Z', '2027-03-05T16:30:00Z')]);
      expect(gone.status).toBe(422);
      expect(gone.body.rules).toEqual(['unknown_kind']);
    } finally {
      await t.http
        .put('/api/v1/interview-kinds')
        .set(auth(w.admin.token))
        .send({ kinds: [...DEFAULT_INTERVIEW_KINDS] });
    }
  });

  it('makes offers within the range (outside it only with an admin override and a reason), and a hire creates the 8-week onboarding plan', async () => {
    const { app, candidate } = await newApplication({ timezone: 'Europe/Berlin', name: 'Grace Hopper' });
    const offers = `/api/v1/applications/${app.id}/offers`;
    await decided(app.id);
    expect((await t.http.get(`/api/v1/applications/${app.id}/onboarding`).set(auth(w.manager.token))).status).toBe(404);
    const low = await t.http.post(offers).set(auth(w.manager.token)).send({ amount: 80000, currency: 'EUR' });
    expect(low.status).toBe(422);
    expect(low.body.rule).toBe('below_range');
    expect(low.body.message).toMatch(/Make a fair offer/);
    const notAdmin = await t.http
      .post(offers)
      .set(auth(w.manager.token))
      .send({ amount: 130000, currency: 'EUR', override: { reason: 'Exceptional' } });
    expect(notAdmin.status).toBe(422);
    expect(notAdmin.body.rule).toBe('override_not_admin');
    const noReason = await t.http
      .post(offers)
      .set(auth(w.admin.token))
      .send({ amount: 130000, currency: 'EUR', override: { reason: '  ' } });
    expect(noReason.body.rule).toBe('override_without_reason');
    const currency = await t.http.post(offers).set(auth(w.manager.token)).send({ amount: 100000, currency: 'USD' });
    expect(currency.body.rule).toBe('currency_mismatch');
    const overridden = await t.http
      .post(offers)
      .set(auth(w.admin.token))
      .send({ amount: 130000, currency: 'EUR', override: { reason: 'Matches a competing offer for a rare skill set' } });
    expect(overridden.status).toBe(201);
    expect(overridden.body).toMatchObject({
      amount: 130000,
      currency: 'EUR',
      overridden: true,
      outside: 'above_range',
      overrideReason: 'Matches a competing offer for a rare skill set',
    });
    const fair = await t.http.post(offers).set(auth(w.manager.token)).send({ amount: 115000, currency: 'eur', startDate: '2027-05-03' });
    expect(fair.status).toBe(201);
    expect(fair.body).toMatchObject({
      amount: 115000,
      currency: 'EUR',
      startDate: '2027-05-03',
      overridden: false,
      outside: null,
      overrideReason: null,
    });
    const past = await t.http.post(offers).set(auth(w.manager.token)).send({ amount: 115000, currency: 'EUR', startDate: '2027-02-01' });
    expect(past.status).toBe(400);

    const offerMails = await messages(app.id, 'offer');
    expect(offerMails).toHaveLength(2);
    expect(offerMails.every((m) => m.to_address === candidate.email)).toBe(true);
    expect(offerMails.filter((m) => m.text.includes('€115,000 a year, starting on Monday 3 May 2027'))).toHaveLength(1);
    expect(offerMails.filter((m) => m.text.includes('€130,000 a year.'))).toHaveLength(1);
    expect(offerMails[0].subject).toMatch(/offer/i);
    const listedOffers = (await t.http.get(offers).set(auth(w.recruiter.token))).body as Array<{ amount: number }>;
    expect(listedOffers.map((o) => o.amount)).toEqual([130000, 115000]);
    const made = (await events(app.id)).filter((e) => e.type === 'offer.made');
    expect(made.map((e) => [e.data.amount, e.data.overridden])).toEqual([
      [130000, true],
      [115000, false],
    ]);

    for (const to of ['onsite', 'offer'])
      expect((await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to })).status).toBe(200);
    const hired = await t.http.post(`/api/v1/applications/${app.id}/hire`).set(auth(w.manager.token)).send({});
    expect(hired.status).toBe(200);
    const plan = await t.http.get(`/api/v1/applications/${app.id}/onboarding`).set(auth(w.manager.token));
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ ownerId: w.manager.id, startDate: '2027-05-03', weeks: 8 });
    expect(plan.body.items).toHaveLength(DEFAULT_ONBOARDING_TEMPLATE.length);
    const item = (key: string) => plan.body.items.find((i: { key: string }) => i.key === key);
    expect(item('write-plan')).toMatchObject({ dueDate: '2027-04-26', ownerId: w.manager.id, ownerRole: 'hiring_manager' });
    expect(item('day-one-welcome').dueDate).toBe('2027-05-03');
    expect(item('first-commit')).toMatchObject({ dueDate: '2027-05-07', ownerRole: 'buddy', ownerId: w.manager.id, ownerFallback: true });
    expect(item('two-month-review').dueDate).toBe('2027-06-25');
    expect(plan.body.items[plan.body.items.length - 1].key).toBe('two-month-review');
    const planned = (await events(app.id)).filter((e) => e.type === 'onboarding.planned');
    expect(planned).toHaveLength(1);
    expect(planned[0].data).toMatchObject({ startDate: '2027-05-03', ownerId: w.manager.id, items: DEFAULT_ONBOARDING_TEMPLATE.length });
    // Closed: no more offers.
    expect((await t.http.post(offers).set(auth(w.manager.token)).send({ amount: 100000, currency: 'EUR' })).status).toBe(409);
  });

  it('cancels the sessions still ahead when the application is rejected, telling everyone', async () => {
    const { app, candidate } = await newApplication();
    const res = await propose(app.id, [session('pairing', [engineers[0].id], '2027-03-04T19:00:00Z', '2027-03-04T20:00:00Z')]);
    expect(res.status).toBe(201);
    expect(
      (await t.http.post(`/api/v1/applications/${app.id}/reject`).set(auth(w.recruiter.token)).send({ reason: 'Role filled' })).status,
    ).toBe(200);
    const listed = (await t.http.get(`/api/v1/applications/${app.id}/interviews`).set(auth(w.recruiter.token))).body;
    expect(listed[0]).toMatchObject({ status: 'cancelled', sequence: 1 });
    const cancels = await messages(app.id, 'interview_cancelled%');
    expect(cancels.map((m) => m.to_address).sort()).toEqual([candidate.email, engineers[0].email].sort());
    expect(cancels.find((m) => m.to_address === candidate.email)!.text).toMatch(/has closed/);
    expect(parseIcs(cancels[0].attachments[0].content)).toMatchObject({ method: 'CANCEL', sequence: 1 });
    expect((await propose(app.id, [session('pairing', [engineers[0].id], '2027-03-05T14:00:00Z', '2027-03-05T15:00:00Z')])).status).toBe(
      409,
    );
  });

  it('never books an interviewer twice: another loop, a code review or a busy block at that time is refused by name; the freed slot can be booked', async () => {
    const engineer = engineers[2];
    const first = await newApplication({ name: 'Mary Jackson' });
    // Thursday 4 March 2027, 10:00-11:00 in New York.
    const slot = ['2027-03-04T15:00:00Z', '2027-03-04T16:00:00Z'] as const;
    expect((await propose(first.app.id, [session('pairing', [engineer.id], ...slot)])).status).toBe(201);

    const second = await newApplication({ name: 'Annie Easley' });
    const clash = await propose(second.app.id, [
      session('system_design', [engineers[3].id, engineer.id], '2027-03-04T15:30:00Z', '2027-03-04T16:30:00Z'),
    ]);
    expect(clash.status).toBe(422);
    expect(clash.body.rules).toEqual(['interviewer_busy']);
    expect(clash.body.message).toContain(`Session 1: ${engineer.name} has another interview from 2027-03-04T15:00Z to 2027-03-04T16:00Z.`);
    expect(clash.body.message).not.toContain(engineers[3].name);
    expect(await messages(second.app.id, 'interview_invitation%')).toHaveLength(0);

    // A busy block and a code review count too.
    expect(
      (
        await t.http
          .post(`/api/v1/users/${engineer.id}/busy`)
          .set(auth(w.admin.token))
          .send({ startsAt: '2027-03-04T18:00:00Z', endsAt: '2027-03-04T19:00:00Z', reason: 'Dentist' })
      ).status,
    ).toBe(201);
    await t.db.query(
      `INSERT INTO review_sessions (dedupe_key, application_id, reviewer_id, language, starts_at, ends_at, status, created_at)
       VALUES ($1, $2, $3, 'typescript', '2027-03-04T20:00:00Z', '2027-03-04T21:00:00Z', 'scheduled', now())`,
      [`test:${first.app.id}`, first.app.id, engineer.id],
    );
    const busy = await propose(second.app.id, [
      session('pairing', [engineer.id], '2027-03-04T18:30:00Z', '2027-03-04T19:30:00Z'),
      session('system_design', [engineer.id], '2027-03-04T20:00:00Z', '2027-03-04T21:00:00Z'),
    ]);
    expect(busy.status).toBe(422);
    expect(busy.body.rules).toContain('interviewer_busy');
    expect(busy.body.message).toContain(`Session 1: ${engineer.name} has a busy block from 2027-03-04T18:00Z to 2027-03-04T19:00Z.`);
    expect(busy.body.message).toContain(`Session 2: ${engineer.name} has a code review from 2027-03-04T20:00Z to 2027-03-04T21:00Z.`);

    // Once the first application's interview is cancelled (rejected), the slot is free again.
    expect(
      (await t.http.post(`/api/v1/applications/${first.app.id}/reject`).set(auth(w.recruiter.token)).send({ reason: 'Role filled' }))
        .status,
    ).toBe(200);
    const retry = await propose(second.app.id, [
      session('system_design', [engineers[3].id, engineer.id], '2027-03-04T15:30:00Z', '2027-03-04T16:30:00Z'),
    ]);
    expect(retry.status).toBe(201);
  });

  it('two loops racing for the same interviewer: exactly one is booked', async () => {
    const engineer = engineers[4];
    const apps = await Promise.all([newApplication({ name: 'Evelyn Boyd' }), newApplication({ name: 'Christine Darden' })]);
    const results = await Promise.all(
      apps.map(({ app }) => propose(app.id, [session('pairing', [engineer.id], '2027-03-05T16:00:00Z', '2027-03-05T17:00:00Z')])),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    const booked = await t.db.query(
      `SELECT count(*)::int AS n FROM interview_sessions WHERE $1 = ANY(interviewer_ids) AND status = 'scheduled' AND starts_at = '2027-03-05T16:00:00Z'`,
      [engineer.id],
    );
    expect(booked[0].n).toBe(1);
  });

  it('onboarding: the hiring manager names a buddy who takes over the buddy items; owners tick items off, others cannot', async () => {
    const { app } = await newApplication({ name: 'Frances Allen' });
    const base = `/api/v1/applications/${app.id}/onboarding`;
    const buddy = engineers[1];
    const tokenOf = async (id: string) => (await t.app.get(IdentityService).issueToken(id, TokenKind.ApiToken)).token;
    const buddyToken = await tokenOf(buddy.id);
    expect((await t.http.put(`${base}/buddy`).set(auth(w.manager.token)).send({ userId: buddy.id })).status).toBe(404); // not hired yet
    for (const to of ['onsite', 'offer'])
      expect((await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to })).status).toBe(200);
    await decided(app.id);
    expect(
      (
        await t.http
          .post(`/api/v1/applications/${app.id}/offers`)
          .set(auth(w.manager.token))
          .send({ amount: 110000, currency: 'EUR', startDate: '2027-06-07' })
      ).status,
    ).toBe(201);
    expect((await t.http.post(`/api/v1/applications/${app.id}/hire`).set(auth(w.manager.token)).send({})).status).toBe(200);

    const before = (await t.http.get(base).set(auth(w.manager.token))).body;
    expect(before.buddyId).toBeNull();
    const byKey = (plan: any, key: string) => plan.items.find((i: { key: string }) => i.key === key);
    expect(byKey(before, 'first-commit')).toMatchObject({ ownerId: w.manager.id, ownerFallback: true });

    // Bad input and the wrong people are refused, naming the problem.
    expect((await t.http.put(`${base}/buddy`).set(auth(w.manager.token)).send({ userId: 'nobody' })).status).toBe(400);
    const unknown = await t.http.put(`${base}/buddy`).set(auth(w.manager.token)).send({ userId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/active staff user/);
    const otherManager = await t.login([Role.HiringManager]);
    // Off the opening's hiring team the application does not exist for them; on it, only the plan's owner names the buddy.
    expect((await t.http.put(`${base}/buddy`).set(auth(otherManager.token)).send({ userId: buddy.id })).status).toBe(404);
    expect(
      (
        await t.http
          .put(`/api/v1/openings/${openingId}/team`)
          .set(auth(w.manager.token))
          .send({ members: [{ userId: otherManager.id, role: 'interviewer' }] })
      ).status,
    ).toBe(200);
    const notOwner = await t.http.put(`${base}/buddy`).set(auth(otherManager.token)).send({ userId: buddy.id });
    expect(notOwner.status).toBe(403);
    expect(notOwner.body.message).toMatch(/plan's owner/);

    const named = await t.http.put(`${base}/buddy`).set(auth(w.manager.token)).send({ userId: buddy.id });
    expect(named.status).toBe(200);
    expect(named.body.buddyId).toBe(buddy.id);
    const buddyItems = named.body.items.filter((i: { ownerRole: string }) => i.ownerRole === 'buddy');
    expect(buddyItems.length).toBeGreaterThan(2);
    for (const i of buddyItems) expect(i).toMatchObject({ ownerId: buddy.id, ownerFallback: false, doneAt: null });
    expect(byKey(named.body, 'assign-buddy')).toMatchObject({ doneBy: w.manager.id });
    expect(byKey(named.body, 'assign-buddy').doneAt).not.toBeNull();
    // Naming the same buddy again changes nothing and writes no second event.
    expect((await t.http.put(`${base}/buddy`).set(auth(w.manager.token)).send({ userId: buddy.id })).status).toBe(200);

    // The buddy ticks their own item; another engineer cannot; the manager can reopen it.
    const firstCommit = byKey(named.body, 'first-commit');
    const stranger = engineers[3];
    const strangerToken = await tokenOf(stranger.id);
    const refused = await t.http.post(`${base}/items/${firstCommit.id}`).set(auth(strangerToken)).send({ done: true });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/item's owner/);
    expect((await t.http.post(`${base}/items/${firstCommit.id}`).set(auth(buddyToken)).send({ done: 'yes' })).status).toBe(400);
    expect(
      (await t.http.post(`${base}/items/00000000-0000-4000-8000-000000000000`).set(auth(buddyToken)).send({ done: true })).status,
    ).toBe(404);
    const ticked = await t.http.post(`${base}/items/${firstCommit.id}`).set(auth(buddyToken)).send({ done: true });
    expect(ticked.status).toBe(200);
    expect(byKey(ticked.body, 'first-commit')).toMatchObject({ doneBy: buddy.id });
    expect((await t.http.post(`${base}/items/${firstCommit.id}`).set(auth(buddyToken)).send({ done: true })).status).toBe(200);
    const reopened = await t.http.post(`${base}/items/${firstCommit.id}`).set(auth(w.manager.token)).send({ done: false });
    expect(byKey(reopened.body, 'first-commit')).toMatchObject({ doneAt: null, doneBy: null });

    const timeline = (await events(app.id)).filter((e) => e.type.startsWith('onboarding.'));
    expect(timeline.map((e) => e.type)).toEqual([
      'onboarding.planned',
      'onboarding.buddy_assigned',
      'onboarding.item_done',
      'onboarding.item_reopened',
    ]);
    expect(timeline[1].data).toMatchObject({ buddyId: buddy.id, previousBuddyId: null, itemsMoved: buddyItems.length });
    expect(timeline[2].data).toMatchObject({ key: 'first-commit', late: false });
  });
});
