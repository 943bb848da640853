import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../setup/test-app';

const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [path.resolve(__dirname, '../../dist/src/cli.js'), ...args], {
    env: { ...process.env, LOG_LEVEL: 'error', QUEUE_PREFIX: 'test-cli', ...env },
    encoding: 'utf8',
    timeout: 180000, // generous: the compiled CLI boots Nest on a loaded 2-core machine
  });

describe('operator CLI (compiled, as `npm run cli` runs it)', () => {
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('seeds demo data once, then runs a sweep as of a chosen instant', async () => {
    const env = { DATABASE_URL: db.url, DATA_DIR: 'var/test-data/cli' };
    expect(cli(['migrate'], env).stdout).toMatch(/up to date/);
    const seeded = cli(['seed-demo'], env);
    expect(seeded.status).toBe(0);
    expect(seeded.stdout).toMatch(/recruiter@demo\.local/);
    const again = cli(['seed-demo'], env);
    expect(again.stdout).toMatch(/nothing seeded/);

    const c = new Client({ connectionString: db.url });
    await c.connect();
    const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM applications WHERE status = 'active'`)).rows;
    expect(n).toBe(4);
    // Ten business days later every demo candidate is due a check-in, exactly once.
    const asOf = new Date(Date.now() + 20 * 86400_000).toISOString();
    const sweep = cli(['sweep', '--as-of', asOf], env);
    expect(sweep.status).toBe(0);
    const report = JSON.parse(sweep.stdout);
    expect(report.asOf).toBe(asOf);
    expect(report.report['sla-checkins'].checkins).toBe(4);
    expect(report.report['stale-alerts'].raised).toBe(4);
    const second = JSON.parse(cli(['sweep', '--as-of', asOf], env).stdout);
    expect(second.report['sla-checkins'].checkins).toBe(0);
    expect(second.report['stale-alerts'].raised).toBe(0);
    const [{ m }] = (await c.query(`SELECT count(*)::int AS m FROM messages WHERE template = 'checkin'`)).rows;
    expect(m).toBe(4);
    await c.end();

    const bad = cli(['sweep', '--as-of', 'next tuesday'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--as-of must be an ISO instant/);
    const user = cli(
      ['create-user', '--email', 'ops@example.com', '--name', 'Ops', '--password', 'long-password-1', '--roles', 'admin,wizard'],
      env,
    );
    expect(user.status).toBe(2);
    expect(user.stderr).toMatch(/unknown: wizard/);
  }, 600_000); // seven boots of the compiled CLI, each allowed 180 s above: Jest's 120 s default would cut them short

  it("seeds the README's demo logins on a first start with ADMIN_EMAIL set too (the first admin does not count as existing data)", async () => {
    const fresh = await createTestDatabase();
    try {
      const env = {
        DATABASE_URL: fresh.url,
        DATA_DIR: 'var/test-data/cli-admin',
        ADMIN_EMAIL: 'first-admin@example.com',
        ADMIN_PASSWORD: 'first-admin-password-1',
      };
      expect(cli(['migrate'], env).status).toBe(0);
      const seeded = cli(['seed-demo'], env);
      expect(seeded.status).toBe(0);
      expect(seeded.stdout).toMatch(/recruiter@demo\.local/);
      const c = new Client({ connectionString: fresh.url });
      await c.connect();
      const emails = (await c.query(`SELECT email FROM users ORDER BY email`)).rows.map((r) => r.email);
      await c.end();
      expect(emails).toEqual(
        expect.arrayContaining([
          'first-admin@example.com',
          'admin@demo.local',
          'recruiter@demo.local',
          'manager@demo.local',
          'engineer@demo.local',
        ]),
      );
      expect(cli(['seed-demo'], env).stdout).toMatch(/nothing seeded/);
    } finally {
      await fresh.drop();
    }
  }, 300_000); // three boots of the compiled CLI
});
