import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Logger } from 'nestjs-pino';
import { loadEnv } from './common/config/env.schema';
import { ensureDatabase, viaUnixSocket } from './common/database/embedded-postgres';
import { runMigrations } from './common/database/migrate';
import { JobName, QueueName } from './common/queues/queues';
import { WorkerModule } from './worker.module';
import { createDockerClient } from './common/docker';
import { reapOrphans } from './sandbox/reaper';
import { SandboxService } from './sandbox';
import { DataSource } from 'typeorm';
import { lowerOwnPriority, lowerPoolBackendsPriority } from './common/process/background-priority';

async function bootstrap(): Promise<void> {
  const env = loadEnv();
  const db = await ensureDatabase(env);
  // Background work yields to the API (WORKER_NICE): this process first, its database backends
  // below. After ensureDatabase: an embedded server this process had to start keeps normal priority.
  // A grading worker keeps normal priority: it drives sandbox runs timed on the wall clock.
  const nice = env.WORKER_QUEUES.includes(QueueName.Grading) ? 0 : env.WORKER_NICE;
  const priority = lowerOwnPriority(nice);
  // The embedded server over its unix socket (less CPU per query than TCP loopback); a DATABASE_URL as given.
  const url = env.DATABASE_URL ? db.url : await viaUnixSocket(db.url);
  await runMigrations(url);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(url, 'worker'), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const logger = app.get(Logger);
  lowerPoolBackendsPriority(app.get(DataSource), nice);
  const queues = env.WORKER_QUEUES;
  // One repeatable sweep for the whole fleet (a job scheduler is keyed, so N workers make one),
  // upserted by the workers that consume it.
  if (queues.includes(QueueName.Sweep)) {
    const sweep = app.get<Queue>(getQueueToken(QueueName.Sweep));
    await sweep.upsertJobScheduler(
      'periodic-sweep',
      { every: env.SWEEP_EVERY_SECONDS * 1000 },
      { name: JobName.RunSweep, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
  // Grading workers own the Docker engine's sandbox containers: those left behind by a killed
  // grading worker are removed at start and then every minute. Other workers never touch Docker.
  let reaper: NodeJS.Timeout | undefined;
  if (queues.includes(QueueName.Grading)) {
    const docker = createDockerClient(env);
    // Only orphans: containers whose lease ran out, or whose owner process on this host is gone;
    // never a live run of the API's publish check, `cli grade` or another worker.
    const reap = () =>
      reapOrphans(docker, { deadOwners: true }).then(
        (r) => r.removed.length && logger.warn(`removed ${r.removed.length} orphaned sandbox container(s)`),
        (e: Error) => logger.error(`sandbox reaper failed: ${e.message}`),
      );
    await reap();
    // ...and warm containers that died underneath (an engine restart) are dropped every minute too.
    const sandbox = app.get(SandboxService);
    const prune = () =>
      sandbox.pruneWarm().then(
        (n) => n && logger.warn(`dropped ${n} warm sandbox container(s) that had stopped`),
        (e: Error) => logger.error(`warm pool check failed: ${e.message}`),
      );
    reaper = setInterval(() => void reap().then(prune), 60_000);
    reaper.unref();
  }
  logger.log(
    `worker started: queues ${queues.join(', ')}; ${priority}` +
      (queues.includes(QueueName.Grading) ? `; grading concurrency ${env.GRADING_CONCURRENCY}` : '') +
      (queues.includes(QueueName.Sweep) ? `; sweep every ${env.SWEEP_EVERY_SECONDS}s` : ''),
  );
  // No enableShutdownHooks(): this handler closes the app itself (Nest's own listener would close
  // it a second time, racing this one: "Called end on pool more than once").
  const stop = async () => {
    if (reaper) clearInterval(reaper);
    await app.close();
    await db.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

bootstrap().catch((e) => {
  process.stderr.write(`worker failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
