import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { QueueService } from '../common/queues/queue.service';
import { JobName, QueueName } from '../common/queues/queues';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { serializePayload } from '../timeline/domain/webhook-events';
import { nextAttempt } from './domain/retry';
import { signatureHeader } from './domain/signature';
import { postGuarded } from './http-post';
import { INTEGRATIONS_CONFIG, IntegrationsConfig } from './integrations.config';
import { openSecret } from './secret-box';
import { SettingsService } from './settings.service';
import { AttemptResult, ClaimedDelivery, WebhookDeliveriesRepository } from '../timeline/webhook-deliveries.repository';

/** Each job is one attempt; retries are scheduled in Postgres (next_attempt_at), so jobs never linger. */
const JOB_OPTS = { attempts: 1, removeOnComplete: true, removeOnFail: true } as const;

/**
 * Delivery of webhook outbox rows. A row is claimed (pending → delivering, attempts+1, a lease),
 * POSTed once with a fresh signature, and then marked succeeded, rescheduled with exponential
 * backoff, or failed once the retry window (24 h by default) has passed. The address is checked
 * again at connect time (DNS rebinding). At least once: a receiver dedupes by X-Hiring-Delivery
 * (or by the payload id across redeliveries).
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleInit {
  private readonly logger = new Logger('Webhooks');
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly queues: QueueService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly sweeps: SweepRegistry,
    @Inject(ENV) private readonly env: Env,
    @Inject(INTEGRATIONS_CONFIG) private readonly cfg: IntegrationsConfig,
  ) {}

  onModuleInit(): void {
    // Safety net beside the worker's poller (and what `cli sweep` runs): hand due rows to the queue.
    this.sweeps.register({ name: 'webhook-dispatch', run: (now) => this.dispatchDue(now) });
  }

  /** Enqueue every delivery that is due (or whose lease expired). Job id = delivery id: a second add is a no-op. */
  async dispatchDue(now: Date, limit = 500): Promise<{ enqueued: number }> {
    const ids = await this.deliveries.due(now, limit);
    const added = await Promise.all(ids.map((id) => this.enqueue(id)));
    return { enqueued: added.filter(Boolean).length };
  }

  enqueue(deliveryId: string): Promise<boolean> {
    return this.queues.enqueue(QueueName.Webhooks, JobName.DeliverWebhook, { deliveryId }, deliveryId, JOB_OPTS);
  }

  /** One attempt. Returns what happened; 'skipped' when the row is not due or someone else holds it. */
  async attempt(deliveryId: string): Promise<'succeeded' | 'retry' | 'failed' | 'skipped'> {
    const now = this.clock.now();
    const lease = this.cfg.WEBHOOKS_TIMEOUT_MS + 30_000;
    const d = await this.deliveries.claim(deliveryId, now, lease);
    if (!d) return 'skipped';
    const [endpoint]: Array<{ url: string; secret_enc: string; enabled: boolean }> = await this.ds.query(
      `SELECT url, secret_enc, enabled FROM webhook_endpoints WHERE id = $1`,
      [d.endpoint_id],
    );
    let statusCode: number | null = null,
      error: string | null = null,
      excerpt: string | null = null,
      durationMs = 0;
    if (!endpoint || !endpoint.enabled) {
      return this.finish(d, now, { statusCode, error: 'the endpoint is disabled', excerpt, durationMs }, true);
    }
    const started = Date.now();
    try {
      const secret = openSecret(this.env.SESSION_SECRET, endpoint.secret_enc);
      const body = serializePayload(d.payload);
      const ts = Math.floor(now.getTime() / 1000);
      const res = await postGuarded(
        endpoint.url,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'HiringPlatform-Webhooks/1',
          'x-hiring-event': d.event_type,
          'x-hiring-delivery': d.id,
          'x-hiring-timestamp': String(ts),
          'x-hiring-signature': signatureHeader(secret, ts, body),
        },
        { allowPrivate: await this.settings.allowPrivateTargets(), timeoutMs: this.cfg.WEBHOOKS_TIMEOUT_MS },
      );
      statusCode = res.status;
      excerpt = res.excerpt || null;
      durationMs = res.durationMs;
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      error = ((e as Error).message || String(e)).slice(0, 500);
      durationMs = Date.now() - started;
    }
    const outcome = await this.finish(d, now, { statusCode, error, excerpt, durationMs }, false);
    this.logger.log({ deliveryId, endpointId: d.endpoint_id, attempt: d.attempts, statusCode, error, outcome }, 'webhook attempt');
    return outcome;
  }

  private async finish(d: ClaimedDelivery, now: Date, r: AttemptResult, terminal: boolean): Promise<'succeeded' | 'retry' | 'failed'> {
    const ok = !r.error;
    const step =
      ok || terminal
        ? null
        : nextAttempt(
            {
              baseMs: this.cfg.WEBHOOKS_RETRY_BASE_MS,
              maxMs: this.cfg.WEBHOOKS_RETRY_MAX_MS,
              windowMs: this.cfg.WEBHOOKS_RETRY_WINDOW_HOURS * 3_600_000,
            },
            d.attempts,
            new Date(d.created_at),
            now,
          );
    const outcome = ok ? 'succeeded' : step?.kind === 'retry' ? 'retry' : 'failed';
    await this.deliveries.finish(d, now, r, outcome, step?.kind === 'retry' ? step.at : null);
    return outcome;
  }
}
