import { EntityManager } from 'typeorm';
import { SqlParams, withCtes } from '../common/database/sql-params';
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
  const p = new SqlParams();
  const rows: Array<{ id: string }> = await m.query(withCtes(eventCtes(p, e, 'ev'), 'SELECT id FROM ev'), p.values);
  return rows[0]?.id ?? null;
}

/**
 * The CTEs of insertEventWithDeliveries, to be part of a larger statement: `name` inserts the
 * event (RETURNING id) and `<name>_deliveries` its webhook deliveries. With `gate` (the name of an
 * earlier CTE) the event is written only if that CTE returned a row: e.g. only if the guarded
 * UPDATE it records matched.
 */
export function eventCtes(p: SqlParams, e: TimelineEventRow, name: string, gate?: string): string[] {
  const app = p.add(e.applicationId, '::uuid');
  const type = p.add(e.type, '::text');
  const at = p.add(e.at, '::timestamptz');
  const ctes = [
    `${name} AS (
       INSERT INTO application_events (application_id, type, at, actor_kind, actor_id, data)
       SELECT ${app}, ${type}, ${at}, ${p.add(e.actorKind, '::text')}, ${p.add(e.actorId, '::uuid')}, ${p.add(JSON.stringify(e.data), '::jsonb')}${gate ? ` FROM ${gate}` : ''}
       RETURNING id
     )`,
  ];
  if (isWebhookEvent(e.type)) {
    ctes.push(`${name}_deliveries AS (
       INSERT INTO webhook_deliveries (endpoint_id, event_id, application_id, event_type, payload, status, next_attempt_at, created_at)
       SELECT w.id, ${name}.id, a.id, ${type},
              jsonb_build_object('id', ${name}.id::text, 'type', ${type}, 'occurredAt', ${p.add(e.at.toISOString(), '::text')},
                                 'data', jsonb_build_object('applicationId', a.id, 'openingId', a.opening_id, 'candidateId', a.candidate_id) || ${p.add(JSON.stringify(webhookData(e.type, e.data)), '::jsonb')}),
              'pending', ${at}, ${at}
         FROM ${name}
         CROSS JOIN webhook_endpoints w
         JOIN applications a ON a.id = ${app}
        WHERE w.enabled AND ${type} = ANY (w.events)
     )`);
  }
  return ctes;
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
    [
      hooks.map((e) => e.eventId),
      hooks.map((e) => e.applicationId),
      hooks.map((e) => e.type),
      hooks.map((e) => e.at.toISOString()),
      hooks.map((e) => JSON.stringify(webhookData(e.type as Parameters<typeof webhookData>[0], e.data))),
    ],
  );
}
