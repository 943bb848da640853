import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadEnv, publicUrl } from './common/config/env.schema';
import { ensureDatabase } from './common/database/embedded-postgres';
import { runMigrations } from './common/database/migrate';
import { configureApp } from './common/http/configure-app';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const env = loadEnv();
  const db = await ensureDatabase(env);
  await runMigrations(db.url);
  const app = await NestFactory.create(AppModule.forRoot(db.url), { bufferLogs: true, bodyParser: false });
  configureApp(app);
  await app.listen(env.PORT, env.HOST);
  process.stdout.write(`${JSON.stringify({ level: 30, msg: `API listening on ${publicUrl(env)}` })}\n`);
  const stop = async () => {
    await app.close();
    await db.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

bootstrap().catch((e) => {
  process.stderr.write(`API failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
