#!/usr/bin/env node
/**
 * The worker process of the sandbox throughput benchmark (started by bench/sandbox/run.js, not
 * by hand). It boots the real WorkerModule exactly as src/worker.ts does -- BullMQ consumers of
 * the grading queue at GRADING_CONCURRENCY, the sandbox service, the onGraded hooks -- minus two
 * things that would touch other users of a shared machine: no `reapOrphans({ all: true })` (it
 * removes every sandbox container on the engine) and no periodic sweep scheduler.
 *
 * Configuration comes from the environment (DATABASE_URL, QUEUE_PREFIX, GRADING_CONCURRENCY...).
 * Tells its parent over IPC when it is ready; on 'stepTimes' it sends the per-step times recorded
 * since the last ask and its CPU time; on 'stop' it closes (waiting for its containers' removal)
 * and exits.
 */
'use strict';
require('reflect-metadata');
const path = require('node:path');

const dist = (p) => path.join(__dirname, '..', '..', 'dist', p);

async function main() {
  const { NestFactory } = require('@nestjs/core');
  const { Logger } = require('nestjs-pino');
  const { WorkerModule } = require(dist('src/worker.module'));
  // Per-step wall times of each grading (src/common/timing/step-times.ts), handed to the parent on request.
  const { enableStepTimes, takeStepTimes } = require(dist('src/common/timing/step-times'));
  enableStepTimes();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(process.env.DATABASE_URL, 'worker'), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  process.send({ ready: true, rss: process.memoryUsage().rss });
  process.on('message', async (m) => {
    if (m && m.stepTimes) {
      process.send({ stepTimes: takeStepTimes(), cpu: process.cpuUsage() });
      return;
    }
    if (m && m.stop) {
      await app.close();
      process.exit(0);
    }
  });
}

main().catch((e) => {
  process.stderr.write(`bench worker failed: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
