import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeOpening, makeWorld, World } from '../support/factories';
import { pdfWithText } from '../support/resume-files';

describe('the careers page of an opening, from the staff side, in a real browser', () => {
  let t: TestApp;
  let w: World;
  let base: string;
  let browser: Browser;
  let staff: BrowserContext;
  let visitor: BrowserContext;
  let opening: { id: string; title: string };

  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectFitsPhone(page);
  };
  const submit = async (page: Page, name: string) => {
    await Promise.all([page.waitForLoadState('load'), page.waitForURL(/.*/), page.getByRole('button', { name, exact: true }).click()]);
    await page.waitForLoadState('load');
  };

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test', COMPANY_NAME: 'Acme Robotics', CAREERS_APPLY_PER_HOUR: '1000' });
    t = await createTestApp();
    base = await t.listen();
    w = await makeWorld(t);
    opening = await makeOpening(t, w, { title: 'Robot Whisperer' });
    browser = await launchBrowser();
    staff = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Europe/Lisbon', acceptDownloads: true });
    visitor = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Europe/Lisbon' });
  });
  afterAll(async () => {
    await staff?.close();
    await visitor?.close();
    await browser?.close();
    await t?.close();
  });

  it('a recruiter previews the description, is told what is wrong, publishes, gets the links, adds a question; the applicant answers it; the answers and the résumé are on the application page; unpublishing hides the job', async () => {
    const page = await staff.newPage();
    await signIn(page, base, w.recruiter.email, PASSWORD, `/openings/${opening.id}`);
    await page.getByRole('link', { name: 'Careers page: publish, links and questions' }).click();
    await page.waitForURL(`${base}/openings/${opening.id}/careers`);
    expect(await page.getByRole('status').first().textContent()).toMatch(/Not published/);
    await check(page);

    // Markdown previewed without saving (and without JavaScript: a form button).
    await page.getByLabel('Description (Markdown)').fill('## What you will do\n\nTeach **robots** to listen.\n\n<script>alert(1)</script>');
    await submit(page, 'Preview description');
    const preview = page.getByRole('region', { name: 'Preview (not saved yet)' });
    expect(await preview.getByRole('heading', { name: 'What you will do' }).count()).toBe(1);
    expect(await preview.locator('strong').textContent()).toBe('robots');
    expect(await preview.locator('script').count()).toBe(0);
    expect((await t.http.get(`/api/v1/openings/${opening.id}`).set(auth(w.recruiter.token))).body.description).toBe('');
    await check(page);

    // Remote with an unknown time zone: refused, what was typed kept, the problem named in plain words.
    await page.getByLabel('Location').fill('Porto');
    await page.getByLabel('Remote work is possible').check();
    await page.getByLabel('Allowed time zones for remote work').fill('Europe/Lisbon\nMars/Olympus');
    await page.getByLabel('Minimum').fill('80000');
    await page.getByLabel('Maximum').fill('100000');
    await submit(page, 'Publish');
    expect(await page.getByRole('alert').textContent()).toMatch(/Time zones: each must be a time zone/);
    expect(await page.getByLabel('Description (Markdown)').inputValue()).toContain('Teach **robots** to listen.');
    expect(await page.getByLabel('Location').inputValue()).toBe('Porto');
    await check(page);
    await page.getByLabel('Allowed time zones for remote work').fill('Europe/Lisbon\nEurope/London');
    await submit(page, 'Publish');
    expect(page.url()).toBe(`${base}/openings/${opening.id}/careers`);
    expect(await page.getByText('Published: the opening is on the careers page').count()).toBe(1);
    expect(await page.getByRole('status').first().textContent()).toMatch(/^Published\./);
    const saved = (await t.http.get(`/api/v1/openings/${opening.id}`).set(auth(w.recruiter.token))).body;
    expect(saved).toMatchObject({ published: true, location: 'Porto', remote: true, remoteTimeZones: ['Europe/Lisbon', 'Europe/London'] });
    expect(saved.compensation).toMatchObject({ min: 80000, max: 100000, currency: 'EUR' });
    await check(page);

    // Links: the recruiter's own referral link, another person's, job boards, a partner.
    const links = page.getByRole('region', { name: 'Links to share' });
    expect(await links.textContent()).toContain(`http://hiring.test/careers/${opening.id}?ref=${w.recruiter.id}`);
    expect(await links.textContent()).toContain(`http://hiring.test/careers/${opening.id}?source=linkedin`);
    await page.getByLabel('Referral link for').selectOption({ value: w.manager.id });
    const managerName = (await page.getByLabel('Referral link for').locator('option:checked').textContent())!;
    await page.getByLabel('Partner organisation or bootcamp').fill('codebar');
    await submit(page, 'Show links');
    expect(await links.textContent()).toContain(`Referral link of ${managerName}`);
    expect(await links.textContent()).toContain(`http://hiring.test/careers/${opening.id}?ref=${w.manager.id}`);
    expect(await links.textContent()).toContain(`http://hiring.test/careers/${opening.id}?source=partner%3Acodebar`);
    await check(page);

    // A question on the application form, with a deal-breaker.
    await page.getByLabel('Question 1', { exact: true }).fill('Firefox, Mozilla, and Safari are all examples of what?');
    await page.getByLabel('Expected answer').fill('web browsers');
    await page.getByLabel(/^Other accepted answers/).fill('browsers');
    await page.getByRole('checkbox', { name: /Deal-breaker/ }).check();
    await submit(page, 'Save questions');
    expect(await page.getByText(/Questions saved: the application form asks 1/).count()).toBe(1);
    await check(page);

    // The applicant sees and answers the question.
    const pub = await visitor.newPage();
    await pub.goto(`${base}/careers/${opening.id}`);
    expect(await pub.getByText('Pay: €80,000 – €100,000 a year').count()).toBe(1);
    await check(pub);
    await pub.getByLabel('Name', { exact: true }).fill('Ada Answers');
    await pub.getByLabel('Email').fill(`ada-${randomBytes(3).toString('hex')}@example.com`);
    await pub
      .getByLabel('Résumé')
      .setInputFiles({ name: 'Ada "CV" résumé.pdf', mimeType: 'application/pdf', buffer: pdfWithText('servo tuning') });
    await pub.getByLabel('I agree to the privacy notice').check();
    // Left empty: the browser asks, and the server refuses too (checked in careers-staff); answered:
    await pub.getByLabel('Firefox, Mozilla, and Safari are all examples of what?').fill('Browsers');
    await submit(pub, 'Apply');
    expect(await pub.getByRole('heading', { name: 'Thank you for applying' }).count()).toBe(1);

    const [app] = (await t.http.get('/api/v1/applications').query({ openingId: opening.id }).set(auth(w.recruiter.token))).body as Array<{
      id: string;
    }>;
    await page.goto(`${base}/dashboard/applications/${app.id}`);
    const answers = page.getByRole('region', { name: 'Answers on the application form' });
    expect(await answers.textContent()).toMatch(/Score: 100%/);
    expect(await answers.textContent()).toMatch(/Firefox, Mozilla, and Safari are all examples of what\? \(deal-breaker\)/);
    expect(await answers.textContent()).toMatch(/Browsers · matches the expected answer/);
    await check(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download résumé' }).click()]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1') + (bytes.length < 400 ? bytes.toString('utf8') : '')).toBe('%PDF-');
    expect(download.suggestedFilename()).toBe('Ada _CV_ résumé.pdf');

    // Unpublished: the public page is gone.
    await page.goto(`${base}/openings/${opening.id}/careers`);
    await submit(page, 'Unpublish');
    expect(await page.getByRole('status').first().textContent()).toMatch(/Not published/);
    expect((await pub.goto(`${base}/careers/${opening.id}`))!.status()).toBe(404);
    await page.close();
    await pub.close();
  });
});
