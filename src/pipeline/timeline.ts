import { EntityManager } from 'typeorm';
import { insertEventWithDeliveries, queueWebhookDeliveriesMany } from '../integrations/webhook-outbox';
import { Actor, EventType } from './application.entity';

/**
 * Append one event to an application's timeline, inside the caller's transaction. Webhook
 * deliveries for endpoints subscribed to the type are written by the same statement (the
 * webhook outbox), so a change and its notifications commit or roll back together.
 */
export async function recordEvent(
  m: EntityManager,
  applicationId: string,
  type: EventType,
  actor: Actor,
  at: Date,
  data: Record<string, unknown> = {},
): Promise<{ id: string | null }> {
  return { id: await insertEventWithDeliveries(m, { applicationId, type, at, actorKind: actor.kind, actorId: actor.id ?? null, data }) };
}

export interface NewEvent {
  applicationId: string;
  type: EventType;
  actor: Actor;
  at: Date;
  data?: Record<string, unknown>;
}

/**
 * recordEvent for many events at once (sweeps): the same rows, and the same webhook deliveries,
 * in three statements instead of two per event. Ids are drawn from the table's sequence first,
 * so the timeline keeps the order of `events` and each webhook payload names its event's id.
 * Returns the event ids in the order of `events`.
 */
export async function recordEvents(m: EntityManager, events: readonly NewEvent[]): Promise<string[]> {
  if (!events.length) return [];
  const drawn: Array<{ id: string }> = await m.query(
    `SELECT nextval(pg_get_serial_sequence('application_events', 'id'))::text AS id FROM generate_series(1, $1)`,
    [events.length],
  );
  const ids = drawn
    .map((r) => BigInt(r.id))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(String);
  await m.query(
    `INSERT INTO application_events (id, application_id, type, at, actor_kind, actor_id, data)
     SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::uuid[], $7::jsonb[])`,
    [
      ids,
      events.map((e) => e.applicationId),
      events.map((e) => e.type),
      events.map((e) => e.at),
      events.map((e) => e.actor.kind),
      events.map((e) => e.actor.id ?? null),
      events.map((e) => JSON.stringify(e.data ?? {})),
    ],
  );
  await queueWebhookDeliveriesMany(
    m,
    events.map((e, i) => ({ eventId: ids[i], applicationId: e.applicationId, type: e.type, at: e.at, data: e.data ?? {} })),
  );
  return ids;
}
