import { randomBytes } from 'node:crypto';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeOpening, makeWorld, World } from '../support/factories';
import { pdfWithText } from '../support/resume-files';

const email = (p: string) => `${p}-${randomBytes(4).toString('hex')}@example.com`;

describe('careers: applications from one address within an hour', () => {
  let t: TestApp;
  let w: World;
  let opening: { id: string };

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test', COMPANY_NAME: 'Acme Robotics', CAREERS_APPLY_PER_HOUR: '3' });
    t = await createTestApp();
    w = await makeWorld(t);
    opening = await makeOpening(t, w, { title: 'Firmware Engineer' });
    const published = await t.http
      .patch(`/api/v1/openings/${opening.id}`)
      .set(auth(w.manager.token))
      .send({ published: true, location: 'Lisbon' });
    expect(published.status).toBe(200);
  });
  afterAll(() => t?.close());

  const apply = (name: string) =>
    t.http.post(`/api/v1/careers/${opening.id}/applications`).send({
      name,
      email: email(name.toLowerCase()),
      timezone: 'Europe/Lisbon',
      consent: true,
      resume: { fileName: 'cv.pdf', contentBase64: pdfWithText(`${name} builds firmware`).toString('base64') },
    });

  it('eight sent at once with a limit of three: three applications are made, five are told to try later, and no more applications are stored', async () => {
    const answers = await Promise.all(['Ana', 'Bo', 'Cy', 'Di', 'Ed', 'Fa', 'Gu', 'Hu'].map(apply));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429, 429, 429]);
    for (const refused of answers.filter((r) => r.status === 429))
      expect(refused.body.message).toBe('Too many applications from your network in the last hour; please try again later');
    const made = await t.db.query(`SELECT count(*)::int AS n FROM applications WHERE opening_id = $1`, [opening.id]);
    expect(made[0].n).toBe(3);
    // The hour is used up: a later one is refused too, before its résumé is read.
    const later = await apply('Iz');
    expect(later.status).toBe(429);
  });
});
