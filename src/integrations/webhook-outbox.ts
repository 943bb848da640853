import { EntityManager } from 'typeorm';
import { isWebhookEvent, webhookData } from './domain/events';

export interface TimelineEventRow {
  applicationId: string;
  type: string;
  at: Date;
  actorKind: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

/**
 * The webhook half of the outbox, used by recordEvent (src/pipeline/timeline.ts) inside the
 * transaction of the change: the timeline event and one pending delivery per enabled endpoint
 * subscribed to its type are written by ONE statement (a data-modifying CTE), so a change and its
 * notifications commit or roll back together and cost one round trip. No cache of endpoints: the
 * table is tiny, and a cached list could miss an endpoint another API replica registered a moment
 * ago. The worker's poller hands due rows to the webhooks queue. Returns the event id.
 */
export async function insertEventWithDeliveries(m: EntityManager, e: TimelineEventRow): Promise<string | null> {
  const params: unknown[] = [e.applicationId, e.type, e.at, e.actorKind, e.actorId, JSON.stringify(e.data)];
  const insertEvent = `INSERT INTO application_events (application_id, type, at, actor_kind, actor_id, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING id`;
  if (!isWebhookEvent(e.type)) {
    const rows: Array<{ id: string }> = await m.query(insertEvent, params);
    return rows[0]?.id ?? null;
  }
  params.push(e.at.toISOString(), JSON.stringify(webhookData(e.type, e.data)));
  const rows: Array<{ id: string }> = await m.query(
    `WITH ev AS (${insertEvent}),
     deliveries AS (
       INSERT INTO webhook_deliveries (endpoint_id, event_id, application_id, event_type, payload, status, next_attempt_at, created_at)
       SELECT w.id, ev.id, a.id, $2::text,
              jsonb_build_object('id', ev.id::text, 'type', $2::text, 'occurredAt', $7::text,
                                 'data', jsonb_build_object('applicationId', a.id, 'openingId', a.opening_id, 'candidateId', a.candidate_id) || $8::jsonb),
              'pending', $3, $3
         FROM ev
         CROSS JOIN webhook_endpoints w
         JOIN applications a ON a.id = $1
        WHERE w.enabled AND $2::text = ANY (w.events)
     )
     SELECT id FROM ev`,
    params,
  );
  return rows[0]?.id ?? null;
}

/** queueWebhookDeliveries for many events in one statement (the bulk recordEvents of the sweeps). */
export async function queueWebhookDeliveriesMany(
  m: EntityManager,
  events: ReadonlyArray<{ eventId: string; applicationId: string; type: string; at: Date; data: Record<string, unknown> }>,
): Promise<void> {
  const hooks = events.filter((e) => isWebhookEvent(e.type));
  if (!hooks.length) return;
  await m.query(
    `INSERT INTO webhook_deliveries (endpoint_id, event_id, application_id, event_type, payload, status, next_attempt_at, created_at)
     SELECT w.id, e.event_id, a.id, e.type,
            jsonb_build_object('id', e.event_id::text, 'type', e.type, 'occurredAt', e.occurred,
                               'data', jsonb_build_object('applicationId', a.id, 'openingId', a.opening_id, 'candidateId', a.candidate_id) || e.data),
            'pending', e.occurred::timestamptz, e.occurred::timestamptz
       FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[]) AS e(event_id, application_id, type, occurred, data)
       JOIN applications a ON a.id = e.application_id
       JOIN webhook_endpoints w ON w.enabled AND e.type = ANY (w.events)`,
    [hooks.map((e) => e.eventId), hooks.map((e) => e.applicationId), hooks.map((e) => e.type), hooks.map((e) => e.at.toISOString()),
      hooks.map((e) => JSON.stringify(webhookData(e.type as Parameters<typeof webhookData>[0], e.data)))],
  );
}
