import { EntityManager } from 'typeorm';
import { queueWebhookDeliveries } from '../integrations/webhook-outbox';
import { Actor, ApplicationEvent, EventType } from './application.entity';

/**
 * Append one event to an application's timeline, inside the caller's transaction. Webhook
 * deliveries for endpoints subscribed to the type are written in the same transaction (the
 * webhook outbox), so a change and its notifications commit or roll back together.
 */
export async function recordEvent(m: EntityManager, applicationId: string, type: EventType, actor: Actor, at: Date, data: Record<string, unknown> = {}) {
  const result = await m.insert(ApplicationEvent, { applicationId, type, at, actorKind: actor.kind, actorId: actor.id ?? null, data: data as never });
  const eventId = (result.identifiers[0]?.id ?? (result.raw as Array<{ id?: string }>)?.[0]?.id ?? null) as string | null;
  await queueWebhookDeliveries(m, { eventId, applicationId, type, at, data });
  return result;
}
