import { randomBytes } from 'node:crypto';
import { Role } from '../../src/identity/user.entity';
import { startMailSuite } from '../setup/test-app';
import { auth, makeOpening, World } from '../support/factories';
import { docxWithText, pdfWithText } from '../support/resume-files';
import { SmtpCapture } from '../support/smtp';

const b64 = (b: Buffer) => b.toString('base64');
const email = (p: string) => `${p}-${randomBytes(3).toString('hex')}@example.com`;
const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Binary bodies from supertest (it buffers only text by default). */
const binary = (res: any, cb: (e: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('careers, staff side: publishing, application questions, résumé download, referrers kept informed', () => {
  let suite: Awaited<ReturnType<typeof startMailSuite>>;
  let t: typeof suite.t;
  let w: World;
  let smtp: SmtpCapture;
  let opening: { id: string; title: string };

  beforeAll(async () => {
    suite = await startMailSuite({ COMPANY_NAME: 'Acme Robotics', CAREERS_APPLY_PER_HOUR: '1000' });
    ({ t, w, smtp } = suite);
    // Two stages so a hire is one move away.
    opening = await makeOpening(t, w, {
      title: 'Firmware Engineer',
      stages: [
        { key: 'screen', name: 'Recruiter screen' },
        { key: 'offer', kind: 'offer' },
      ],
    });
  });
  afterAll(() => suite?.close());

  const apply = (openingId: string, body: Record<string, unknown>) =>
    t.http.post(`/api/v1/careers/${openingId}/applications`).send({ timezone: 'Europe/Lisbon', consent: true, ...body });
  const waitForMail = async (to: string, subject: RegExp, timeoutMs = 30_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = smtp.mails.find((x) => x.to === to && subject.test(x.subject));
      if (m) return m;
      if (Date.now() > until)
        throw new Error(`no mail to ${to} matching ${subject}; got: ${smtp.mails.map((x) => `${x.to}: ${x.subject}`).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('a recruiter on the team publishes with a description, remote time zones and the pay range; bad input is a 400 naming the field', async () => {
    const put = (token: string, body: Record<string, unknown>) =>
      t.http.put(`/api/v1/openings/${opening.id}/publication`).set(auth(token)).send(body);
    const good = {
      published: true,
      description: '## The job\nWrite **firmware**.',
      location: '',
      remote: true,
      remoteTimeZones: ['Europe/Lisbon', 'Europe/Berlin'],
      compensation: { min: 70000, max: 95000, currency: 'EUR' },
    };
    const noPay = await put(w.recruiter.token, { ...good, compensation: undefined });
    expect(noPay.status).toBe(400);
    expect(noPay.body.message).toMatch(/compensation/);
    const badZone = await put(w.recruiter.token, { ...good, remoteTimeZones: ['Mars/Olympus'] });
    expect(badZone.status).toBe(400);
    expect(badZone.body.message).toMatch(/remoteTimeZones/);
    const nowhere = await put(w.recruiter.token, { ...good, remote: false });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.message).toMatch(/location/);
    // A recruiter who is not on this opening's team does not see it.
    const outsider = await t.login([Role.Recruiter]);
    expect((await put(outsider.token, good)).status).toBe(404);

    const res = await put(w.recruiter.token, good);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ published: true, location: null, remote: true, remoteTimeZones: ['Europe/Lisbon', 'Europe/Berlin'] });
    expect(res.body.compensation).toMatchObject({ min: 70000, max: 95000, currency: 'EUR' });
    const page = await t.http.get(`/careers/${opening.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('€70,000 – €95,000');
    expect(page.text).toContain('<strong>firmware</strong>');

    const links = await t.http.get(`/api/v1/openings/${opening.id}/links`).set(auth(w.recruiter.token));
    expect(links.status).toBe(200);
    expect(links.body.referral.url).toBe(`http://hiring.test/careers/${opening.id}?ref=${w.recruiter.id}`);
    expect(links.body.jobBoards).toContainEqual({ name: 'LinkedIn', url: `http://hiring.test/careers/${opening.id}?source=linkedin` });
    expect(links.body.partnerExample).toBe(`http://hiring.test/careers/${opening.id}?source=partner%3Acodebar`);
    const forManager = await t.http
      .get(`/api/v1/openings/${opening.id}/links`)
      .query({ referrerId: w.manager.id })
      .set(auth(w.recruiter.token));
    expect(forManager.body.referral.url).toBe(`http://hiring.test/careers/${opening.id}?ref=${w.manager.id}`);

    const off = await put(w.recruiter.token, { ...good, published: false });
    expect(off.body.published).toBe(false);
    expect((await t.http.get(`/careers/${opening.id}`)).status).toBe(404);
    expect((await put(w.recruiter.token, good)).status).toBe(200);
  });

  it('application questions: configured by staff (lint errors refused), asked on the form, required and scored on the server, answers on the application', async () => {
    const put = (body: object) =>
      t.http.put(`/api/v1/openings/${opening.id}/application-questions`).set(auth(w.recruiter.token)).send(body);
    const empty = await put({ questions: [{ prompt: '', answer: 'loops' }] });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/question 1/);
    const tooLong = await put({ questions: [{ prompt: 'x'.repeat(501), answer: 'a' }] });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/question 1 prompt: must be at most 500/);
    const saved = await put({
      passThreshold: 50,
      questions: [
        { prompt: 'In programming, "for" and "while" are examples of what?', answer: 'loops' },
        { prompt: 'What does DNS stand for?', answer: 'Domain Name System', acceptedAnswers: ['Domain Name System (DNS)'], knockout: true },
      ],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.questions.map((q: { id: string }) => q.id)).toEqual(['q1', 'q2']);

    const page = await t.http.get(`/careers/${opening.id}`);
    expect(page.text).toContain('What does DNS stand for?');
    expect(page.text).not.toContain('Domain Name System');

    const resume = { fileName: 'cv.pdf', contentBase64: b64(pdfWithText('firmware bring-up')) };
    const missing = await apply(opening.id, {
      name: 'Nora None',
      email: email('nora'),
      resume,
      answers: [{ questionId: 'q1', answer: 'loops' }],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/please answer “What does DNS stand for\?”/);
    const unknown = await apply(opening.id, {
      name: 'Nora None',
      email: email('nora'),
      resume,
      answers: [
        { questionId: 'q1', answer: 'loops' },
        { questionId: 'q2', answer: 'dns' },
        { questionId: 'q9', answer: 'x' },
      ],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/"q9" is not a question of this job/);
    const nora = await t.db.query(`SELECT 1 FROM candidates WHERE email LIKE 'nora-%'`);
    expect(nora).toEqual([]); // nothing written before the answers are checked

    const res = await apply(opening.id, {
      name: 'Kim Knockout',
      email: email('kim'),
      resume,
      answers: [
        { questionId: 'q1', answer: 'Loops' },
        { questionId: 'q2', answer: 'Domain Name Server' },
      ],
    });
    expect(res.status).toBe(201);
    const answers = await t.http.get(`/api/v1/applications/${res.body.applicationId}/answers`).set(auth(w.recruiter.token));
    expect(answers.status).toBe(200);
    expect(answers.body.answers).toMatchObject({
      score: 50,
      passed: false,
      knockoutFailed: true,
      answers: [
        { questionId: 'q1', given: 'Loops', matched: true, knockout: false },
        { questionId: 'q2', given: 'Domain Name Server', matched: false, knockout: true },
      ],
    });
    // The form's own fields (multipart, by position) work the same way.
    const form = await t.http
      .post(`/careers/${opening.id}/apply`)
      .field('name', 'Pat Passes')
      .field('email', email('pat'))
      .field('timezone', 'UTC')
      .field('consent', 'yes')
      .field('answer_0', 'loops')
      .field('answer_1', 'domain name system')
      .attach('resume', pdfWithText('soldering'), { filename: 'pat.pdf', contentType: PDF });
    expect(form.status).toBe(303);
    const [pat] = await t.db.query(
      `SELECT aa.passed, aa.score FROM application_answers aa JOIN applications a ON a.id = aa.application_id JOIN candidates c ON c.id = a.candidate_id WHERE c.name = 'Pat Passes'`,
    );
    expect(pat).toMatchObject({ passed: true, score: '100.00' });
  });

  it('downloads the résumé as an attachment with a safe name, its real type and nosniff, only for staff on the team', async () => {
    const hostile = 'evil"\r\nSet-Cookie: x=1; ../../etc/passwd <script>é.docx';
    const res = await apply(opening.id, {
      name: 'Hana Hostile',
      email: email('hana'),
      resume: { fileName: hostile, contentBase64: b64(await docxWithText('Hana', 'Embedded Rust on RISC-V')) },
      answers: [
        { questionId: 'q1', answer: 'loops' },
        { questionId: 'q2', answer: 'Domain Name System' },
      ],
    });
    expect(res.status).toBe(201);
    const get = (path: string, token: string) => t.http.get(path).set(auth(token)).buffer(true).parse(binary);
    for (const path of [`/api/v1/applications/${res.body.applicationId}/resume`, `/api/v1/candidates/${res.body.candidateId}/resume`]) {
      const dl = await get(path, w.recruiter.token);
      expect(dl.status).toBe(200);
      expect(dl.headers['content-type']).toBe(DOCX);
      expect(dl.headers['x-content-type-options']).toBe('nosniff');
      expect(dl.headers['set-cookie']).toBeUndefined();
      const cd = dl.headers['content-disposition'] as string;
      expect(cd).toMatch(/^attachment; filename="[^"\\/\r\n]*\.docx"; filename\*=UTF-8''[A-Za-z0-9%._-]+\.docx$/);
      expect(cd).not.toMatch(/[\r\n]|\.\.\//);
      expect(decodeURIComponent(cd.split("''")[1])).toContain('é');
      expect((dl.body as Buffer).subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    }
    // Not on the team: as if it did not exist. An engineer: not allowed at all.
    const outsider = await t.login([Role.Recruiter]);
    expect((await get(`/api/v1/applications/${res.body.applicationId}/resume`, outsider.token)).status).toBe(404);
    expect((await get(`/api/v1/candidates/${res.body.candidateId}/resume`, outsider.token)).status).toBe(404);
    const engineer = await t.login([Role.Engineer]);
    expect((await get(`/api/v1/applications/${res.body.applicationId}/resume`, engineer.token)).status).toBe(403);
    // A PDF keeps its type.
    const pdf = await apply(opening.id, {
      name: 'Paul Pdf',
      email: email('paul'),
      resume: { fileName: 'paul.pdf', contentBase64: b64(pdfWithText('CAN bus')) },
      answers: [
        { questionId: 'q1', answer: 'loops' },
        { questionId: 'q2', answer: 'Domain Name System' },
      ],
    });
    const dl = await get(`/api/v1/applications/${pdf.body.applicationId}/resume`, w.manager.token);
    expect(dl.headers['content-type']).toBe(PDF);
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="paul.pdf"; filename*=UTF-8''paul.pdf`);
  });

  it('tells the referrer when the referred person applies, and thanks them by e-mail when that person is hired', async () => {
    const engineer = await t.login([Role.Engineer]);
    const res = await apply(opening.id, {
      name: 'Rosa Referred',
      email: email('rosa'),
      ref: engineer.id,
      resume: { fileName: 'cv.pdf', contentBase64: b64(pdfWithText('bootloaders')) },
      answers: [
        { questionId: 'q1', answer: 'loops' },
        { questionId: 'q2', answer: 'Domain Name System' },
      ],
    });
    expect(res.status).toBe(201);
    const received = await waitForMail(engineer.email, /Rosa Referred applied through your referral/);
    expect(received.text).toContain('Firmware Engineer');
    const id = res.body.applicationId;
    expect((await t.http.post(`/api/v1/applications/${id}/transitions`).set(auth(w.recruiter.token)).send({ to: 'offer' })).status).toBe(
      200,
    );
    expect((await t.http.post(`/api/v1/applications/${id}/hire`).set(auth(w.manager.token)).send({})).status).toBe(200);
    const thanks = await waitForMail(engineer.email, /Thank you: Rosa Referred is joining us/);
    expect(thanks.text).toMatch(/whom you referred for Firmware Engineer, has been hired/);
    // Exactly one of each, whatever the retries.
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.mails.filter((m) => m.to === engineer.email).map((m) => m.subject)).toEqual([received.subject, thanks.subject]);

    // A rejected referral: the referrer hears it ended, without the reasons.
    const other = await apply(opening.id, {
      name: 'Omar Other',
      email: email('omar'),
      ref: engineer.id,
      resume: { fileName: 'cv.pdf', contentBase64: b64(pdfWithText('drivers')) },
      answers: [
        { questionId: 'q1', answer: 'loops' },
        { questionId: 'q2', answer: 'Domain Name System' },
      ],
    });
    const rejected = await t.http
      .post(`/api/v1/applications/${other.body.applicationId}/reject`)
      .set(auth(w.recruiter.token))
      .send({ reason: 'secret internal reason' });
    expect(rejected.status).toBe(200);
    const closed = await waitForMail(engineer.email, /Update on your referral: Omar Other/);
    expect(closed.text).not.toContain('secret internal reason');
  });
});
