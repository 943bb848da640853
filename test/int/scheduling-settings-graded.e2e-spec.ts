import Docker from 'dockerode';
import { Role } from '../../src/identity/user.entity';
import { buildAllSandboxImages } from '../../src/sandbox';
import { tarGzDir, zipDir } from '../fixtures/assignments/pack';
import { TestApp, startMailSuite } from '../setup/test-app';
import { auth, makeApplication, makeCandidate, makeOpening, World } from '../support/factories';
import { eventually } from '../support/redis-server';

const PY = 'python-roman';

/**
 * The scheduling setting at the moment a take-home is graded (in the sandbox, by the worker):
 * switched on from the API, the next graded submission gets the candidate a choice of review
 * times; switched off again, the next one is booked directly. No restart in between.
 */
describe('scheduling setting: a graded take-home follows the setting saved at that moment', () => {
  let t: TestApp;
  let w: World;
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let assignmentId: string;

  beforeAll(async () => {
    await buildAllSandboxImages(new Docker({ socketPath: '/var/run/docker.sock' }), () => undefined);
    suite = await startMailSuite({ SELF_SCHEDULE_OFFERS: undefined });
    ({ t, w } = suite);
    const engineer = await t.login([Role.Engineer]);
    await t.http
      .put(`/api/v1/users/${engineer.id}/reviewer-profile`)
      .set(auth(engineer.token))
      .send({ languages: ['python'], timezone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } })
      .expect(200);
    const a = await t.http
      .post('/api/v1/assignments')
      .set(auth(w.manager.token))
      .send({ title: 'Roman numerals', runtime: 'python', instructions: '# Roman numerals' })
      .expect(201);
    assignmentId = a.body.id;
    const v = await t.http
      .post(`/api/v1/assignments/${assignmentId}/versions`)
      .set(auth(engineer.token))
      .attach('hiddenTests', await tarGzDir(`${PY}/hidden-tests`), 'hidden.tar.gz')
      .attach('referenceSolution', zipDir(`${PY}/reference`), 'reference.zip');
    expect(v.status).toBe(201);
    const p = await t.http.post(`/api/v1/assignments/${assignmentId}/versions/${v.body.version}/publish`).set(auth(engineer.token));
    expect({ status: p.status, reason: p.body.message }).toMatchObject({ status: 200 });
  }, 300_000);
  afterAll(async () => {
    await suite?.close();
  });

  /** A candidate at the take-home uploads the working solution; it is graded in the sandbox. */
  async function graded(name: string) {
    const opening = await makeOpening(t, w);
    const c = await makeCandidate(t, w, { name, timezone: 'Europe/London' });
    const app = await makeApplication(t, w, opening.id, c.id);
    for (const to of ['manager_call', 'take_home'])
      await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to }).expect(200);
    const inv = await t.http
      .post(`/api/v1/applications/${app.id}/invitations`)
      .set(auth(w.recruiter.token))
      .send({ assignmentId })
      .expect(201);
    const token = String(inv.body.portalUrl).split('/').pop()!;
    await t.http.post(`/api/v1/portal/${token}/attestation`).send({ fullName: name, agreed: true }).expect(201);
    const sent = await t.http.post(`/api/v1/portal/${token}/submission`).attach('file', zipDir(`${PY}/reference`), 'solution.zip');
    expect(sent.status).toBe(201);
    await eventually(
      () => t.http.get(`/api/v1/submissions/${sent.body.id}`).set(auth(w.recruiter.token)),
      (r) => r.body.status === 'graded',
      150_000,
    );
    const mail = await eventually(
      async () => suite.smtp.to(c.email).filter((m) => /Choose a time for your code review|Code review with/.test(m.subject)),
      (x) => x.length >= 1,
      60_000,
    );
    const reviews = (await t.http.get(`/api/v1/reviews?applicationId=${app.id}`).set(auth(w.recruiter.token)).expect(200)).body;
    return { subjects: mail.map((m) => m.subject), reviews: reviews as unknown[] };
  }

  it('on from the API: the graded submission gets offered times and no review; off again: booked directly', async () => {
    await t.http.put('/api/v1/settings/scheduling').set(auth(w.admin.token)).send({ selfScheduleOffers: true }).expect(200);
    const offered = await graded('Grace Offered');
    expect(offered.subjects).toEqual([expect.stringMatching(/Choose a time for your code review/)]);
    expect(offered.reviews).toHaveLength(0);

    await t.http.put('/api/v1/settings/scheduling').set(auth(w.admin.token)).send({ selfScheduleOffers: false }).expect(200);
    const booked = await graded('Hedy Booked');
    expect(booked.subjects.some((s) => /Code review with/.test(s))).toBe(true);
    expect(booked.subjects.some((s) => /Choose a time/.test(s))).toBe(false);
    expect(booked.reviews).toHaveLength(1);
  }, 420_000);
});
