import { DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../../../migrations';

/** One place that says how every process talks to PostgreSQL. synchronize stays off: schema = migrations/. */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [], // registered by each module (TypeOrmModule.forFeature + autoLoadEntities)
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    // Fail fast (and answer 503) instead of hanging when PostgreSQL is down.
    extra: { max: 20, connectionTimeoutMillis: 3000, idleTimeoutMillis: 10000, statement_timeout: 30000 },
    ...extra,
  } as DataSourceOptions;
}
