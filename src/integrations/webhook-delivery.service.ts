import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { rowsOf } from '../common/database/rows';
import { QueueService } from '../common/queues/queue.service';
import { JobName, QueueName } from '../common/queues/queues';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { serializePayload } from './domain/events';
import { nextAttempt } from './domain/retry';
import { signatureHeader } from './domain/signature';
import { postGuarded } from './http-post';
import { INTEGRATIONS_CONFIG, IntegrationsConfig } from './integrations.config';
import { openSecret } from './secret-box';
import { SettingsService } from './settings.service';

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
  attempts: number;
  created_at: Date;
}

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
    const rows: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM webhook_deliveries
        WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'delivering' AND locked_until < $1)
        ORDER BY next_attempt_at LIMIT ${Number(limit)}`,
      [now],
    );
    const added = await Promise.all(rows.map((r) => this.enqueue(r.id)));
    return { enqueued: added.filter(Boolean).length };
  }

  enqueue(deliveryId: string, requestId?: string): Promise<boolean> {
    return this.queues.enqueue(QueueName.Webhooks, JobName.DeliverWebhook, { deliveryId, requestId }, deliveryId, JOB_OPTS);
  }

  /** One attempt. Returns what happened; 'skipped' when the row is not due or someone else holds it. */
  async attempt(deliveryId: string, requestId?: string): Promise<'succeeded' | 'retry' | 'failed' | 'skipped'> {
    const now = this.clock.now();
    const lease = this.cfg.WEBHOOKS_TIMEOUT_MS + 30_000;
    const claimed = rowsOf<DeliveryRow>(
      await this.ds.query(
        `UPDATE webhook_deliveries
            SET status = 'delivering', attempts = attempts + 1, locked_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000),
                last_attempt_at = $2, updated_at = $2
          WHERE id = $1 AND ((status = 'pending' AND next_attempt_at <= $2) OR (status = 'delivering' AND locked_until < $2))
          RETURNING id, endpoint_id, event_type, payload, attempts, created_at`,
        [deliveryId, now, lease],
      ),
    );
    if (!claimed.length) return 'skipped';
    const d = claimed[0];
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
    this.logger.log(
      { deliveryId, endpointId: d.endpoint_id, attempt: d.attempts, statusCode, error, outcome, requestId },
      'webhook attempt',
    );
    return outcome;
  }

  private async finish(
    d: DeliveryRow,
    now: Date,
    r: { statusCode: number | null; error: string | null; excerpt: string | null; durationMs: number },
    terminal: boolean,
  ): Promise<'succeeded' | 'retry' | 'failed'> {
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
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms, response_excerpt) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [d.id, d.attempts, now, r.statusCode, r.error, Math.max(0, Math.round(r.durationMs)), r.excerpt],
      );
      await m.query(
        `UPDATE webhook_deliveries
            SET status = $2, locked_until = NULL, last_status_code = $3, last_error = $4, updated_at = $5,
                delivered_at = CASE WHEN $2 = 'succeeded' THEN $5::timestamptz ELSE delivered_at END,
                failed_at = CASE WHEN $2 = 'failed' THEN $5::timestamptz ELSE failed_at END,
                next_attempt_at = coalesce($6::timestamptz, next_attempt_at)
          WHERE id = $1`,
        [d.id, outcome === 'retry' ? 'pending' : outcome, r.statusCode, r.error, now, step?.kind === 'retry' ? step.at : null],
      );
    });
    return outcome;
  }
}
