import { randomBytes } from 'node:crypto';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, suiteEnv, TestApp } from '../setup/test-app';
import { auth, makeOpening, makeWorld, World } from '../support/factories';
import { docxWithText, docxZipBomb, pdfWithText, PNG_1PX } from '../support/resume-files';

const b64 = (b: Buffer) => b.toString('base64');
const email = (p: string) => `${p}-${randomBytes(3).toString('hex')}@example.com`;

describe('careers: publishing and applying through the API', () => {
  let t: TestApp;
  let w: World;
  let opening: { id: string; title: string };
  let draft: { id: string };

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test', COMPANY_NAME: 'Acme Robotics', CAREERS_APPLY_PER_HOUR: '1000' });
    t = await createTestApp();
    w = await makeWorld(t);
    opening = await makeOpening(t, w, { title: 'Robotics Engineer' });
    draft = await makeOpening(t, w, { title: 'Secret Draft Role' });
  });
  afterAll(() => t?.close());

  const apply = (openingId: string, body: Record<string, unknown>) =>
    t.http.post(`/api/v1/careers/${openingId}/applications`).send({ timezone: 'Europe/Lisbon', consent: true, ...body });
  const messagesOf = async (appId: string) =>
    (await t.http.get(`/api/v1/applications/${appId}/messages`).set(auth(w.recruiter.token))).body as Array<{ template: string }>;
  const candidatesByEmail = async (address: string) =>
    (await t.http.get(`/api/v1/candidates`).query({ email: address }).set(auth(w.recruiter.token))).body as Array<{ id: string }>;

  it('publishes an opening with a Markdown description, a location and remote time zones; a published opening needs a place', async () => {
    const refused = await t.http.patch(`/api/v1/openings/${opening.id}`).set(auth(w.manager.token)).send({ published: true });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/location/);
    const res = await t.http
      .patch(`/api/v1/openings/${opening.id}`)
      .set(auth(w.manager.token))
      .send({
        published: true,
        description: '## The job\nBuild **robots**.\n\n<script>alert(1)</script>',
        location: 'Lisbon',
        remote: true,
        remoteTimeZones: ['Europe/Lisbon', 'Europe/Berlin'],
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      published: true,
      location: 'Lisbon',
      remote: true,
      remoteTimeZones: ['Europe/Lisbon', 'Europe/Berlin'],
    });
    expect(res.body.publishedAt).toBeTruthy();
    expect(
      (
        await t.http
          .patch(`/api/v1/openings/${opening.id}`)
          .set(auth(w.manager.token))
          .send({ remoteTimeZones: ['Mars/Olympus'] })
      ).status,
    ).toBe(400);

    const list = await t.http.get('/api/v1/careers/openings');
    expect(list.status).toBe(200);
    expect(list.body.map((o: { title: string }) => o.title)).toEqual(['Robotics Engineer']);
    expect(list.body[0].pay).toMatchObject({ min: 90000, max: 120000, currency: 'EUR', text: '€90,000 – €120,000' });
    expect((await t.http.get(`/careers/${draft.id}`)).status).toBe(404);
    expect(
      (await apply(draft.id, { name: 'X', email: email('x'), resume: { fileName: 'cv.pdf', contentBase64: b64(pdfWithText('x')) } }))
        .status,
    ).toBe(404);
  });

  it('the opening page carries the sanitised description, the pay range, JSON-LD and Open Graph tags', async () => {
    const page = await t.http.get(`/careers/${opening.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>robots</strong>');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('€90,000 – €120,000');
    expect(page.text).toContain('<meta property="og:title" content="Robotics Engineer at Acme Robotics">');
    const ld = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.text)![1]);
    expect(ld).toMatchObject({
      '@type': 'JobPosting',
      title: 'Robotics Engineer',
      hiringOrganization: { name: 'Acme Robotics' },
      jobLocationType: 'TELECOMMUTE',
      baseSalary: { currency: 'EUR', value: { minValue: 90000, maxValue: 120000 } },
      jobLocation: { address: { addressLocality: 'Lisbon' } },
    });
    expect(page.text).toContain('Recruiter screen');
  });

  it('a PDF application creates the candidate and the application (source: careers page) with one first-contact message', async () => {
    const address = email('ada');
    const res = await apply(opening.id, {
      name: 'Ada Lovelace',
      email: address,
      links: ['https://github.com/ada-l'],
      resume: { fileName: 'ada.pdf', contentBase64: b64(pdfWithText('Analytical engine zebrafish enthusiast')) },
    });
    expect(res.status).toBe(201);
    const app = (await t.http.get(`/api/v1/applications/${res.body.applicationId}`).set(auth(w.recruiter.token))).body;
    expect(app).toMatchObject({ stage: 'recruiter_screen', status: 'active', source: { kind: 'direct', detail: 'careers page' } });
    const candidate = (await t.http.get(`/api/v1/candidates/${res.body.candidateId}`).set(auth(w.recruiter.token))).body;
    expect(candidate).toMatchObject({
      name: 'Ada Lovelace',
      email: address,
      timezone: 'Europe/Lisbon',
      publicCodeUrl: 'https://github.com/ada-l',
    });
    expect(candidate.consentAt).toBeTruthy();
    expect((await messagesOf(res.body.applicationId)).filter((m) => m.template === 'first_contact')).toHaveLength(1);
    const [{ content }] = await t.db.query(`SELECT content FROM resumes WHERE application_id = $1`, [res.body.applicationId]);
    expect(content).toContain('zebrafish');
    // Search: a résumé word's prefix, with and without an opening filter; another opening finds nobody.
    const search = (query: Record<string, string>) => t.http.get('/api/v1/candidates').query(query).set(auth(w.recruiter.token));
    expect((await search({ q: 'ZEBRAF' })).body.map((c: { name: string }) => c.name)).toEqual(['Ada Lovelace']);
    const filtered = await search({ q: 'analytical zebra', openingId: opening.id, status: 'active' });
    expect(filtered.body).toMatchObject([
      { name: 'Ada Lovelace', applications: [{ openingId: opening.id, stageName: 'Recruiter screen', source: { kind: 'direct' } }] },
    ]);
    expect((await search({ q: 'zebrafish', openingId: draft.id })).body).toEqual([]);
    expect((await search({ status: 'nope' })).status).toBe(400);
  });

  it('a DOCX application has its text read; the same e-mail in another case reuses the candidate; a second application to the same opening is refused kindly', async () => {
    const address = email('grace');
    const docx = await docxWithText('Grace Hopper', 'COBOL compilers and nanosecond wires');
    const first = await apply(opening.id, {
      name: 'Grace Hopper',
      email: address,
      source: 'linkedin',
      resume: { fileName: 'grace.docx', contentBase64: b64(docx) },
    });
    expect(first.status).toBe(201);
    const [{ content }] = await t.db.query(`SELECT content FROM resumes WHERE application_id = $1`, [first.body.applicationId]);
    expect(content).toContain('nanosecond wires');
    expect((await t.http.get(`/api/v1/applications/${first.body.applicationId}`).set(auth(w.recruiter.token))).body.source).toMatchObject({
      kind: 'job_board',
      detail: 'linkedin',
    });

    const again = await apply(opening.id, {
      name: 'Grace Hopper',
      email: address.toUpperCase(),
      resume: { fileName: 'grace.docx', contentBase64: b64(docx) },
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already applied for Robotics Engineer.*nothing more to do/);
    expect((await messagesOf(first.body.applicationId)).filter((m) => m.template === 'first_contact')).toHaveLength(1);

    const other = await makeOpening(t, w, { title: 'Compiler Engineer' });
    await t.http.patch(`/api/v1/openings/${other.id}`).set(auth(w.manager.token)).send({ published: true, remote: true });
    const second = await apply(other.id, {
      name: 'Grace B. Hopper',
      email: address.toUpperCase(),
      resume: { fileName: 'grace.docx', contentBase64: b64(docx) },
    });
    expect(second.status).toBe(201);
    expect(second.body.candidateId).toBe(first.body.candidateId);
    expect(await candidatesByEmail(address)).toHaveLength(1);
    expect((await messagesOf(second.body.applicationId)).filter((m) => m.template === 'first_contact')).toHaveLength(1);
  });

  it.each([
    ['a PNG named .pdf', () => PNG_1PX, 422, /neither/],
    ['a damaged PDF', () => Buffer.from('%PDF-1.7\nthis is not really a pdf at all\n%%EOF'), 422, /PDF could not be read/],
    [
      'a ZIP that is not a Word document',
      async () =>
        (await import('../support/resume-files')).docxWithText('x').then((b) => Buffer.concat([b.subarray(0, 4), Buffer.alloc(40)])),
      422,
      /Word document/,
    ],
    ['a DOCX zip bomb', () => docxZipBomb(), 422, /zip bomb/],
  ])('refuses %s with a clear 4xx and writes nothing', async (_label, make, status, message) => {
    const address = email('bad');
    const res = await apply(opening.id, {
      name: 'Mallory',
      email: address,
      resume: { fileName: 'cv.pdf', contentBase64: b64(await make()) },
    });
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
    expect(await candidatesByEmail(address)).toHaveLength(0);
  });

  it('asks for what is missing, by name', async () => {
    const res = await apply(opening.id, { name: '', email: 'nope', timezone: 'Nowhere/City', consent: false });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/name:.*email:.*timezone:.*consent:/);
  });

  it('ignores a bot that fills the honeypot: nothing is created', async () => {
    const address = email('bot');
    const res = await apply(opening.id, {
      name: 'Bot',
      email: address,
      website: 'http://spam.example',
      resume: { fileName: 'cv.pdf', contentBase64: b64(pdfWithText('buy now')) },
    });
    expect(res.status).toBe(201);
    expect(res.body.applicationId).toBeUndefined();
    expect(await candidatesByEmail(address)).toHaveLength(0);
  });

  it("records the referrer of an employee's referral link", async () => {
    const engineer = await t.login([Role.Engineer]);
    const link = await t.http.get('/api/v1/careers/referral-link').query({ openingId: opening.id }).set(auth(engineer.token));
    expect(link.status).toBe(200);
    expect(link.body.url).toBe(`http://hiring.test/careers/${opening.id}?ref=${engineer.id}`);
    const res = await apply(opening.id, {
      name: 'Linus Referred',
      email: email('linus'),
      ref: engineer.id,
      resume: { fileName: 'cv.pdf', contentBase64: b64(pdfWithText('kernel')) },
    });
    expect(res.status).toBe(201);
    expect((await t.http.get(`/api/v1/applications/${res.body.applicationId}`).set(auth(w.recruiter.token))).body.source).toMatchObject({
      kind: 'referral',
      referrerId: engineer.id,
    });
  });

  it('erasing an applicant removes the résumé and the search no longer finds them', async () => {
    const res = await apply(opening.id, {
      name: 'Erin Erased',
      email: email('erin'),
      resume: { fileName: 'cv.pdf', contentBase64: b64(pdfWithText('Unmistakable narwhal expertise')) },
    });
    expect(res.status).toBe(201);
    const search = () => t.http.get('/api/v1/candidates').query({ q: 'narwhal' }).set(auth(w.recruiter.token));
    expect((await search()).body).toHaveLength(1);
    expect((await t.http.post(`/api/v1/candidates/${res.body.candidateId}/erasure`).set(auth(w.recruiter.token))).status).toBe(200);
    expect((await search()).body).toEqual([]);
    expect(await t.db.query(`SELECT 1 FROM resumes WHERE candidate_id = $1`, [res.body.candidateId])).toEqual([]);
  });
});
