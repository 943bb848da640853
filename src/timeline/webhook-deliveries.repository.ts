import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rowsOf } from '../common/database/rows';
import { DeliveryStatus } from './timeline.entity';

/** A delivery as the delivery worker claims it. */
export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
  attempts: number;
  created_at: Date;
}

/** A delivery with its attempt log, as the webhooks API lists it (snake_case columns + `log`). */
export interface DeliveryListRow {
  id: string;
  endpoint_id: string;
  event_id: string | null;
  application_id: string | null;
  event_type: string;
  payload: ClaimedDelivery['payload'];
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  failed_at: Date | null;
  redelivery_of: string | null;
  created_at: Date;
  /** webhook_attempts rows through json_agg: the time is an ISO string. */
  log: Array<{
    attempt: number;
    at: string;
    status_code: number | null;
    error: string | null;
    duration_ms: number;
    response_excerpt: string | null;
  }>;
}

export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
  durationMs: number;
}

const WITH_LOG = `SELECT d.*, (SELECT coalesce(json_agg(a ORDER BY a.attempt), '[]') FROM webhook_attempts a WHERE a.delivery_id = d.id) AS log
         FROM webhook_deliveries d`;

/**
 * Every statement on the webhook outbox after its rows are written with their event
 * (timeline.repository.ts): finding due rows, the claim with its lease, the attempt log and the
 * outcome, the listings, and a redelivery. The integrations module's delivery worker and API call
 * these; nothing else writes `webhook_deliveries` or `webhook_attempts`.
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Ids of deliveries due now (pending and due, or delivering with an expired lease), oldest first. */
  async due(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM webhook_deliveries
        WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'delivering' AND locked_until < $1)
        ORDER BY next_attempt_at LIMIT ${Number(limit)}`,
      [now],
    );
    return rows.map((r) => r.id);
  }

  /** pending → delivering with attempts+1 and a lease of `leaseMs`, only if still due; null when someone else has it. */
  async claim(id: string, now: Date, leaseMs: number): Promise<ClaimedDelivery | null> {
    const claimed = rowsOf<ClaimedDelivery>(
      await this.ds.query(
        `UPDATE webhook_deliveries
            SET status = 'delivering', attempts = attempts + 1, locked_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000),
                last_attempt_at = $2, updated_at = $2
          WHERE id = $1 AND ((status = 'pending' AND next_attempt_at <= $2) OR (status = 'delivering' AND locked_until < $2))
          RETURNING id, endpoint_id, event_type, payload, attempts, created_at`,
        [id, now, leaseMs],
      ),
    );
    return claimed[0] ?? null;
  }

  /** The attempt's log line and the row's new state (pending again at `retryAt`, succeeded or failed), together. */
  async finish(
    d: ClaimedDelivery,
    now: Date,
    r: AttemptResult,
    outcome: 'succeeded' | 'retry' | 'failed',
    retryAt: Date | null,
  ): Promise<void> {
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
        [d.id, outcome === 'retry' ? 'pending' : outcome, r.statusCode, r.error, now, retryAt],
      );
    });
  }

  /** An endpoint's deliveries, newest first, each with its attempt log. */
  list(endpointId: string, q: { status?: string; limit: number; offset: number }): Promise<DeliveryListRow[]> {
    return this.ds.query(
      `${WITH_LOG}
        WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2)
        ORDER BY d.created_at DESC, d.id LIMIT $3 OFFSET $4`,
      [endpointId, q.status ?? null, q.limit, q.offset],
    );
  }

  async one(endpointId: string, deliveryId: string): Promise<DeliveryListRow | null> {
    const rows: DeliveryListRow[] = await this.ds.query(`${WITH_LOG} WHERE d.id = $1 AND d.endpoint_id = $2`, [deliveryId, endpointId]);
    return rows[0] ?? null;
  }

  /** A new delivery of the same payload (same event id) to the same endpoint, due now. Returns its id, null when there is no such delivery. */
  async redeliver(endpointId: string, deliveryId: string, now: Date, userId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, application_id, event_type, payload, status, next_attempt_at, created_at, redelivery_of, created_by)
       SELECT endpoint_id, event_id, application_id, event_type, payload, 'pending', $3, $3, id, $4
         FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2
       RETURNING id`,
      [deliveryId, endpointId, now, userId],
    );
    return rows[0]?.id ?? null;
  }
}
