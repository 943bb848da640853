import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ChatService } from '../../src/inbox/chat.service';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser, signIn, submitForm } from '../support/browser';
import { ChatReceiver } from '../support/chat-receiver';
import { auth, makeWorld, World } from '../support/factories';

jest.setTimeout(300_000);

async function expectText(locator: Locator, text: string): Promise<void> {
  const got = await locator.innerText();
  if (!got.includes(text)) throw new Error(`expected to see "${text}" in:\n${got.slice(0, 2000)}`);
}

/** The "Notifications" page: a hiring manager sends their stale alerts to their own Slack and tests it; an admin sees anyone's. */
describe('notifications page in a real browser', () => {
  let t: TestApp;
  let w: World;
  let base: string;
  let browser: Browser;
  const receiver = new ChatReceiver();
  const contexts: BrowserContext[] = [];
  const secret = '/services/T9/B9/br0wser-s3cret';

  beforeAll(async () => {
    await receiver.start();
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    base = await t.listen();
    w = await makeWorld(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    await receiver.stop();
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

  it('a hiring manager routes stale alerts to their Slack, sends a test message; the address is never shown again', async () => {
    const page = await open(w.manager.id);
    await Promise.all([
      page.waitForURL('**/notifications'),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click(),
    ]);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Notifications');
    // Plain words, e-mail ticked by default.
    const stale = page.getByRole('group', { name: 'A candidate waiting too long in a stage' });
    await expect(stale.getByLabel('E-mail').isChecked()).resolves.toBe(true);
    await expect(stale.getByLabel('My Slack').isChecked()).resolves.toBe(false);
    expect(await page.locator('main').innerText()).not.toMatch(/reply_overdue|sla_breached|stale_digest/);
    await checked(page);

    // A loopback address is refused (private targets not allowed), naming the field, next to the form.
    await page.getByLabel('Slack incoming webhook address').fill(receiver.base + secret);
    await stale.getByLabel('My Slack').check();
    await stale.getByLabel('E-mail').uncheck();
    await submitForm(page, page.getByRole('button', { name: 'Save notification settings' }), '**/notifications');
    await expectText(page.locator('main'), 'slackUrl');
    await expect(page.getByRole('alert').count()).resolves.toBeGreaterThan(0);
    await checked(page);

    await t.http.put('/api/v1/settings/webhooks').set(auth(w.admin.token)).send({ allowPrivateTargets: true }).expect(200);
    await page.getByLabel('Slack incoming webhook address').fill(receiver.base + secret);
    const stale2 = page.getByRole('group', { name: 'A candidate waiting too long in a stage' });
    await stale2.getByLabel('My Slack').check();
    await stale2.getByLabel('E-mail').uncheck();
    await submitForm(page, page.getByRole('button', { name: 'Save notification settings' }), '**/notifications');
    await expectText(page.locator('main'), 'Notification settings saved');
    await expect(stale2.getByLabel('My Slack').isChecked()).resolves.toBe(true);
    await expect(stale2.getByLabel('E-mail').isChecked()).resolves.toBe(false);
    expect(await page.content()).not.toContain('br0wser-s3cret');
    await expectText(page.locator('main'), `Set: ${receiver.base}/…`);
    await checked(page);
    const api = await t.http.get(`/api/v1/users/${w.manager.id}/notification-routes`).set(auth(w.manager.token)).expect(200);
    expect(api.body.routes.stale).toEqual(['slack']);

    await submitForm(page, page.getByRole('button', { name: 'Send a test message' }), '**/notifications');
    await expectText(page.locator('main'), 'Test message queued for Slack');
    // The general worker's poller (called here directly: this app runs no worker).
    await t.app.get(ChatService).deliverDue(new Date());
    expect(receiver.to(secret)[0].body.blocks[0].text.text).toContain('A test message from Hiring');
    await page.reload();
    await expectText(page.getByRole('region', { name: 'Recent chat messages' }), 'delivered after 1 attempt(s)');
    await checked(page);
    await page.setViewportSize({ width: 375, height: 800 });
    await checked(page);
  });

  it("an admin opens someone's notifications from the user page; others cannot", async () => {
    const page = await open(w.admin.id);
    await page.goto(`${base}/admin/users/${w.manager.id}`);
    await Promise.all([
      page.waitForURL(`**/notifications/${w.manager.id}`),
      page.getByRole('link', { name: /^Notifications of / }).click(),
    ]);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/^Notifications of /);
    await checked(page);
    const other = await open(w.recruiter.id);
    const r = await other.goto(`${base}/notifications/${w.manager.id}`);
    expect(r?.status()).toBe(403);
  });
});
