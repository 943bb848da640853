import { NestInterceptor, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';

/** One route handler as Nest will register it: its HTTP method and full path(s) (`/dashboard/applications/:id`). */
export interface RouteHandler {
  method: RequestMethod;
  paths: string[];
  controller: object;
  handler: (...args: unknown[]) => unknown;
}

/** A route's full path from its controller's and its own path parts (as Nest joins them). */
export const joinRoutePath = (...parts: string[]) =>
  '/' +
  parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [''] : [String(v)]);

/** Every controller handler of the application (each controller class once). */
export function routeHandlers(modules: ModulesContainer): RouteHandler[] {
  const scanner = new MetadataScanner();
  const seen = new Set<object>();
  const out: RouteHandler[] = [];
  for (const moduleRef of modules.values())
    for (const wrapper of moduleRef.controllers.values()) {
      const controller = wrapper.metatype as (new (...a: unknown[]) => unknown) | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      const base = asArray(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as RouteHandler['handler'];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const own = asArray(Reflect.getMetadata(PATH_METADATA, handler));
        out.push({ method, paths: base.flatMap((b) => own.map((p) => joinRoutePath(b, p))), controller, handler });
      }
    }
  return out;
}

/**
 * Attaches `interceptor` (an instance, made by its own module's injector) to the handlers `applies`
 * selects, as if each carried `@UseInterceptors` (outermost of its route-level interceptors).
 * Instead of APP_INTERCEPTOR: a route with no interceptor at all skips Nest's interceptor pipeline
 * (an rxjs chain and an AsyncResource per level), which a global interceptor puts on every request
 * (issue 25, docs/performance.md). The interceptor's own checks stay; this only narrows where Nest
 * runs it.
 *
 * Must run before the routes are registered (app.init()): from a provider factory, which Nest
 * calls when it creates the app's instances. Replaces an earlier instance of the same class (an
 * earlier app in the same process, e.g. a test's second app), so each handler carries one.
 * Returns the handlers it attached to.
 */
export function interceptRoutes(
  modules: ModulesContainer,
  interceptor: NestInterceptor,
  applies: (route: RouteHandler) => boolean,
): RouteHandler[] {
  const kind = interceptor.constructor;
  const chosen = routeHandlers(modules).filter(applies);
  for (const { handler } of chosen) {
    const current = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
    const others = current.filter((i) => !(i instanceof kind) && i !== kind);
    Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...others], handler);
  }
  return chosen;
}
