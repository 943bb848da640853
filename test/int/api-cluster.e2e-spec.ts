import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../support/redis-server';
import { createTestDatabase } from '../setup/test-app';

/**
 * The API as `npm start` runs it (dist/src/main.js) in cluster mode: two workers on one port,
 * /metrics describing both, and a graceful stop on SIGTERM. Needs a build (`npm run build`).
 */
const get = (port: number, p: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    // agent: false -> a new connection each time, so the primary spreads them over the workers.
    http
      .get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });

describe('API cluster mode (API_WORKERS)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: ChildProcess;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    port = await freePort();
    api = spawn(process.execPath, [path.resolve(__dirname, '../../dist/src/main.js')], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        API_WORKERS: '2',
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        QUEUE_PREFIX: `test-cluster-${randomBytes(3).toString('hex')}`,
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Ready when the primary says both workers listen. Two Nest apps booting at once on a loaded
    // 2-core machine (the other Jest worker, Docker sandboxes) took 21 s in a rehearsal, so no
    // fixed deadline of its own: the hook's timeout bounds it, and an early exit fails at once.
    let out = '';
    let err = '';
    api.stderr!.on('data', (c) => (err += c));
    await new Promise<void>((resolve, reject) => {
      api.stdout!.on('data', (c) => {
        out += c;
        if (out.includes('(2 workers)')) resolve();
      });
      api.once('exit', (code, signal) => reject(new Error(`the API exited (${code ?? signal}) before listening:\n${out}\n${err}`)));
    });
    expect(out).toContain('API listening');
  }, 120_000);
  afterAll(async () => {
    if (api.exitCode === null) api.kill('SIGKILL');
    await db?.drop();
  });

  it('serves from two workers and /metrics counts the requests of both', async () => {
    for (let i = 0; i < 20; i++) expect((await get(port, '/api/v1/me')).status).toBe(401);
    const metrics = (await get(port, '/metrics')).body;
    const line = metrics
      .split('\n')
      .find((l) => l.startsWith('http_request_duration_seconds_count{method="GET",route="/api/v1/me",status="401"}'));
    // Each worker saw about half of them; the scrape adds up both.
    expect(line?.split(' ').pop()).toBe('20');
    expect(metrics).toMatch(/queue_jobs\{queue="mail",state="waiting"\} \d+/);
  });

  it('stops the workers and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => api.once('exit', (code) => resolve(code)));
    api.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(get(port, '/health')).rejects.toThrow(/ECONNREFUSED/);
  }, 20_000);
});
