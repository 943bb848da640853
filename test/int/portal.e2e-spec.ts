import { INestApplicationContext } from '@nestjs/common';
import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Browser } from 'playwright-core';
import { Role } from '../../src/identity/user.entity';
import { buildAllSandboxImages } from '../../src/sandbox';
import { FIXTURES, tarGzDir, zipDir } from '../fixtures/assignments/pack';
import { createTestApp, createTestWorker, suiteEnv, TestApp } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';
import { eventually } from '../support/redis-server';
import { SmtpCapture } from '../support/smtp';

const NODE = 'node-wordfreq';
const HIDDEN_NAMES = ['zebra-quokka', 'wordfreq.hidden', 'counts words regardless of case', 'treats punctuation as a separator'];
/** Appended to the instructions: none of it may run or survive on the candidate's page. */
const INJECTION =
  '\n\n<script>window.__pwned = 1; alert("script")</script>\n\n<img src=x onerror="window.__pwned = 2">\n\n[click me](javascript:window.__pwned=3)\n\n<iframe src="https://evil.example"></iframe>\n';

describe('candidate portal in a browser', () => {
  let t: TestApp;
  let w: World;
  let smtp: SmtpCapture;
  let worker: INestApplicationContext;
  let browser: Browser;
  let base: string;
  let assignmentId: string;

  beforeAll(async () => {
    await buildAllSandboxImages(new Docker({ socketPath: '/var/run/docker.sock' }), () => undefined);
    smtp = new SmtpCapture();
    await smtp.start();
    suiteEnv({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    base = await t.listen();
    worker = await createTestWorker(t.url);
    w = await makeWorld(t);
    const engineer = await t.login([Role.Engineer]);
    const instructions = readFileSync(path.join(FIXTURES, NODE, 'instructions.md'), 'utf8') + INJECTION;
    const a = await t.http
      .post('/api/v1/assignments')
      .set(auth(w.manager.token))
      .send({ title: 'Word frequencies', runtime: 'node', instructions });
    assignmentId = a.body.id;
    const v = await t.http
      .post(`/api/v1/assignments/${assignmentId}/versions`)
      .set(auth(engineer.token))
      .attach('hiddenTests', zipDir(`${NODE}/hidden-tests`), 'hidden.zip')
      .attach('starter', zipDir(`${NODE}/starter`, 'wordfreq/'), 'starter.zip')
      .attach('referenceSolution', await tarGzDir(`${NODE}/reference`), 'reference.tar.gz');
    expect(v.status).toBe(201);
    const published = await t.http.post(`/api/v1/assignments/${assignmentId}/versions/1/publish`).set(auth(engineer.token));
    expect({ status: published.status, body: published.status === 200 ? null : published.body }).toEqual({ status: 200, body: null });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await smtp?.stop();
  });

  async function invite(name = 'Ada Lovelace') {
    const opening = (await makeOpening(t, w)) as Awaited<ReturnType<typeof makeOpening>> & { title: string };
    const candidate = await makeCandidate(t, w, { name, timezone: 'Europe/London' });
    const app = await makeApplication(t, w, opening.id, candidate.id);
    for (const to of ['manager_call', 'take_home'])
      await t.http.post(`/api/v1/applications/${app.id}/transitions`).set(auth(w.recruiter.token)).send({ to });
    const res = await t.http.post(`/api/v1/applications/${app.id}/invitations`).set(auth(w.recruiter.token)).send({ assignmentId });
    expect(res.status).toBe(201);
    return { opening, candidate, app, invitationId: res.body.id as string, token: String(res.body.portalUrl).split('/').pop()! };
  }

  it('a candidate on a phone opens the link, signs, downloads the starter, uploads, watches it get graded and gives feedback', async () => {
    const { token, candidate, opening, app } = await invite();
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });

    await page.goto(`${base}/portal/${token}`);
    await page.getByRole('heading', { level: 1, name: 'Word frequencies' }).first().waitFor();
    const intro = await page.textContent('main');
    expect(intro).toContain('about 2 hours');
    expect(intro).toContain('never more than 3 hours');
    expect(intro).toContain('Stack Overflow');
    // The instructions are rendered Markdown, with the injected markup gone.
    expect(await page.locator('#instructions code', { hasText: 'topWords(text, n)' }).count()).toBe(1);
    expect(
      await page.locator('#instructions script, #instructions img, #instructions iframe, #instructions [href^="javascript"]').count(),
    ).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Usable on a phone: nothing wider than the screen; every field has a label.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(
      await page.evaluate(
        () =>
          Array.from(document.querySelectorAll('input:not([type=hidden]), textarea')).filter(
            (el) => !(el as HTMLInputElement).labels?.length,
          ).length,
      ),
    ).toBe(0);

    // The starter opens only after signing.
    expect(await page.locator('#starter-link').count()).toBe(0);
    await page.locator('#starter-locked').waitFor();
    expect((await page.request.get(`${base}/api/v1/portal/${token}/starter`)).status()).toBe(403);
    await page.fill('#fullName', 'Ada King Lovelace');
    await page.check('#agreed');
    await Promise.all([page.waitForURL(/done=attested/), page.click('#attest-form button[type=submit]')]);
    await page.locator('#attestation-signed', { hasText: 'Ada King Lovelace' }).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#starter-link')]);
    expect(download.suggestedFilename()).toBe('starter.zip');
    const chunks: Buffer[] = [];
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(zipDir(`${NODE}/starter`, 'wordfreq/'));

    await page.setInputFiles('#file', {
      name: 'wordfreq.zip',
      mimeType: 'application/zip',
      buffer: zipDir(`${NODE}/reference`, 'wordfreq/'),
    });
    await Promise.all([page.waitForURL(/done=uploaded/), page.click('#upload-form button[type=submit]')]);
    expect(await page.textContent('#notice')).toMatch(/we received your upload/);
    // public/portal.js polls the status and reloads the page once it is graded.
    await page.locator('[data-status-value="graded"]').waitFor({ timeout: 90_000 });
    expect(await page.textContent('#status')).toContain('Your code ran');

    await page.check('#clarity-4');
    await page.fill('#minutesSpent', '110');
    await page.fill('#comments', 'Clear; the tie rule took a moment.');
    await Promise.all([page.waitForURL(/done=feedback/), page.click('#feedback-form button[type=submit]')]);
    await page.locator('#feedback-thanks').waitFor();

    const html = await page.content();
    for (const name of HIDDEN_NAMES) expect(html).not.toContain(name);
    expect(problems).toEqual([]);
    await context.close();

    // What staff see of it.
    const events = (await t.http.get(`/api/v1/applications/${app.id}/events`).set(auth(w.recruiter.token))).body as Array<{
      type: string;
      data: any;
    }>;
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['invitation.sent', 'attestation.signed', 'submission.received', 'submission.graded', 'feedback.received']),
    );
    expect(events.find((e) => e.type === 'attestation.signed')!.data.fullName).toBe('Ada King Lovelace');
    const summary = (await t.http.get(`/api/v1/assignments/${assignmentId}/versions/1/feedback`).set(auth(w.manager.token))).body;
    expect(summary).toMatchObject({ count: 1, meanClarity: 4, medianMinutes: 110, flagged: false });
    const mails = await eventually(
      async () => smtp.to(candidate.email),
      (m) => m.some((x) => /received your take-home/.test(x.subject)),
      20_000,
    );
    const receipt = mails.find((m) => /received your take-home/.test(m.subject))!;
    expect(receipt.subject).toBe(`We received your take-home for ${opening.title}`);
    expect(receipt.text).toMatch(/SHA-256:\s+[0-9a-f]{64}/);
    expect(mails.some((m) => /Your take-home for/.test(m.subject))).toBe(true);
  });

  it('an unknown, malformed or expired link gets one 404 page that says what to do and reveals nothing', async () => {
    const { token, invitationId, candidate, opening } = await invite('Grace Brewster Hopper');
    expect((await t.http.get(`/portal/${token}`)).status).toBe(200);
    const unknown = 'A'.repeat(43);
    await t.db.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [invitationId]);
    const pages = await Promise.all(
      [unknown, token, 'not-a-token', `${token}x`].map((tk) => t.http.get(`/portal/${tk}`).set('accept', 'text/html')),
    );
    for (const p of pages) {
      expect(p.status).toBe(404);
      expect(p.headers['content-type']).toMatch(/text\/html/);
      expect(p.text).toBe(pages[0].text);
    }
    expect(pages[0].text).toContain('This link does not work');
    expect(pages[0].text).toMatch(/write to the recruiter who sent it/);
    for (const secret of [candidate.name, 'Grace', opening.title, 'Word frequencies']) expect(pages[0].text).not.toContain(secret);
    // The JSON paths answer alike.
    const json = await Promise.all([unknown, token].map((tk) => t.http.get(`/api/v1/portal/${tk}/status`)));
    expect(json.map((r) => r.status)).toEqual([404, 404]);
    expect(json[1].body.message).toBe(json[0].body.message);
    expect(json[0].body.message).toMatch(/Contact the recruiter/);
    const post = await t.http.post(`/portal/${token}/attest`).type('form').send({ fullName: 'x', agreed: 'true' });
    expect(post.status).toBe(404);
    expect(post.text).toBe(pages[0].text);

    // In a browser too.
    const page = await browser.newPage();
    const res = await page.goto(`${base}/portal/${unknown}`);
    expect(res!.status()).toBe(404);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await page.close();

    // Staff extends it: the same link works again.
    await t.http.post(`/api/v1/invitations/${invitationId}/extend`).set(auth(w.recruiter.token)).send({ days: 2 });
    expect((await t.http.get(`/portal/${token}`)).status).toBe(200);
  });

  it('a link reaches only its own invitation, and staff credentials are no substitute for it', async () => {
    const a = await invite('Katherine Johnson');
    const b = await invite('Dorothy Vaughan');
    for (const x of [a, b]) await t.http.post(`/api/v1/portal/${x.token}/attestation`).send({ fullName: x.candidate.name, agreed: true });
    const upA = await t.http.post(`/api/v1/portal/${a.token}/submission`).attach('file', zipDir(`${NODE}/broken`), 'a.zip');
    expect(upA.status).toBe(201);
    const viewB = await t.http.get(`/api/v1/portal/${b.token}`);
    expect(viewB.body.submissions).toEqual([]);
    expect(JSON.stringify(viewB.body)).not.toContain(upA.body.id);
    expect(JSON.stringify(viewB.body)).not.toContain('Katherine');
    expect((await t.http.get(`/portal/${b.token}`)).text).not.toContain('Katherine');
    // A staff bearer token in the path, or alongside an unknown link, opens nothing.
    const staff = w.admin.token;
    expect((await t.http.get(`/api/v1/portal/${encodeURIComponent(staff)}`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/portal/${'B'.repeat(43)}`).set(auth(staff))).status).toBe(404);
    expect((await t.http.get(`/api/v1/portal/${'B'.repeat(43)}/starter`).set(auth(staff))).status).toBe(404);
    // And a candidate link is no staff credential.
    expect((await t.http.get(`/api/v1/submissions/${upA.body.id}`).set(auth(a.token))).status).toBe(401);
    expect((await t.http.get(`/api/v1/applications/${a.app.id}`).set(auth(a.token))).status).toBe(401);
  });

  it("refused uploads and attestations say why next to the form, and the address stays the portal's own", async () => {
    const { token } = await invite('Hedy Lamarr');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/portal/${token}`);
    // An attestation without the box ticked (the browser's own check bypassed, as an old browser would).
    await page.getByLabel('Your full name').fill('Hedy Lamarr');
    await page.evaluate(() => document.querySelectorAll('form').forEach((f) => f.setAttribute('novalidate', '')));
    await Promise.all([page.waitForURL(/refused=attest/), page.getByRole('button', { name: 'Sign and open the starter code' }).click()]);
    expect(new URL(page.url()).pathname).toBe(`/portal/${token}`);
    const attestError = page.getByRole('alert');
    expect(await attestError.innerText()).toMatch(/Tick the box/);
    // Next to the form it is about (not at the top of the page), and in view.
    const [errorBox, formBox] = await Promise.all([
      attestError.boundingBox(),
      page.getByRole('button', { name: 'Sign and open the starter code' }).boundingBox(),
    ]);
    expect(Math.abs(formBox!.y - errorBox!.y)).toBeLessThan(400);
    expect(await attestError.isVisible()).toBe(true);
    await expectAccessible(page);
    await expectFitsPhone(page);

    await page.getByLabel('Your full name').fill('Hedy Lamarr');
    await page.getByRole('checkbox').check();
    await Promise.all([page.waitForURL(/done=attested/), page.getByRole('button', { name: 'Sign and open the starter code' }).click()]);
    // Times in the candidate's own zone, named (the e-mails use the same zone).
    expect(await page.getByRole('main').innerText()).toMatch(/\(Europe\/London\)/);
    expect(await page.getByRole('main').innerText()).not.toMatch(/\d UTC\b/);
    await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an archive') });
    await Promise.all([page.waitForURL(/refused=upload/), page.getByRole('button', { name: 'Upload' }).click()]);
    expect(new URL(page.url()).pathname).toBe(`/portal/${token}`);
    expect(await page.getByRole('alert').innerText()).toMatch(/not a zip or tar\.gz archive/);
    expect(await page.getByRole('alert').isVisible()).toBe(true);
    await expectAccessible(page);
    await expectFitsPhone(page);
    // A reload shows the portal (the reason was said once), never "Cannot GET".
    const again = await page.reload();
    expect(again!.status()).toBe(200);
    expect(await page.getByRole('alert').count()).toBe(0);
    // The form's own address, opened directly, leads back to the portal.
    const direct = await page.goto(`${base}/portal/${token}/submit`);
    expect(direct!.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/portal/${token}`);
    expect(await page.getByRole('heading', { level: 1 }).first().innerText()).toBe('Word frequencies');
    expect(
      (
        await t.db.query(
          `SELECT count(*)::int AS n FROM submissions s JOIN invitations i ON i.id = s.invitation_id WHERE i.token_hash = encode(sha256($1::bytea), 'hex')`,
          [token],
        )
      )[0].n,
    ).toBe(0);
    await page.close();
  });
});
