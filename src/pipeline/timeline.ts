import { EntityManager } from 'typeorm';
import { Actor, ApplicationEvent, EventType } from './application.entity';

/** Append one event to an application's timeline, inside the caller's transaction. */
export function recordEvent(m: EntityManager, applicationId: string, type: EventType, actor: Actor, at: Date, data: Record<string, unknown> = {}) {
  return m.insert(ApplicationEvent, { applicationId, type, at, actorKind: actor.kind, actorId: actor.id ?? null, data: data as never });
}
