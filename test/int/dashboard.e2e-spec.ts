import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser } from 'playwright-core';
import { Clock } from '../../src/common/clock/clock';
import { SweepRegistry } from '../../src/common/sweep/sweep.registry';
import { Role } from '../../src/identity/user.entity';
import { createTestApp, PASSWORD, suiteEnv, TestApp } from '../setup/test-app';
import { launchBrowser, signIn } from '../support/browser';
import { auth, makeApplication, makeCandidate, makeOpening, makeWorld, World } from '../support/factories';

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
const NOW = '2027-02-10T12:00:00Z'; // Wednesday

describe("the hiring manager's board in a real browser", () => {
  let t: TestApp;
  let w: World;
  let clock: Clock;
  let base: string;
  let browser: Browser;
  let opening: { id: string };

  const at = async <T>(iso: string, fn: () => Promise<T>): Promise<T> => {
    clock.set(new Date(iso));
    try {
      return await fn();
    } finally {
      clock.reset();
    }
  };
  const apply = async (name: string, iso: string, source: Record<string, unknown> = { kind: 'direct' }) => {
    const c = await makeCandidate(t, w, { name, timezone: 'UTC', source });
    return at(iso, () => makeApplication(t, w, opening.id, c.id));
  };
  const post = (p: string, iso: string, body: object = {}) => at(iso, () => t.http.post(p).set(auth(w.manager.token)).send(body));

  beforeAll(async () => {
    suiteEnv({ SMTP_URL: undefined, PUBLIC_URL: 'http://hiring.test' });
    t = await createTestApp();
    base = await t.listen();
    w = await makeWorld(t);
    clock = t.app.get(Clock);
    opening = await makeOpening(t, w, {
      title: 'Platform Engineer',
      timezone: 'UTC',
      stages: [{ key: 'screen' }, { key: 'call', name: 'Manager call' }, { key: 'onsite' }, { key: 'offer', kind: 'offer' }],
    });
    // Hired in January (funnel, flow and time to hire), and one rejection.
    const hired = await apply('Hana Hired', '2027-01-11T09:00:00Z', { kind: 'referral', referrerId: w.recruiter.id });
    for (const [to, iso] of [
      ['call', '2027-01-12T09:00:00Z'],
      ['onsite', '2027-01-13T09:00:00Z'],
      ['offer', '2027-01-14T09:00:00Z'],
    ]) {
      expect((await post(`/api/v1/applications/${hired.id}/transitions`, iso, { to })).status).toBe(200);
    }
    expect((await post(`/api/v1/applications/${hired.id}/hire`, '2027-01-18T09:00:00Z')).status).toBe(200);
    const rejected = await apply('Rex Rejected', '2027-01-11T09:00:00Z', { kind: 'job_board', detail: 'Board' });
    expect((await post(`/api/v1/applications/${rejected.id}/reject`, '2027-01-12T09:00:00Z', { reason: 'no' })).status).toBe(200);
    // On the board, as of Wednesday 10 February 12:00 (contact SLA 3, stale after 5 business days):
    await apply('Lee Late', '2027-02-03T09:00:00Z'); // check-in was due Mon 8 09:00 -> late; 5 days -> stale alert
    await apply('Sam Soon', '2027-02-08T09:00:00Z', { kind: 'internship' }); // due Thu 11 09:00, within a business day -> due soon
    await apply('Olivia Ok', '2027-02-10T09:00:00Z', { kind: 'partner', detail: 'Techtonica' });
    const moved = await apply('Cal Called', '2027-02-01T09:00:00Z');
    expect((await post(`/api/v1/applications/${moved.id}/transitions`, '2027-02-09T09:00:00Z', { to: 'call' })).status).toBe(200);
    await t.app.get(SweepRegistry).runAll(new Date(NOW));
    clock.set(new Date(NOW));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    clock?.reset();
    await t?.close();
  });

  it("guards the page: sign-in first, and candidates' data only for recruiters and hiring managers", async () => {
    const anonymous = await t.http.get(`/dashboard/openings/${opening.id}`).set('accept', 'text/html');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/login/);
    const engineer = await t.login([Role.Engineer]);
    expect((await t.http.get(`/dashboard/openings/${opening.id}`).set(auth(engineer.token))).status).toBe(403);
    const missing = await t.http.get('/dashboard/openings/00000000-0000-4000-8000-000000000000').set(auth(w.manager.token));
    expect(missing.status).toBe(404);
  });

  it('shows a column per stage, a card per candidate with days in stage and SLA state, charts, sources, and acknowledges an alert', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
    page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
    await signIn(page, base, w.manager.email, PASSWORD);
    // From the dashboard home to the opening's board.
    await Promise.all([page.waitForURL(`**/dashboard/openings/${opening.id}`), page.click('a:has-text("Platform Engineer")')]);

    expect(await page.locator('.board .column').evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')))).toEqual([
      'screen',
      'call',
      'onsite',
      'offer',
    ]);
    const card = (name: string) => page.locator('.tile', { hasText: name });
    await expect(card('Lee Late').getAttribute('data-sla')).resolves.toBe('late');
    expect(await card('Lee Late').getAttribute('class')).toContain('sla-late');
    expect(await card('Lee Late').innerText()).toContain('5 business days in stage');
    expect(await card('Sam Soon').getAttribute('class')).toContain('sla-soon');
    expect(await card('Sam Soon').innerText()).toMatch(/2 business days in stage[\s\S]*due soon/);
    expect(await card('Olivia Ok').getAttribute('data-sla')).toBe('ok');
    expect(await card('Olivia Ok').innerText()).toContain('0 business days in stage');
    expect(await page.locator('.column[data-stage="call"] .tile').allInnerTexts()).toEqual([expect.stringContaining('Cal Called')]);
    expect(await page.locator('.column[data-stage="screen"] .tile').count()).toBe(3);
    expect(await page.locator('.tile', { hasText: 'Hana Hired' }).count()).toBe(0);
    expect((await page.locator('#board-summary').innerText()).replace(/\s+/g, ' ')).toBe('4 active · 2 ok · 1 due soon · 1 late');

    // Server-rendered SVG charts and the tables behind them.
    expect(await page.locator('#funnel-chart svg.chart.funnel .funnel-row').count()).toBe(4);
    expect(await page.locator('#flow-chart svg.chart.flow .flow-row').count()).toBe(4);
    const funnelRows = await page.locator('#funnel-table tbody tr').allInnerTexts();
    // screen: Hana, Rex, Lee, Sam, Olivia, Cal entered; Hana and Cal advanced; Rex rejected.
    expect(funnelRows[0].split('\t')).toEqual(['Screen', '6', '2', '1', '0', '33%']);
    expect(funnelRows[3].split('\t')).toEqual(['Offer', '1', '1', '0', '0', '100%']);
    const flowRows = await page.locator('#flow-table tbody tr').allInnerTexts();
    // screen visits completed: Hana 1, Rex 1, Cal 6 (Mon 1 -> Tue 9) -> median 1.
    expect(flowRows[0].split('\t').slice(0, 3)).toEqual(['Screen', '3', '1']);
    expect(await page.locator('text=Time to hire:').innerText()).toContain('5 business days');
    const sources = await page.locator('#source-table tbody tr').allInnerTexts();
    expect(sources.map((r) => r.split('\t')[0])).toEqual(['Referral', 'Internship', 'Partner', 'Job board', 'Direct', 'Other']);
    expect(sources[0].split('\t').slice(0, 6)).toEqual(['Referral', '1', '1', '0', '0', '100%']);
    expect(sources[3].split('\t').slice(0, 4)).toEqual(['Job board', '1', '0', '1']);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-board.png'), fullPage: true });

    // The stale alert about Lee, acknowledged from the board, which comes back to the alerts without it and says so.
    const alertRow = page.getByRole('listitem', { name: 'Alert about Lee Late' });
    expect(await alertRow.count()).toBe(1);
    await Promise.all([
      page.waitForURL(`**/dashboard/openings/${opening.id}?done=acknowledged*`),
      alertRow.getByRole('button', { name: /^Acknowledge/ }).click(),
    ]);
    expect(await page.getByRole('status').innerText()).toContain('Acknowledged the alert about Lee Late.');
    expect(await page.locator('section[aria-labelledby="alerts-title"]').innerText()).toContain('No open alerts for this opening.');
    const open = (await t.http.get('/api/v1/alerts').set(auth(w.manager.token))).body as Array<{ message: string }>;
    expect(open.filter((a) => a.message.includes('Lee Late'))).toHaveLength(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
