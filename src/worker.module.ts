import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loadEnv } from './common/config/env.schema';
import { CoreModule } from './common/core.module';
import { ViewModule } from './web/view.module';
import { EventsModule } from './common/events/event-bus';
import { QueueName } from './common/queues/queues';
import { pinoParams } from './common/logging/logging';
import { SweepModule } from './common/sweep/sweep.registry';
import { IdentityCoreModule } from './identity/identity.module';
import { DOMAIN_MODULES, WORKER_MODULES } from './domain-modules';

/**
 * BullMQ consumers. Same domain modules as the API, no HTTP. A worker starts the consumers of
 * `queues` only (default: WORKER_QUEUES, itself all queues by default); producers for every
 * queue are available in every process.
 */
@Module({})
export class WorkerModule {
  static forRoot(databaseUrl: string, role: 'worker' | 'cli' = 'worker', queues?: readonly QueueName[]): DynamicModule {
    const env = loadEnv();
    const consumed = queues ?? env.WORKER_QUEUES;
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot(pinoParams(env, role)),
        CoreModule.forRoot({ databaseUrl, role }),
        ViewModule,
        EventsModule,
        SweepModule,
        IdentityCoreModule,
        ...DOMAIN_MODULES,
        ...(role === 'worker' ? consumed.map((q) => WORKER_MODULES[q]) : []),
      ],
    };
  }
}
