import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Docker from 'dockerode';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { DOCKER } from '../common/docker';
import { redisOptions } from '../common/queues/queues';
import { withTimeout } from '../common/with-timeout';
import { InboundMailService } from '../inbox/inbound-mail.service';

export type PartState = 'up' | 'down';
export interface HealthReport {
  status: 'ok' | 'degraded';
  database: PartState;
  redis: PartState;
  docker: PartState;
  /** The team mailbox (src/inbox): 'off' without IMAP_URL; 'degraded' when it cannot be read (the API still serves: 200). */
  mailbox: 'up' | 'degraded' | 'off';
  details: Record<string, string>;
}

@Injectable()
export class HealthService implements OnModuleDestroy {
  private readonly redis: Redis;
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(DOCKER) private readonly docker: Docker,
    @Inject(ENV) env: Env,
    private readonly inbound: InboundMailService,
  ) {
    // Its own connection: no offline queue, so a ping fails at once while Redis is down.
    this.redis = new Redis(
      redisOptions(env.REDIS_URL, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: 1000,
        retryStrategy: () => 500,
      }),
    );
    this.redis.on('error', () => undefined);
    this.redis.connect().catch(() => undefined);
  }

  async check(): Promise<HealthReport> {
    const details: Record<string, string> = {};
    const probe = async (name: string, fn: () => Promise<unknown>): Promise<PartState> => {
      try {
        await withTimeout(fn(), 1500, name);
        return 'up';
      } catch (e) {
        details[name] = (e as Error).message;
        return 'down';
      }
    };
    const [database, redis, docker] = await Promise.all([
      probe('database', () => this.db.query('SELECT 1')),
      probe('redis', () => this.redis.ping()),
      probe('docker', () => this.docker.ping()),
    ]);
    let mailbox: HealthReport['mailbox'] = 'off';
    if (database === 'up') {
      const m = await withTimeout(this.inbound.status(), 1500, 'mailbox').catch((e: Error) => ({
        state: 'degraded' as const,
        error: e.message,
      }));
      mailbox = m.state;
      if (m.state === 'degraded' && m.error) details.mailbox = m.error;
    }
    const status = database === 'up' && redis === 'up' && docker === 'up' && mailbox !== 'degraded' ? 'ok' : 'degraded';
    return { status, database, redis, docker, mailbox, details };
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}
