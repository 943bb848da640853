import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { loadEnv, publicUrl } from './common/config/env.schema';
import { ensureDatabase, viaUnixSocket } from './common/database/embedded-postgres';
import { runMigrations } from './common/database/migrate';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './cli/demo-seed';
import { ALL_QUEUES, QueueName } from './common/queues/queues';
import { WorkerModule } from './worker.module';

/**
 * What `npm start` runs after set-up: owns the embedded PostgreSQL (when DATABASE_URL is unset),
 * migrates, seeds demo data into an empty database, then supervises the API and two workers
 * (restarting any that dies) until Ctrl-C, when it stops everything it started:
 *  - the grader (WORKER_QUEUES=grading): runs candidates' code in Docker, owns the sandbox
 *    containers (warm pool, orphan reaper);
 *  - the general worker (every other queue: mail, sweep, webhooks).
 * Apart, a grading worker that dies (it drives untrusted code and the Docker engine) never cuts
 * an SMTP exchange in half. WORKER_QUEUES set by the operator is ignored here: split your own
 * workers by running `node dist/src/worker.js` with it.
 */
const GRADER_QUEUES = [QueueName.Grading];
const GENERAL_QUEUES = ALL_QUEUES.filter((q) => !GRADER_QUEUES.includes(q));
const say = (m: string) => process.stdout.write(`\x1b[1m[start]\x1b[0m ${m}\n`);

async function main(): Promise<void> {
  const env = loadEnv();
  let stopping = false;
  const db = await ensureDatabase(env, { log: () => undefined });
  say(
    env.DATABASE_URL
      ? 'using DATABASE_URL'
      : `embedded PostgreSQL on 127.0.0.1:${env.EMBEDDED_PG_PORT} (data in ${path.resolve(env.DATA_DIR, 'pg')})`,
  );
  // Restarted if it stops underneath us; the API answers 503 meanwhile and the pools reconnect.
  db.supervise(say, () => stopping);
  // The API and the worker reach the embedded server over its unix socket (less CPU per query than
  // TCP loopback); a DATABASE_URL is passed on as given.
  const dbUrl = env.DATABASE_URL ? db.url : await viaUnixSocket(db.url);
  const applied = await runMigrations(dbUrl);
  if (applied.length) say(`migrated: ${applied.join(', ')}`);
  let seeded = false;
  if (env.SEED_DEMO) {
    const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(dbUrl, 'cli'), { logger: ['error', 'warn'] });
    try {
      seeded = await seedDemo(ctx);
    } finally {
      await ctx.close();
    }
  }

  const children = new Map<string, ChildProcess>();
  const childEnv = { ...process.env, DATABASE_URL: dbUrl };
  const run = (name: string, script: string, extraEnv: Record<string, string> = {}, restarts = 0) => {
    const child = spawn(process.execPath, [path.join(__dirname, script)], { env: { ...childEnv, ...extraEnv }, stdio: 'inherit' });
    children.set(name, child);
    const startedAt = Date.now();
    child.on('exit', (code, signal) => {
      children.delete(name);
      if (stopping) return;
      const quick = Date.now() - startedAt < 10_000;
      if (quick && restarts >= 5) {
        say(`${name} keeps failing (exit ${code ?? signal}); stopping`);
        void shutdown(1);
        return;
      }
      const delay = Math.min(1000 * 2 ** (quick ? restarts : 0), 15_000);
      say(`${name} exited (${code ?? signal}); restarting in ${delay} ms`);
      setTimeout(() => run(name, script, extraEnv, quick ? restarts + 1 : 0), delay);
    });
  };
  run('api', 'main.js');
  run('grader', 'worker.js', { WORKER_QUEUES: GRADER_QUEUES.join(',') });
  run('worker', 'worker.js', { WORKER_QUEUES: GENERAL_QUEUES.join(',') });

  const url = publicUrl(env);
  void waitForHealth(`http://127.0.0.1:${env.PORT}/health`).then((ok) => {
    say(ok ? `ready: ${url}  (API docs ${url}/api/docs, health ${url}/health)` : `API not healthy yet; see the log above (${url}/health)`);
    say(
      `demo logins${seeded ? '' : ' (if you kept the demo data)'}: ${DEMO_USERS.map((u) => `${u.email} [${u.roles.join(',')}]`).join(', ')}; password ${DEMO_PASSWORD}`,
    );
    say('Ctrl-C stops everything npm start started.');
  });

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((resolve) => {
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await db.stop().catch(() => undefined);
    stopStartedServices();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
}

function stopStartedServices(): void {
  const pidfile = process.env.STARTED_REDIS_PIDFILE;
  if (pidfile) {
    try {
      process.kill(Number(readFileSync(pidfile, 'utf8').trim()), 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const dockerd = Number(process.env.STARTED_DOCKERD_PID);
  if (dockerd) {
    try {
      process.kill(dockerd, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

async function waitForHealth(url: string): Promise<boolean> {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return true;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

main().catch((e) => {
  process.stderr.write(`start failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
