import { Global, Injectable, Module, OnModuleInit, SetMetadata } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

/**
 * Typed in-process events between modules, in two kinds:
 *
 * - `AppEvents`: announced AFTER the change committed (`EventBus.emit`). Listeners run in order,
 *   awaited; the first error is thrown to the emitter, which decides (grading: the sweep runs
 *   them again; the API: the request fails after the change is safe).
 * - `TxHooks`: run INSIDE the emitter's transaction (`EventBus.hooks`), with its EntityManager,
 *   so their writes commit or roll back with the change; each may return ids of outbox messages
 *   for the emitter to dispatch after commit.
 *
 * Both maps start empty here; the module that emits an event declares it next to the code that
 * emits it, by augmenting the map (`declare module '../common/events/event-bus' { interface
 * AppEvents { 'submission.graded': {...} } }`), so `emit`, `hooks` and the decorators are checked
 * against the payload. A listener is a method of any provider with `@OnEvent(name)` or
 * `@OnTxHook(name)`, found at start-up (Nest's DiscoveryService), so no module registers itself
 * with another: the emitter does not know its listeners.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AppEvents {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TxHooks {}

export type TxHookResult = Promise<Array<string | null> | void>;

const ON_EVENT = Symbol('on-event');
const ON_TX_HOOK = Symbol('on-tx-hook');

/** The method runs after `name` committed. */
export function OnEvent<K extends keyof AppEvents>(name: K) {
  return <T extends (payload: AppEvents[K]) => unknown>(target: object, key: string | symbol, d: TypedPropertyDescriptor<T>): void => {
    SetMetadata(ON_EVENT, name)(target, key, d);
  };
}

/** The method runs inside the transaction of `name`, with its EntityManager. */
export function OnTxHook<K extends keyof TxHooks>(name: K) {
  return <T extends (m: EntityManager, payload: TxHooks[K]) => TxHookResult>(
    target: object,
    key: string | symbol,
    d: TypedPropertyDescriptor<T>,
  ): void => {
    SetMetadata(ON_TX_HOOK, name)(target, key, d);
  };
}

type Listener = (...args: unknown[]) => Promise<unknown> | unknown;

@Injectable()
export class EventBus implements OnModuleInit {
  private readonly listeners = new Map<string, Listener[]>();
  private readonly txHooks = new Map<string, Listener[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic() || seen.has(instance)) continue;
      seen.add(instance);
      const proto = Object.getPrototypeOf(instance);
      for (const key of this.scanner.getAllMethodNames(proto)) {
        const fn = instance[key] as Listener;
        const event = Reflect.getMetadata(ON_EVENT, fn) as string | undefined;
        const hook = Reflect.getMetadata(ON_TX_HOOK, fn) as string | undefined;
        if (event) this.add(this.listeners, event, fn.bind(instance));
        if (hook) this.add(this.txHooks, hook, fn.bind(instance));
      }
    }
  }

  private add(map: Map<string, Listener[]>, name: string, fn: Listener): void {
    map.set(name, [...(map.get(name) ?? []), fn]);
  }

  /** A listener added by hand (tests observing what a module announces); providers use @OnEvent. */
  on<K extends keyof AppEvents>(name: K, fn: (payload: AppEvents[K]) => unknown): void {
    this.add(this.listeners, name as string, fn as Listener);
  }

  /** Announce a committed change; every listener in turn. */
  async emit<K extends keyof AppEvents>(name: K, payload: AppEvents[K]): Promise<void> {
    for (const fn of this.listeners.get(name as string) ?? []) await fn(payload);
  }

  /** Run the hooks of `name` inside the caller's transaction; returns the outbox message ids they queued. */
  async hooks<K extends keyof TxHooks>(name: K, m: EntityManager, payload: TxHooks[K]): Promise<Array<string | null>> {
    const ids: Array<string | null> = [];
    for (const fn of this.txHooks.get(name as string) ?? []) ids.push(...(((await fn(m, payload)) as Array<string | null> | void) ?? []));
    return ids;
  }

  /** For tests and start-up checks: how many listeners `name` has. */
  count(name: keyof AppEvents | keyof TxHooks): number {
    return (this.listeners.get(name as string)?.length ?? 0) + (this.txHooks.get(name as string)?.length ?? 0);
  }
}

@Global()
@Module({ imports: [DiscoveryModule], providers: [EventBus], exports: [EventBus] })
export class EventsModule {}
