import 'reflect-metadata';
import cluster from 'node:cluster';
import { NestFactory } from '@nestjs/core';
import { Env, loadEnv, publicUrl } from './common/config/env.schema';
import { ensureDatabase, viaUnixSocket } from './common/database/embedded-postgres';
import { runMigrations } from './common/database/migrate';
import { apiWorkerCount, relayMetricsRequests } from './common/http/api-cluster';
import { configureApp } from './common/http/configure-app';
import { AppModule } from './app.module';

const say = (msg: string) => process.stdout.write(`${JSON.stringify({ level: 30, msg })}\n`);

/** One API process: the Nest app on PORT until SIGTERM/SIGINT (or, as a cluster worker, until the primary goes). */
async function serve(env: Env, databaseUrl: string, onStop: () => Promise<void>): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(databaseUrl), { bufferLogs: true, bodyParser: false });
  configureApp(app);
  await app.listen(env.PORT, env.HOST);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await onStop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (cluster.isWorker) process.once('disconnect', stop);
}

/**
 * Cluster primary (API_WORKERS > 1): database and migrations once, then the workers; a worker
 * that dies is replaced (with a growing delay when it dies at start-up); SIGTERM/SIGINT stop the
 * workers (each closes its Nest app: in-flight requests finish), then the embedded database.
 */
async function primary(env: Env, workers: number): Promise<void> {
  const db = await ensureDatabase(env);
  // The embedded server over its unix socket (less CPU per query than TCP loopback); a DATABASE_URL as given.
  const url = env.DATABASE_URL ? db.url : await viaUnixSocket(db.url);
  await runMigrations(url);
  relayMetricsRequests();
  let stopping = false;
  let quickDeaths = 0;
  const fork = () => {
    const startedAt = Date.now();
    const w = cluster.fork({ DATABASE_URL: url });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      quickDeaths = Date.now() - startedAt < 10_000 ? quickDeaths + 1 : 0;
      if (quickDeaths > 5) {
        process.stderr.write(`API worker keeps failing (exit ${code ?? signal}); stopping\n`);
        void shutdown(1);
        return;
      }
      const delay = Math.min(500 * 2 ** quickDeaths, 15_000);
      process.stderr.write(`API worker ${w.process.pid} exited (${code ?? signal}); starting another in ${delay} ms\n`);
      setTimeout(() => !stopping && fork(), delay);
    });
  };
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === workers) say(`API listening on ${publicUrl(env)} (${workers} workers)`);
  });
  for (let i = 0; i < workers; i++) fork();

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (w) =>
          new Promise<void>((resolve) => {
            if (!w || w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
            setTimeout(() => w.process.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await db.stop().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));
}

async function bootstrap(): Promise<void> {
  const env = loadEnv();
  if (cluster.isWorker) {
    // Forked by primary(): the database is up and migrated; the primary owns its lifetime.
    await serve(env, env.DATABASE_URL!, async () => undefined);
    return;
  }
  const workers = apiWorkerCount(env);
  if (workers > 1) return primary(env, workers);
  const db = await ensureDatabase(env);
  const url = env.DATABASE_URL ? db.url : await viaUnixSocket(db.url);
  await runMigrations(url);
  await serve(env, url, () => db.stop());
  say(`API listening on ${publicUrl(env)}`);
}

bootstrap().catch((e) => {
  process.stderr.write(`API failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
