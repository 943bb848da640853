import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * Who acts in the current unit of work. The same shape as the timeline's Actor (common/ imports no
 * domain module, so it is declared here; the timeline's Actor is assignable to it and back).
 */
export interface ContextActor {
  kind: 'user' | 'system' | 'candidate';
  id?: string | null;
}

interface Store {
  requestId: string;
  actor?: ContextActor;
}

const storage = new AsyncLocalStorage<Store>();

/**
 * The request context: the request id and the actor of the current unit of work (an HTTP
 * request, a queued job, a sweep), carried by AsyncLocalStorage instead of parameters.
 *
 * - HTTP: configure-app.ts opens it for every request with the id from requestIdFor (the
 *   x-request-id header or a new uuid); the AuthGuard records the signed-in staff member.
 * - Jobs: each processor runs inside `RequestContext.run` with the request id the enqueuing
 *   request stored in the job's data (QueueService adds it), else the job's own id.
 * - Sweeps and CLI commands: `runAll` opens a context with a generated id and actor = system.
 *
 * Every log line reads the id from here (pino's mixin, see logging.ts); the outbox and the webhook
 * deliveries copy it into their jobs; the audit log stores it in audit_log.request_id.
 */
export const RequestContext = {
  run<T>(ctx: { requestId?: string | null; actor?: ContextActor }, fn: () => T): T {
    return storage.run({ requestId: ctx.requestId || randomUUID(), actor: ctx.actor }, fn);
  },

  /** Runs `fn` in the current context, or in a new one (generated id, `actor`) when there is none. */
  ensure<T>(actor: ContextActor, fn: () => T): T {
    return storage.getStore() ? fn() : RequestContext.run({ actor }, fn);
  },

  /** The request id of the current unit of work; undefined outside any (module start-up, tests). */
  get requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },

  get actor(): ContextActor | undefined {
    return storage.getStore()?.actor;
  },

  /** Records who acts, once known (the AuthGuard, after authentication). No-op outside a context. */
  setActor(actor: ContextActor): void {
    const store = storage.getStore();
    if (store) store.actor = actor;
  },
};

export const SYSTEM_ACTOR: ContextActor = { kind: 'system' };
