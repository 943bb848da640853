#!/usr/bin/env node
/**
 * Bench-only: the same Nest application (AppModule, every controller, guard, interceptor, filter and
 * Nest-registered middleware) on @nestjs/platform-fastify instead of Express, to measure what the
 * adapter costs on `GET /api/v1/applications/:id` (issue 25). Started by `bench/api/run.js
 * --adapter fastify` beside the Express API; not part of the product (see docs/performance.md for
 * what a real switch would need: the pages, uploads and redirects use Express APIs).
 *
 * The per-request work configure-app.ts adds on Express is reproduced with Fastify hooks so the two
 * figures compare like for like: helmet's security headers (the same values, taken from helmet
 * once), the request id (x-request-id) before parsing, the request context (AsyncLocalStorage)
 * around the guards and handler, cookie parsing, the global ValidationPipe. Swagger is left out
 * (start-up only).
 *
 *   DATABASE_URL=… PORT=… [API_WORKERS=n] node bench/api/fastify-server.js   (after npm run build)
 */
'use strict';
require('reflect-metadata');
const cluster = require('node:cluster');
const os = require('node:os');
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
const dist = (p) => require(path.join(path.resolve(root, process.env.BENCH_DIST ?? 'dist'), p));

const WORKERS = Number(process.env.API_WORKERS || os.availableParallelism());

async function serve() {
  const { NestFactory } = require('@nestjs/core');
  const { FastifyAdapter } = require('@nestjs/platform-fastify');
  const { Logger } = require('nestjs-pino');
  const helmet = require('helmet');
  const cookie = require('cookie');
  const { AppModule } = dist('src/app.module');
  const { requestIdFor } = dist('src/common/logging/logging');
  const { RequestContext } = dist('src/common/context/request-context');
  const { buildValidationPipe } = dist('src/common/http/validation');

  const adapter = new FastifyAdapter({ bodyLimit: 1024 * 1024, trustProxy: false });
  const app = await NestFactory.create(AppModule.forRoot(process.env.DATABASE_URL), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // helmet's headers, as configure-app.ts configures them, computed once from a throwaway response.
  const headers = {};
  helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
    },
  })({}, { setHeader: (k, v) => (headers[k] = v), removeHeader: () => undefined }, () => undefined);
  fastify.addHook('onRequest', (req, reply, done) => {
    for (const k in headers) reply.raw.setHeader(k, headers[k]);
    req.raw.id = req.id = requestIdFor(req.raw, reply.raw);
    const c = req.headers.cookie;
    req.cookies = req.raw.cookies = c ? cookie.parse(c) : {};
    done();
  });
  fastify.addHook('preHandler', (req, _reply, done) => RequestContext.run({ requestId: String(req.id) }, done));
  app.useGlobalPipes(buildValidationPipe());
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (cluster.isWorker) process.once('disconnect', stop);
}

if (cluster.isPrimary && WORKERS > 1) {
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  process.once('SIGTERM', () => {
    for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 5000).unref();
    let left = WORKERS;
    cluster.on('exit', () => --left === 0 && process.exit(0));
  });
} else {
  serve().catch((e) => {
    process.stderr.write(`fastify bench server failed: ${e?.stack ?? e}\n`);
    process.exit(1);
  });
}
