import { EntityManager } from 'typeorm';
import { SqlParams, withCtes } from '../common/database/sql-params';
import { isWebhookEvent, webhookData } from './domain/webhook-events';
import { Actor, EventType } from './timeline.entity';

/**
 * Every write to an application's timeline (`application_events`) and the webhook deliveries
 * that announce it. An event is always written inside the caller's transaction, or as a CTE of
 * the caller's statement, so a change and its event (and its webhook deliveries: the outbox)
 * commit or roll back together. The statements below are the only INSERTs into either table for
 * new events (re-deliveries are in webhook-deliveries.repository.ts).
 */

/** One event as the table stores it. `data` may be a SQL expression (`sql()`) over the gate's row. */
export interface TimelineEventRow {
  /**
   * null only behind a gate that then writes no row (a message that belongs to no application).
   * A SQL expression (`sql('sent.application_id')`) behind a gate of several rows, each about its
   * own application (not for webhook events, whose deliveries need the values).
   */
  applicationId: string | null | SqlExpression;
  type: string;
  at: Date;
  actorKind: string;
  actorId: string | null;
  data: Record<string, unknown> | SqlExpression;
}

/** A piece of SQL standing for a value (e.g. `jsonb_build_object('messageId', msg.id)`). */
export class SqlExpression {
  constructor(readonly sql: string) {}
}
export const sql = (text: string): SqlExpression => new SqlExpression(text);

export interface NewEvent {
  applicationId: string;
  type: EventType | string;
  actor: Actor;
  at: Date;
  data?: Record<string, unknown>;
}

const NEXT_EVENT_ID = `nextval(pg_get_serial_sequence('application_events', 'id'))`;

/** THE insert into application_events: `rows` is a SELECT of (id, application_id, type, at, actor_kind, actor_id, data). */
function insertEvents(rows: string): string {
  return `INSERT INTO application_events (id, application_id, type, at, actor_kind, actor_id, data) ${rows} RETURNING id`;
}

/**
 * THE insert of webhook deliveries for new events: one pending row per enabled endpoint subscribed
 * to the event's type. `events` is a FROM item `e(event_id, application_id, type, occurred, data)`
 * (occurred: the ISO instant as text; data: the fields a receiver may see, webhookData()).
 */
function insertDeliveries(events: string, applications = 'applications'): string {
  return `INSERT INTO webhook_deliveries (endpoint_id, event_id, application_id, event_type, payload, status, next_attempt_at, created_at)
     SELECT w.id, e.event_id, a.id, e.type,
            jsonb_build_object('id', e.event_id::text, 'type', e.type, 'occurredAt', e.occurred,
                               'data', jsonb_build_object('applicationId', a.id, 'openingId', a.opening_id, 'candidateId', a.candidate_id) || e.data),
            'pending', e.occurred::timestamptz, e.occurred::timestamptz
       FROM ${events}
       JOIN ${applications} a ON a.id = e.application_id
       JOIN webhook_endpoints w ON w.enabled AND e.type = ANY (w.events)`;
}

/**
 * The CTEs that write one event, to be part of a larger statement: `name` inserts the event
 * (RETURNING id) and `<name>_deliveries` its webhook deliveries. With `gate` (a FROM item: an
 * earlier CTE's name, optionally followed by a WHERE) the event is written once per row of the
 * gate, e.g. only if the guarded UPDATE it records matched; `data` may then read the gate's row.
 * `applications`: where the deliveries read the application's ids (default the table); the name of
 * an earlier CTE that inserted the application (RETURNING id, opening_id, candidate_id), since a
 * statement does not see the rows its own CTEs insert.
 */
export function eventCtes(p: SqlParams, e: TimelineEventRow, name: string, gate?: string, applications?: string): string[] {
  const app = e.applicationId instanceof SqlExpression ? e.applicationId.sql : p.add(e.applicationId, '::uuid');
  const type = p.add(e.type, '::text');
  const data = e.data instanceof SqlExpression ? e.data.sql : p.add(JSON.stringify(e.data), '::jsonb');
  const ctes = [
    `${name} AS (
       ${insertEvents(
         `SELECT ${NEXT_EVENT_ID}, ${app}, ${type}, ${p.add(e.at, '::timestamptz')}, ${p.add(e.actorKind, '::text')}, ${p.add(e.actorId, '::uuid')}, ${data}${gate ? ` FROM ${gate}` : ''}`,
       )}
     )`,
  ];
  if (isWebhookEvent(e.type)) {
    if (e.data instanceof SqlExpression || e.applicationId instanceof SqlExpression)
      throw new Error(`a webhook event (${e.type}) needs its application and data as values, not SQL`);
    const occurred = p.add(e.at.toISOString(), '::text');
    const hookData = p.add(JSON.stringify(webhookData(e.type, e.data)), '::jsonb');
    ctes.push(`${name}_deliveries AS (
       ${insertDeliveries(
         `(SELECT ${name}.id AS event_id, ${app} AS application_id, ${type} AS type, ${occurred} AS occurred, ${hookData} AS data FROM ${name}) AS e`,
         applications,
       )}
     )`);
  }
  return ctes;
}

/** One event (with its webhook deliveries) in the caller's transaction. Returns its id. */
export async function recordEvent(
  m: EntityManager,
  applicationId: string,
  type: EventType | string,
  actor: Actor,
  at: Date,
  data: Record<string, unknown> = {},
): Promise<{ id: string | null }> {
  const p = new SqlParams();
  const ctes = eventCtes(p, { applicationId, type, at, actorKind: actor.kind, actorId: actor.id ?? null, data }, 'ev');
  const rows: Array<{ id: string }> = await m.query(withCtes(ctes, 'SELECT id FROM ev'), p.values);
  return { id: rows[0]?.id ?? null };
}

/**
 * recordEvent for many events at once (sweeps): the same rows, and the same webhook deliveries,
 * in two statements instead of one per event (one when none is a webhook event). Each row's id is
 * drawn from the table's sequence (looked up once) as it is inserted, in the order of `events`
 * (numbered and sorted before the ids are drawn: the ordinality's order, which the plan keeps
 * without a sort; one session's draws only grow), so sorting the
 * returned ids gives each event its own and the timeline keeps the order of `events`; each webhook
 * payload names its event's id. Returns the event ids in the order of `events`.
 */
export async function recordEvents(m: EntityManager, events: readonly NewEvent[]): Promise<string[]> {
  if (!events.length) return [];
  const inserted: Array<{ id: string }> = await m.query(
    insertEvents(
      `SELECT nextval((SELECT pg_get_serial_sequence('application_events', 'id'))::regclass), e.a, e.t, e.at, e.k, e.ai, e.d
         FROM ROWS FROM (json_to_recordset($1::json) AS (a uuid, t text, at timestamptz, k text, ai uuid, d jsonb)) WITH ORDINALITY AS e(a, t, at, k, ai, d, n)
        ORDER BY e.n`,
    ),
    // One JSON parameter (one native JSON.stringify), not six arrays: the driver builds array
    // literals in JS, escaping every element and formatting every Date (~90 ms of a first sweep).
    [
      JSON.stringify(
        events.map((e) => ({ a: e.applicationId, t: e.type, at: e.at, k: e.actor.kind, ai: e.actor.id ?? null, d: e.data ?? {} })),
      ),
    ],
  );
  const ids = inserted
    .map((r) => BigInt(r.id))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(String);
  const hooks = events.map((e, i) => ({ ...e, id: ids[i] })).filter((e) => isWebhookEvent(e.type));
  if (hooks.length) {
    await m.query(
      insertDeliveries(
        `unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[]) AS e(event_id, application_id, type, occurred, data)`,
      ),
      [
        hooks.map((e) => e.id),
        hooks.map((e) => e.applicationId),
        hooks.map((e) => e.type),
        hooks.map((e) => e.at.toISOString()),
        hooks.map((e) => JSON.stringify(webhookData(e.type as Parameters<typeof webhookData>[0], e.data ?? {}))),
      ],
    );
  }
  return ids;
}
