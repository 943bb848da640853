import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * Apply pending migrations. Several processes may start at once (api, worker, cli): an advisory
 * lock makes them take turns, and the second finds nothing to do.
 */
export async function runMigrations(url: string, log: (m: string) => void = () => undefined): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(774411)');
      const done = await ds.runMigrations({ transaction: 'each' });
      done.forEach((m) => log(`migrated ${m.name}`));
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(774411)').catch(() => undefined);
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
}
