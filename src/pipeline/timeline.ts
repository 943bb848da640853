import { EntityManager } from 'typeorm';
import { insertEventWithDeliveries } from '../integrations/webhook-outbox';
import { Actor, EventType } from './application.entity';

/**
 * Append one event to an application's timeline, inside the caller's transaction. Webhook
 * deliveries for endpoints subscribed to the type are written by the same statement (the
 * webhook outbox), so a change and its notifications commit or roll back together.
 */
export async function recordEvent(m: EntityManager, applicationId: string, type: EventType, actor: Actor, at: Date, data: Record<string, unknown> = {}): Promise<{ id: string | null }> {
  return { id: await insertEventWithDeliveries(m, { applicationId, type, at, actorKind: actor.kind, actorId: actor.id ?? null, data }) };
}
