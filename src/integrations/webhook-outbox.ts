import { EntityManager } from 'typeorm';
import { isWebhookEvent, webhookData } from './domain/events';

/**
 * The webhook half of the outbox, called by recordEvent (src/pipeline/timeline.ts) inside the
 * transaction of the change: one pending delivery per enabled endpoint subscribed to the type.
 * No cache: the endpoint table is tiny, and a cached list could miss an endpoint another API
 * replica registered a moment ago. The worker's poller hands due rows to the webhooks queue.
 */
export async function queueWebhookDeliveries(
  m: EntityManager,
  e: { eventId: string | number | null; applicationId: string; type: string; at: Date; data: Record<string, unknown> },
): Promise<void> {
  if (!isWebhookEvent(e.type)) return;
  await m.query(
    `INSERT INTO webhook_deliveries (endpoint_id, event_id, application_id, event_type, payload, status, next_attempt_at, created_at)
     SELECT w.id, $1::bigint, a.id, $3::text,
            jsonb_build_object('id', $1::text, 'type', $3::text, 'occurredAt', $4::text,
                               'data', jsonb_build_object('applicationId', a.id, 'openingId', a.opening_id, 'candidateId', a.candidate_id) || $5::jsonb),
            'pending', $6, $6
       FROM webhook_endpoints w
       JOIN applications a ON a.id = $2
      WHERE w.enabled AND $3::text = ANY (w.events)`,
    [e.eventId === null ? null : String(e.eventId), e.applicationId, e.type, e.at.toISOString(), JSON.stringify(webhookData(e.type, e.data)), e.at],
  );
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
