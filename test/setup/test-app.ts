import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/common/http/configure-app';
import { IdentityService } from '../../src/identity/identity.service';
import { Role, TokenKind } from '../../src/identity/user.entity';
import { TEMPLATE_DB } from './constants';
import { WorkerModule } from '../../src/worker.module';
import { QueueName } from '../../src/common/queues/queues';

export const PASSWORD = 'test-password-1';

/** A fresh database cloned from the migrated template, for one suite. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_PG_SERVER_URL!;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  await c.end();
  return {
    url: serverUrl.replace(/\/postgres$/, `/${name}`),
    drop: async () => {
      const d = new Client({ connectionString: serverUrl });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await d.end();
    },
  };
}

/** Env for a suite: its own queue prefix and mail folder; call before creating the app. */
export function suiteEnv(overrides: Record<string, string | undefined> = {}): void {
  const id = randomBytes(4).toString('hex');
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    QUEUE_PREFIX: `test-${id}`,
    DATA_DIR: `var/test-data/${id}`,
    SEED_DEMO: 'false',
    ...overrides,
  });
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete process.env[k];
}

export interface TestApp {
  app: INestApplication;
  /** Listen on a real port (for the browser tests); returns the base URL. */
  listen(): Promise<string>;
  http: ReturnType<typeof request>;
  db: DataSource;
  url: string;
  /** Create a staff user and return a bearer token for them. */
  login(roles: Role[], email?: string): Promise<{ token: string; id: string; email: string }>;
  close(): Promise<void>;
}

/** The worker (queue consumers: `queues`, default all) on the same database, in this process. */
export async function createTestWorker(databaseUrl: string, queues?: QueueName[]) {
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(databaseUrl, 'worker', queues), { logger: false });
  await worker.init();
  return worker;
}

export async function createTestApp(): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await NestFactory.create(AppModule.forRoot(database.url), { logger: false, bodyParser: false });
  configureApp(app);
  await app.init();
  const server = app.getHttpServer();
  const identity = app.get(IdentityService);
  let n = 0;
  return {
    app,
    http: request(server) as any,
    db: app.get(DataSource),
    url: database.url,
    async listen() {
      await app.listen(0, '127.0.0.1');
      const addr = app.getHttpServer().address();
      return `http://127.0.0.1:${addr.port}`;
    },
    async login(roles, email) {
      const address = email ?? `${roles.join('-')}-${++n}-${randomBytes(3).toString('hex')}@test.local`;
      const user = await identity.createUser({
        email: address,
        name: `Test ${roles.join(' ')} ${n}`,
        password: PASSWORD,
        roles,
        timezone: 'Europe/London',
      });
      // Tokens are issued directly: the HTTP login is tested on its own, and its per-address
      // rate limit would otherwise count every suite's failures from 127.0.0.1 together.
      const { token } = await identity.issueToken(user.id, TokenKind.ApiToken); // long-lived: sweep tests move the clock months ahead
      return { token, id: user.id, email: address };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * The usual set-up of a suite that watches mail: a real SMTP server capturing messages, the API,
 * the worker delivering them, on one fresh database. Call close() in afterAll.
 */
export async function startMailSuite(env: Record<string, string | undefined> = {}) {
  const { SmtpCapture } = await import('../support/smtp');
  const { makeWorld } = await import('../support/factories');
  const smtp = new SmtpCapture();
  await smtp.start();
  suiteEnv({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://hiring.test', ...env });
  const t = await createTestApp();
  const worker = await createTestWorker(t.url);
  const w = await makeWorld(t);
  return {
    smtp,
    t,
    worker,
    w,
    async close() {
      await worker.close();
      await t.close();
      await smtp.stop();
    },
  };
}
