import { parse } from 'csv-parse/sync';
import { randomBytes } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeOpening, makeWorld, World } from '../support/factories';
import { docxWithText, pdfWithText, PNG_1PX } from '../support/resume-files';

const PDF_MIME = 'application/pdf';
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('careers pages, the apply form and the recruiter list in a real browser', () => {
  let t: TestApp;
  let w: World;
  let base: string;
  let browser: Browser;
  let ctx: BrowserContext;
  let opening: { id: string; title: string };
  const tag = randomBytes(2).toString('hex');
  const email = (p: string) => `${p}-${tag}-${randomBytes(2).toString('hex')}@example.com`;

  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectFitsPhone(page);
  };
  const candidatesByEmail = async (address: string) =>
    (await t.http.get('/api/v1/candidates').query({ email: address }).set(auth(w.recruiter.token))).body as Array<{ id: string }>;
  const applicationsOf = async () =>
    (await t.http.get('/api/v1/applications').query({ openingId: opening.id }).set(auth(w.recruiter.token))).body as Array<{
      id: string;
      candidateId: string;
      status: string;
      source: { kind: string; detail: string | null; referrerId: string | null };
    }>;

  /** Fills and sends the form on an opening's page. */
  const applyOnPage = async (
    page: Page,
    f: { name: string; email: string; file: { name: string; mimeType: string; buffer: Buffer }; codeUrl?: string },
  ) => {
    await page.getByLabel('Name', { exact: true }).fill(f.name);
    await page.getByLabel('Email').fill(f.email);
    await page.getByLabel('Résumé').setInputFiles(f.file);
    if (f.codeUrl) await page.getByLabel('GitHub or other public code (optional)').fill(f.codeUrl);
    await page.getByLabel('I agree to the privacy notice').check();
    await Promise.all([page.waitForLoadState('load'), page.waitForURL(/.*/), page.getByRole('button', { name: 'Apply' }).click()]);
    await page.waitForLoadState('load');
  };

  beforeAll(async () => {
    suiteEnv({
      SMTP_URL: undefined,
      PUBLIC_URL: 'http://hiring.test',
      COMPANY_NAME: 'Acme Robotics',
      COMPANY_COLOR: '#0b5394',
      CAREERS_APPLY_PER_HOUR: '1000',
    });
    t = await createTestApp();
    base = await t.listen();
    w = await makeWorld(t);
    opening = await makeOpening(t, w, { title: 'Data Engineer' });
    const published = await t.http.patch(`/api/v1/openings/${opening.id}`).set(auth(w.manager.token)).send({
      published: true,
      location: 'Berlin',
      remote: true,
      description: '## What you will do\n\nBuild **pipelines** for robots.\n\n- Python\n- SQL',
    });
    expect(published.status).toBe(200);
    const hidden = await makeOpening(t, w, { title: 'Unpublished Role' });
    void hidden;
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Asia/Tokyo' });
  });
  afterAll(async () => {
    await ctx?.close();
    await browser?.close();
    await t?.close();
  });

  it('a person finds the opening, reads the whole process and the pay, and applies with a PDF résumé', async () => {
    const page = await ctx.newPage();
    await page.goto(`${base}/careers`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Jobs at Acme Robotics');
    expect(await page.getByText('Unpublished Role').count()).toBe(0);
    await check(page);
    await page.getByLabel('Remote only').check();
    await page.getByRole('button', { name: 'Show jobs' }).click();
    await page.waitForURL(/remote=yes/);
    await page.getByRole('link', { name: 'Data Engineer' }).click();
    await page.waitForURL(`${base}/careers/${opening.id}`);
    await check(page);
    expect(await page.getByText('Pay: €90,000 – €120,000 a year').count()).toBe(1);
    const steps = await page.getByRole('region', { name: 'How we hire' }).getByRole('listitem').allTextContents();
    expect(steps[0]).toMatch(/^Recruiter screen: /);
    expect(steps).toHaveLength(6);
    expect(await page.getByRole('region', { name: 'About the job' }).getByRole('heading', { name: 'What you will do' }).count()).toBe(1);
    // The browser's zone is pre-selected.
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    await applyOnPage(page, {
      name: 'Zoë Pdf',
      email: email('zoe'),
      file: { name: 'zoe.pdf', mimeType: PDF_MIME, buffer: pdfWithText('Streaming zebrafish telemetry with Kafka') },
      codeUrl: 'https://github.com/zoe-pdf',
    });
    expect(await page.getByRole('heading', { name: 'Thank you for applying' }).count()).toBe(1);
    await check(page);
    const app = (await applicationsOf()).find((a) => a.source?.kind === 'direct');
    expect(app).toBeTruthy();
    const messages = (await t.http.get(`/api/v1/applications/${app!.id}/messages`).set(auth(w.recruiter.token))).body as Array<{
      template: string;
    }>;
    expect(messages.map((m) => m.template)).toEqual(['first_contact']);
    const cand = (await t.http.get(`/api/v1/candidates/${app!.candidateId}`).set(auth(w.recruiter.token))).body;
    expect(cand).toMatchObject({ name: 'Zoë Pdf', timezone: 'Asia/Tokyo', publicCodeUrl: 'https://github.com/zoe-pdf' });
    await page.close();
  });

  it('applies with a DOCX through a tracked link; a wrong file type and a duplicate get a clear answer on the page', async () => {
    const page = await ctx.newPage();
    await page.goto(`${base}/careers/${opening.id}?source=stackjobs`);
    const address = email('dora');
    await applyOnPage(page, {
      name: 'Dora Docx',
      email: address,
      file: {
        name: 'dora.docx',
        mimeType: DOCX_MIME,
        buffer: await docxWithText('Dora Docx', 'Airflow orchestration and quokka breeding'),
      },
    });
    expect(await page.getByRole('heading', { name: 'Thank you for applying' }).count()).toBe(1);
    const dora = (await candidatesByEmail(address))[0];
    expect((await applicationsOf()).find((a) => a.candidateId === dora.id)?.source).toMatchObject({
      kind: 'job_board',
      detail: 'stackjobs',
    });

    await page.goto(`${base}/careers/${opening.id}`);
    const pngAddress = email('pat');
    await applyOnPage(page, { name: 'Pat Png', email: pngAddress, file: { name: 'cv.pdf', mimeType: PDF_MIME, buffer: PNG_1PX } });
    expect(await page.getByRole('alert').textContent()).toMatch(/Résumé: must be a PDF or a Word \(\.docx\) document/);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Pat Png');
    await check(page);
    expect(await candidatesByEmail(pngAddress)).toHaveLength(0);

    await page.goto(`${base}/careers/${opening.id}`);
    await applyOnPage(page, {
      name: 'Dora Docx',
      email: address.toUpperCase(),
      file: { name: 'dora.pdf', mimeType: PDF_MIME, buffer: pdfWithText('again') },
    });
    expect(await page.getByRole('status').textContent()).toMatch(/already applied for Data Engineer/);
    await check(page);
    expect((await applicationsOf()).filter((a) => a.candidateId === dora.id)).toHaveLength(1);
    await page.close();
  });

  it('a bot that fills the hidden field sees the thank-you page and nothing is created; a referral link records the referrer', async () => {
    const page = await ctx.newPage();
    await page.goto(`${base}/careers/${opening.id}`);
    await page.evaluate(() => ((document.getElementById('website') as HTMLInputElement).value = 'http://spam.example'));
    const bot = email('bot');
    await applyOnPage(page, {
      name: 'Spam Bot',
      email: bot,
      file: { name: 'x.pdf', mimeType: PDF_MIME, buffer: pdfWithText('cheap pills') },
    });
    expect(await page.getByRole('heading', { name: 'Thank you for applying' }).count()).toBe(1);
    expect(await candidatesByEmail(bot)).toHaveLength(0);

    const engineer = await t.login([Role.Engineer]);
    await page.goto(`${base}/careers/${opening.id}?ref=${engineer.id}`);
    const address = email('rui');
    await applyOnPage(page, {
      name: 'Rui Referred',
      email: address,
      file: { name: 'rui.pdf', mimeType: PDF_MIME, buffer: pdfWithText('friend of a friend') },
    });
    const rui = (await candidatesByEmail(address))[0];
    expect((await applicationsOf()).find((a) => a.candidateId === rui.id)?.source).toMatchObject({
      kind: 'referral',
      referrerId: engineer.id,
    });
    await page.close();
  });

  it('the recruiter finds an applicant by a word of their résumé, rejects a selection (one message each) and exports a CSV that parses', async () => {
    // Names a CSV must quote.
    for (const name of ['O"Brien, Siobhán', 'Smith, "Smitty" Jr.']) {
      const res = await t.http.post(`/api/v1/careers/${opening.id}/applications`).send({
        name,
        email: email('csv'),
        consent: true,
        resume: { fileName: 'cv.pdf', contentBase64: pdfWithText('plain').toString('base64') },
      });
      expect(res.status).toBe(201);
    }
    const page = await ctx.newPage();
    // A second recruiter, put on the opening's hiring team (off the team, the list would be empty:
    // staff see only their teams' candidates).
    const recruiter = await t.login([Role.Recruiter]);
    await t.http
      .put(`/api/v1/openings/${opening.id}/team`)
      .set(auth(w.manager.token))
      .send({ members: [{ userId: recruiter.id, role: 'recruiter' }] })
      .expect(200);
    await signIn(page, base, recruiter.email, PASSWORD, '/candidates');
    await check(page);
    await page.getByLabel('Search candidates').fill('zebrafi');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=zebrafi/);
    const table = page.getByRole('table');
    expect(await table.getByRole('link', { name: 'Zoë Pdf' }).count()).toBe(1);
    expect(await table.getByRole('row').count()).toBe(2); // header + Zoë
    await check(page);
    // Accent-insensitive, prefix: "zoe" finds "Zoë".
    await page.getByLabel('Search candidates').fill('zoe');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=zoe/);
    expect(await page.getByRole('table').getByRole('link', { name: 'Zoë Pdf' }).count()).toBe(1);

    await page.goto(`${base}/candidates?openingId=${opening.id}&source=job_board`);
    await page.getByRole('checkbox', { name: 'Select Dora Docx for Data Engineer' }).check();
    await page.goto(`${base}/candidates?openingId=${opening.id}`);
    await page.getByRole('checkbox', { name: 'Select Dora Docx for Data Engineer' }).check();
    await page.getByRole('checkbox', { name: 'Select Rui Referred for Data Engineer' }).check();
    await page.getByLabel('Action').selectOption({ label: 'Reject' });
    await page.getByLabel(/^Reason/).fill('Hiring paused');
    await page.getByRole('button', { name: 'Apply to selected' }).click();
    await page.waitForURL(/done=2/);
    expect(await page.getByRole('status').textContent()).toMatch(/2 done/);
    await check(page);
    const apps = await applicationsOf();
    const rejected = apps.filter((a) => a.status === 'rejected');
    expect(rejected).toHaveLength(2);
    for (const a of rejected) {
      const messages = (await t.http.get(`/api/v1/applications/${a.id}/messages`).set(auth(w.recruiter.token))).body as Array<{
        template: string;
      }>;
      expect(messages.filter((m) => m.template === 'rejection')).toHaveLength(1);
    }

    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(href).toBe(`/api/v1/applications/export.csv?openingId=${opening.id}`);
    const csv = await t.http.get(href!).set(auth(w.recruiter.token));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows: Array<Record<string, string>> = parse(csv.text, { columns: true });
    expect(rows.map((r) => r.Name).sort()).toEqual(
      ['Dora Docx', 'O"Brien, Siobhán', 'Rui Referred', 'Smith, "Smitty" Jr.', 'Zoë Pdf'].sort(),
    );
    expect(rows.find((r) => r.Name === 'Rui Referred')).toMatchObject({
      Opening: 'Data Engineer',
      Stage: 'Recruiter screen',
      Status: 'Rejected',
      Source: 'Referral',
    });
    expect(rows.find((r) => r.Name === 'Dora Docx')).toMatchObject({ Source: 'Job board (stackjobs)' });
    const onlyRejected: Array<Record<string, string>> = parse(
      (await t.http.get(`/api/v1/applications/export.csv?openingId=${opening.id}&status=rejected`).set(auth(w.recruiter.token))).text,
      { columns: true },
    );
    expect(onlyRejected.map((r) => r.Name).sort()).toEqual(['Dora Docx', 'Rui Referred']);
    await page.close();
  });
});
