import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOf } from '../common/database/rows';
import { AlertKind } from './alert.entity';

/** One alert to raise. `dedupeKey` makes raising idempotent (a second raise of the same key is nothing). */
export interface NewAlert {
  kind: AlertKind;
  dedupeKey: string;
  recipientId: string;
  applicationId?: string | null;
  openingId?: string | null;
  stage?: string | null;
  message: string;
  data?: Record<string, unknown>;
  /** Inserted already escalated (a stale visit first seen at twice its threshold). */
  escalated?: boolean;
}

/**
 * Every write to `alerts`, always inside the caller's transaction (`m`), so an alert commits with
 * the events that announce it. The alerts module's sweeps, the SLA sweep (communications), an
 * opening's hand-over (openings) and a closing application (the `application.closed` hook) all
 * come here; a newcomer asking "who changes alerts?" opens this file.
 */
@Injectable()
export class AlertsRepository {
  /** THE insert: new alerts, skipping keys that exist. Returns the rows inserted. */
  async insertMany(
    m: EntityManager,
    alerts: readonly NewAlert[],
    now: Date,
  ): Promise<Array<{ id: string; dedupe_key: string; level: string }>> {
    if (!alerts.length) return [];
    return m.query(
      `INSERT INTO alerts (kind, dedupe_key, recipient_id, application_id, opening_id, stage, message, data, level, created_at, escalated_at)
       SELECT x.*, $10::timestamptz, CASE WHEN x.level = 'escalated' THEN $10::timestamptz END
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::jsonb[], $9::text[])
              AS x(kind, key, recipient, app, opening, stage, message, data, level)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key, level`,
      [
        alerts.map((a) => a.kind),
        alerts.map((a) => a.dedupeKey),
        alerts.map((a) => a.recipientId),
        alerts.map((a) => a.applicationId ?? null),
        alerts.map((a) => a.openingId ?? null),
        alerts.map((a) => a.stage ?? null),
        alerts.map((a) => a.message),
        alerts.map((a) => JSON.stringify(a.data ?? {})),
        alerts.map((a) => (a.escalated ? 'escalated' : 'raised')),
        now,
      ],
    );
  }

  /** Raised alerts of these keys become escalated with a new message (an acknowledged one comes back). */
  async escalate(
    m: EntityManager,
    list: ReadonlyArray<{ key: string; message: string }>,
    now: Date,
  ): Promise<Array<{ id: string; dedupe_key: string }>> {
    if (!list.length) return [];
    return rowsOf<{ id: string; dedupe_key: string }>(
      await m.query(
        `UPDATE alerts al SET level = 'escalated', escalated_at = $3, acknowledged_at = NULL, acknowledged_by = NULL, message = x.message
         FROM unnest($1::text[], $2::text[]) AS x(key, message)
        WHERE al.dedupe_key = x.key AND al.level = 'raised' RETURNING al.id, al.dedupe_key`,
        [list.map((c) => c.key), list.map((c) => c.message), now],
      ),
    );
  }

  /**
   * An opening changed hands: the open alerts the previous owner had for it follow the new one
   * (stale-candidate alerts go with the hiring manager, SLA breaches with the recruiter).
   */
  async handOver(m: EntityManager, openingId: string, role: 'hiring_manager' | 'recruiter', from: string, to: string): Promise<void> {
    await m.query(
      `UPDATE alerts SET recipient_id = $3
        WHERE opening_id = $1 AND recipient_id = $2 AND (kind = 'sla_breached') = $4 AND acknowledged_at IS NULL`,
      [openingId, from, to, role === 'recruiter'],
    );
  }

  /** Open alerts about closed applications are moot: acknowledged (by no one) at `now`. */
  async closeForApplications(m: EntityManager, applicationIds: readonly string[], now: Date): Promise<void> {
    if (!applicationIds.length) return;
    await m.query(`UPDATE alerts SET acknowledged_at = $2 WHERE application_id = ANY($1::uuid[]) AND acknowledged_at IS NULL`, [
      applicationIds,
      now,
    ]);
  }

  /** Open alerts of these keys acknowledged by `by` (null: the system) at `now`; returns them. */
  async acknowledgeByKeys(
    m: EntityManager,
    dedupeKeys: readonly string[],
    by: string | null,
    now: Date,
  ): Promise<Array<{ id: string; application_id: string | null }>> {
    if (!dedupeKeys.length) return [];
    return rowsOf(
      await m.query(
        `UPDATE alerts SET acknowledged_at = $2, acknowledged_by = $3 WHERE dedupe_key = ANY($1) AND acknowledged_at IS NULL RETURNING id, application_id`,
        [dedupeKeys, now, by],
      ),
    );
  }
}
