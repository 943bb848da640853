import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { loadEnv } from '../../src/common/config/env.schema';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { expectAccessible, expectFitsPhone } from '../support/a11y';
import { launchBrowser } from '../support/browser';
import { eventually, freePort } from '../support/redis-server';

/**
 * Single sign-on against a real OpenID provider: the `oidc-provider` package run as its own
 * server (test/support/oidc-provider-server.mjs), walked through in Chromium (its login and
 * consent pages), with the authorization code flow, PKCE, discovery and group → role mapping.
 */
describe('single sign-on with OpenID Connect', () => {
  let t: TestApp;
  let base: string;
  let idp: ChildProcess;
  let browser: Browser;
  const accounts = {
    rita: { email: 'rita.recruiter@idp.test', name: 'Rita Recruiter', groups: ['everyone', 'hiring-recruiters'] },
    nils: { email: 'nils.nobody@idp.test', name: 'Nils Nobody', groups: ['everyone'] },
    erin: { email: 'erin.existing@idp.test', name: 'Erin Existing', groups: ['hiring-engineers'] },
  };

  beforeAll(async () => {
    const [idpPort, appPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${appPort}`;
    idp = spawn(
      process.execPath,
      [
        path.resolve(__dirname, '../support/oidc-provider-server.mjs'),
        JSON.stringify({
          port: idpPort,
          clientId: 'hiring',
          clientSecret: 'sso-test-client-secret',
          redirectUri: `${base}/login/sso/callback`,
          accounts,
        }),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the OpenID provider did not start in 30 s')), 30_000);
      idp.stdout!.on('data', (d) => String(d).includes('ready') && (clearTimeout(timer), resolve()));
      idp.on('exit', (code) => reject(new Error(`the OpenID provider exited (${code})`)));
    });
    suiteEnv({
      SMTP_URL: undefined,
      PUBLIC_URL: base,
      OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
      OIDC_CLIENT_ID: 'hiring',
      OIDC_CLIENT_SECRET: 'sso-test-client-secret',
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: 'hiring-recruiters=recruiter,hiring-engineers=engineer,hiring-admins=admin',
      OIDC_NAME: 'Acme ID',
      SSO_ONLY: undefined,
    });
    t = await createTestApp();
    await t.app.listen(appPort, '127.0.0.1');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    idp?.kill('SIGTERM');
  });

  /** From our sign-in page through the provider's login and consent pages, back to us. */
  async function ssoSignIn(page: Page, login: string, next = '/dashboard') {
    await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
    await page.getByRole('button', { name: 'Sign in with Acme ID' }).click();
    await page.waitForURL((u) => u.origin !== base);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'anything');
    await page.click('button[type=submit]');
    // The provider answers with its consent page (a new grant) or straight back here. The click returns
    // once the next page starts loading, before its form is parsed: wait until one of the two is there.
    const consent = page.locator('input[name=prompt][value=consent]');
    const answer = await eventually(
      async () => (new URL(page.url()).origin === base ? 'back' : (await consent.count().catch(() => 0)) ? 'consent' : 'loading'),
      (x) => x !== 'loading',
      20_000,
    );
    if (answer === 'consent') await page.click('button[type=submit]');
    await page.waitForURL((u) => u.origin === base);
  }

  it('offers the button on the sign-in page, signs a new person in and makes their account with the mapped role', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await expectAccessible(page);
    await expectFitsPhone(page);
    await expect(page.getByRole('button', { name: 'Sign in with Acme ID' }).count()).resolves.toBe(1);
    await expect(page.getByLabel('Password').count()).resolves.toBe(1); // not SSO-only: passwords still work

    await ssoSignIn(page, 'rita');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await expectAccessible(page);
    const users = await t.db.query(`SELECT id, email, name, roles, sso_subject FROM users WHERE email = $1`, [accounts.rita.email]);
    expect(users).toEqual([
      {
        id: expect.any(String),
        email: accounts.rita.email,
        name: 'Rita Recruiter',
        roles: ['recruiter'],
        sso_subject: `${loadEnv().OIDC_ISSUER}#rita`,
      },
    ]);

    // Signing in again (a fresh browser session) finds the same account.
    const again = await browser.newPage();
    await ssoSignIn(again, 'rita', '/dashboard');
    expect(new URL(again.url()).pathname).toBe('/dashboard');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [accounts.rita.email]))[0].n).toBe(1);
    await page.close();
    await again.close();
  });

  it('links an existing account by its verified e-mail, taking its roles from the provider', async () => {
    const before = await t.login([Role.Recruiter], accounts.erin.email);
    const page = await browser.newPage();
    await ssoSignIn(page, 'erin');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    const [u] = await t.db.query(`SELECT id, roles, sso_subject FROM users WHERE lower(email) = lower($1)`, [accounts.erin.email]);
    expect(u).toEqual({ id: before.id, roles: ['engineer'], sso_subject: `${loadEnv().OIDC_ISSUER}#erin` });
    await page.close();
  });

  it('refuses a person whose groups map to no role, saying why, and makes no account', async () => {
    const page = await browser.newPage();
    await ssoSignIn(page, 'nils');
    expect(new URL(page.url()).pathname).toBe('/login/sso/callback');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/no role here/);
    await expectAccessible(page);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [accounts.nils.email]))[0].n).toBe(0);
    await page.close();
  });

  it('refuses a callback that did not start here (no state cookie, or a forged state)', async () => {
    const res = await request(base).get('/login/sso/callback?code=abc&state=forged');
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/did not start here/);
  });

  it('in SSO-only mode refuses passwords (page and API) and shows only the SSO button', async () => {
    const env = loadEnv();
    const { email } = await t.login([Role.Recruiter]);
    env.SSO_ONLY = true;
    try {
      const api = await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
      expect(api.status).toBe(403);
      expect(api.body.message).toMatch(/single sign-on/);
      const page = await browser.newPage();
      await page.goto(`${base}/login`);
      await expect(page.getByLabel('Password').count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Sign in with Acme ID' }).count()).resolves.toBe(1);
      await expectAccessible(page);
      await ssoSignIn(page, 'rita');
      expect(new URL(page.url()).pathname).toBe('/dashboard');
      await page.close();
    } finally {
      env.SSO_ONLY = false;
    }
  });
});
