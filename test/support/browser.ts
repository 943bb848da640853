import { Browser, chromium, Locator, Page } from 'playwright-core';

/** Debian's Chromium driven by playwright-core (no browser download). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Sign in through the real login page. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string, next = '/dashboard'): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

/**
 * Sends a form by clicking `button` and waits for the answer's page: its navigation, then `url`
 * (when given) and its load. (A wait for `url` or 'load' alone beside the click answers at once
 * when the form's own page already has that address or has long loaded, and the checks after it
 * could read the page mid-load.)
 */
export async function submitForm(page: Page, button: Locator, url?: string | RegExp): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame()), button.click()]);
  if (url) await page.waitForURL(url);
  else await page.waitForLoadState('load');
}
