import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { loadEnv } from './common/config/env.schema';
import { Clock } from './common/clock/clock';
import { ensureDatabase } from './common/database/embedded-postgres';
import { runMigrations } from './common/database/migrate';
import { SweepRegistry } from './common/sweep/sweep.registry';
import { IdentityService } from './identity/identity.service';
import { ALL_ROLES, Role } from './identity/user.entity';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './cli/demo-seed';
import { WorkerModule } from './worker.module';
import { CLI_EXTRA_COMMANDS } from './cli/extra-commands';

const USAGE = `Usage: npm run cli -- <command> [options]
  migrate                                   apply pending database migrations
  create-user --email E --name N --password P --roles admin,recruiter [--timezone Europe/Berlin]
  seed-demo [--force]                        demo users and data (skipped when users exist, unless --force)
  sweep [--as-of 2027-01-15T09:00:00Z]       run every periodic check (SLA, stale alerts, digests) as of an instant
${CLI_EXTRA_COMMANDS.map((c) => `  ${c.usage}`).join('\n')}`;

async function withApp<T>(fn: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<T>): Promise<T> {
  const env = loadEnv();
  const db = await ensureDatabase(env);
  await runMigrations(db.url);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(db.url, 'cli'), { logger: ['error', 'warn'] });
  try {
    return await fn(app);
  } finally {
    await app.close();
    await db.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: false,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      roles: { type: 'string' },
      timezone: { type: 'string' },
      force: { type: 'boolean' },
      'as-of': { type: 'string' },
    },
  });
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  switch (command) {
    case 'migrate': {
      const env = loadEnv();
      const db = await ensureDatabase(env);
      try {
        const done = await runMigrations(db.url);
        console.log(done.length ? `applied: ${done.join(', ')}` : 'database is up to date');
      } finally {
        await db.stop();
      }
      return 0;
    }
    case 'create-user': {
      const email = str('email'),
        name = str('name'),
        password = str('password');
      const roles = (str('roles') ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean) as Role[];
      const bad = roles.filter((r) => !ALL_ROLES.includes(r));
      if (!email || !name || !password || !roles.length || bad.length) {
        console.error(
          `create-user needs --email, --name, --password and --roles (${ALL_ROLES.join(', ')})${bad.length ? `; unknown: ${bad.join(', ')}` : ''}`,
        );
        return 2;
      }
      if (password.length < 10) {
        console.error('--password must be at least 10 characters');
        return 2;
      }
      return withApp(async (app) => {
        const user = await app.get(IdentityService).createUser({ email, name, password, roles, timezone: str('timezone') ?? 'UTC' });
        console.log(JSON.stringify({ id: user.id, email: user.email, roles: user.roles }));
        return 0;
      });
    }
    case 'seed-demo':
      return withApp(async (app) => {
        const seeded = await seedDemo(app, { force: !!values.force });
        console.log(
          seeded
            ? `demo data created; logins (password ${DEMO_PASSWORD}): ${DEMO_USERS.map((u) => u.email).join(', ')}`
            : 'database already has users; nothing seeded (use --force)',
        );
        return 0;
      });
    case 'sweep': {
      const asOf = str('as-of');
      const at = asOf ? new Date(asOf) : new Date();
      if (Number.isNaN(at.getTime())) {
        console.error(`--as-of must be an ISO instant such as 2027-01-15T09:00:00Z, got "${asOf}"`);
        return 2;
      }
      return withApp(async (app) => {
        app.get(Clock).set(at);
        const report = await app.get(SweepRegistry).runAll(at);
        console.log(JSON.stringify({ asOf: at.toISOString(), report }, null, 2));
        return 0;
      });
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command ? 0 : 2;
    default: {
      const extra = CLI_EXTRA_COMMANDS.find((c) => c.name === command);
      if (extra) return extra.run(rest, withApp);
      console.error(`unknown command "${command}"\n${USAGE}`);
      return 2;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e?.message ?? e);
    process.exit(1);
  },
);
