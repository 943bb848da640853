import { Browser, BrowserContext, Page } from 'playwright-core';
import { InboundMailService } from '../../src/inbox/inbound-mail.service';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn, submitForm } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

jest.setTimeout(300_000);

/**
 * The conversation pages: a candidate's reply in the application's thread and the answer from
 * the same page, the unmatched-mail page, and the admin's chat-and-mailbox page (the mailbox
 * here is configured but never read: no worker runs, so it shows as not readable).
 */
describe('conversation pages in a real browser', () => {
  let t: TestApp;
  let w: World;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test', IMAP_URL: 'imap://team:pw@127.0.0.1:9/INBOX' });
    t = await createTestApp();
    base = await t.listen();
    w = await makeWorld(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function open(userId: string): Promise<Page> {
    const [{ email }] = await t.db.query('SELECT email FROM users WHERE id = $1', [userId]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, base, email, PASSWORD);
    return page;
  }
  const checked = async (page: Page) => {
    await expectAccessible(page);
    await expectFitsPhone(page);
  };

  it('a recruiter reads a reply in the thread, answers it from the page, and files an unmatched mail', async () => {
    const opening = await makeOpening(t, w);
    const ada = await makeCandidate(t, w, { name: 'Ada Lovelace' });
    const app = await makeApplication(t, w, opening.id, ada.id);
    const inbound = t.app.get(InboundMailService);
    const boundary = 'xyz';
    await inbound.ingest(
      Buffer.from(
        [
          `From: Ada Lovelace <${ada.email}>`,
          'To: hiring@localhost',
          'Subject: When does the take-home start?',
          'Message-ID: <ada-1@mail.example>',
          `Content-Type: multipart/mixed; boundary="${boundary}"`,
          '',
          `--${boundary}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Could I start on Monday? <script>alert(1)</script>',
          '',
          'On Mon, 4 Jan 2027, Hiring wrote:',
          '> Welcome aboard the process',
          `--${boundary}`,
          'Content-Type: application/pdf; name="notes.pdf"',
          'Content-Disposition: attachment; filename="notes.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from('%PDF-1.4 tiny').toString('base64'),
          `--${boundary}--`,
          '',
        ].join('\r\n'),
      ),
    );
    await inbound.ingest(
      Buffer.from('From: someone@elsewhere.example\r\nSubject: About a job\r\nMessage-ID: <s-1@x>\r\n\r\nI sent my CV by post.\r\n'),
    );

    const page = await open(w.recruiter.id);
    await page.goto(`${base}/dashboard/applications/${app.id}`);
    const thread = page.locator('#messages');
    await expectText(thread, 'Could I start on Monday? <script>alert(1)</script>');
    expect(await thread.innerText()).not.toContain('Welcome aboard the process');
    await expectText(thread, 'Awaiting your answer');
    await expect(thread.getByRole('link', { name: 'notes.pdf' }).count()).resolves.toBe(1);
    await checked(page);

    await page.getByLabel('Message', { exact: true }).fill('Yes, Monday is fine.');
    await Promise.all([page.waitForURL(/#messages-title$/), page.getByRole('button', { name: 'Send message' }).click()]);
    await expectText(page.locator('#messages'), 'Answered');
    await expectText(page.locator('#messages'), 'Re: When does the take-home start?');
    await checked(page);
    const [answer] = await t.db.query(
      `SELECT in_reply_to, subject FROM messages WHERE application_id = $1 AND template = 'staff_message'`,
      [app.id],
    );
    expect(answer).toEqual({ in_reply_to: '<ada-1@mail.example>', subject: 'Re: When does the take-home start?' });

    await Promise.all([
      page.waitForURL('**/inbox'),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Unmatched mail' }).click(),
    ]);
    await expectText(page.locator('main'), 'I sent my CV by post.');
    await checked(page);
    await page.getByLabel('Application').selectOption({ label: `Ada Lovelace <${ada.email}> (${opening.title})` });
    await submitForm(page, page.getByRole('button', { name: 'Assign' }), '**/inbox');
    await expectText(page.locator('main'), 'Filed on the application');
    await expectText(page.locator('main'), 'No unmatched mail');
    await checked(page);
    const thread2 = (await t.http.get(`/api/v1/applications/${app.id}/messages`).set(auth(w.recruiter.token))).body as Array<{
      subject: string;
    }>;
    expect(thread2.map((m) => m.subject)).toContain('About a job');
  });

  it('an admin sees that the mailbox cannot be read and adds a chat webhook whose address is never shown again', async () => {
    await t.http.put('/api/v1/settings/webhooks').set(auth(w.admin.token)).send({ allowPrivateTargets: true }).expect(200);
    const page = await open(w.admin.id);
    await page.goto(`${base}/admin`);
    await Promise.all([
      page.waitForURL('**/admin/chat'),
      page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Chat and mailbox' }).click(),
    ]);
    await expectText(page.locator('main'), 'Cannot be read');
    await checked(page);
    // A refusal says why, next to the form.
    await page.getByLabel('Name').fill('Hiring channel');
    await page.getByLabel('Kind of chat').selectOption({ label: 'Mattermost incoming webhook' });
    await page.getByLabel('Webhook address').fill('ftp://chat.example/hooks/x');
    await submitForm(page, page.getByRole('button', { name: 'Add chat webhook' }), '**/admin/chat');
    await expectText(page.locator('main'), 'url must start with https://');
    await expect(page.getByLabel('Name').inputValue()).resolves.toBe('Hiring channel');
    await checked(page);
    await page.getByLabel('Webhook address').fill('http://127.0.0.1:9/hooks/very-secret-hook-id');
    await page.getByLabel("Candidates' unanswered replies").uncheck();
    await submitForm(page, page.getByRole('button', { name: 'Add chat webhook' }), '**/admin/chat');
    await expectText(page.locator('main'), 'Chat webhook added');
    await expectText(page.locator('main'), 'Mattermost incoming webhook');
    expect(await page.content()).not.toContain('very-secret-hook-id');
    await checked(page);
    await submitForm(page, page.getByRole('button', { name: 'Remove Hiring channel' }), '**/admin/chat');
    await expectText(page.locator('main'), 'No chat webhooks yet');
  });
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  const got = await locator.innerText();
  if (!got.includes(text)) throw new Error(`expected to see "${text}" in:\n${got.slice(0, 2000)}`);
}
