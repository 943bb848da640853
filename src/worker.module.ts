import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loadEnv } from './common/config/env.schema';
import { CoreModule } from './common/core.module';
import { pinoParams } from './common/logging/logging';
import { SweepModule } from './common/sweep/sweep.registry';
import { IdentityCoreModule } from './identity/identity.module';
import { DOMAIN_MODULES, WORKER_MODULES } from './domain-modules';

/** BullMQ consumers and the repeatable sweep. Same domain modules as the API, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(databaseUrl: string, role: 'worker' | 'cli' = 'worker'): DynamicModule {
    const env = loadEnv();
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot(pinoParams(env, role)),
        CoreModule.forRoot({ databaseUrl, role }),
        SweepModule,
        IdentityCoreModule,
        ...DOMAIN_MODULES,
        ...(role === 'worker' ? WORKER_MODULES : []),
      ],
    };
  }
}
