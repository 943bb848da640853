import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from './clock/clock';
import { ConfigModule } from './config/config.module';
import { loadEnv } from './config/env.schema';
import { dataSourceOptions } from './database/data-source-options';
import { createDockerClient, DOCKER } from './docker';
import { QueueService } from './queues/queue.service';
import { ALL_QUEUES, redisOptions } from './queues/queues';

export interface CoreOptions {
  databaseUrl: string;
  /** Workers need blocking connections (maxRetriesPerRequest null); the API wants fast failure. */
  role: 'api' | 'worker' | 'cli';
}

/** Config, clock, PostgreSQL (TypeORM), Redis queues (BullMQ) and Docker: shared by api, worker and cli. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(opts: CoreOptions): DynamicModule {
    const env = loadEnv();
    const connection = redisOptions(env.REDIS_URL, {
      maxRetriesPerRequest: opts.role === 'worker' ? null : 1,
      enableOfflineQueue: opts.role === 'worker',
      connectTimeout: 2000,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    });
    return {
      module: CoreModule,
      imports: [
        ConfigModule,
        ClockModule,
        // Each module registers its own entities (TypeOrmModule.forFeature); none is listed here.
        TypeOrmModule.forRoot({ ...dataSourceOptions(opts.databaseUrl), autoLoadEntities: true }),
        BullModule.forRoot({ connection, prefix: env.QUEUE_PREFIX }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
      ],
      providers: [QueueService, { provide: DOCKER, useFactory: () => createDockerClient(env) }],
      exports: [QueueService, DOCKER, BullModule, ConfigModule, ClockModule],
    };
  }
}
