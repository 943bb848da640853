import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Router } from 'express';

/* eslint-disable @typescript-eslint/no-explicit-any -- Express's router layers are untyped internals */

type Layer = { route?: { path?: unknown }; handle: (...a: any[]) => unknown };
type Handler = (req: any, res: any, next: (err?: unknown) => void) => void;

interface Node {
  children: Map<string, Node>;
  /** Route layers whose path starts with this node's literal segments and has no literal segment further down. */
  own: Array<{ at: number; layer: Layer }>;
  router?: Handler;
}

/** A segment with nothing but literal characters (no `:param`, `*`, `{optional}`, regular expression). */
const LITERAL = /^[A-Za-z0-9._~-]+$/;
const ASCII = /^[\x21-\x7e]*$/;

/** The leading literal segments of a route path: `/api/v1/applications/:id` -> api, v1, applications. */
export function literalPrefix(path: unknown, caseSensitive: boolean): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) return [];
  const out: string[] = [];
  const segments = path.split('/').slice(1);
  for (const s of segments) {
    if (!LITERAL.test(s)) break;
    out.push(caseSensitive ? s : s.toLowerCase());
  }
  return out;
}

/**
 * Express matches a request against every route, one regular expression at a time in registration
 * order (274 routes here, the hottest API read among the last). This replaces each run of
 * consecutive route layers in the app's router with one layer that walks a tree of the routes'
 * leading literal segments (`api` / `v1` / `applications`) and hands the request to a router
 * holding only the routes that can match it: the routes at that node and its ancestors, in their
 * original order. A route's literal prefix must equal the request path's leading segments for it to
 * match at all, so the routes left out could never match, and the order among the rest is kept:
 * the same route answers, with the same `req.route`, `req.params` and `req.baseUrl` (issue 25,
 * docs/performance.md).
 *
 * OPTIONS requests skip the routes (no handler here answers OPTIONS; they went through every route
 * without a match before, to Nest's not-found handler), so Express's own OPTIONS reply is not
 * triggered early by a sub-router. Call once, after the routes are registered (app.init()).
 * Returns how many route layers it indexed.
 */
export function indexRoutes(app: { router: { stack: Layer[] }; get(name: string): unknown }): number {
  const stack = app.router.stack;
  if (stack.some((l) => (l.handle as { routeIndex?: boolean }).routeIndex)) return 0;
  const caseSensitive = app.get('case sensitive routing') === true;
  const strict = app.get('strict routing') === true;
  const out: Layer[] = [];
  let indexed = 0;
  for (let i = 0; i < stack.length; ) {
    if (!stack[i].route) {
      out.push(stack[i++]);
      continue;
    }
    let j = i;
    while (j < stack.length && stack[j].route) j++;
    const run = stack.slice(i, j);
    if (run.length < 8) out.push(...run);
    else {
      out.push(dispatcher(run, caseSensitive, strict));
      indexed += run.length;
    }
    i = j;
  }
  stack.splice(0, stack.length, ...out);
  return indexed;
}

function dispatcher(run: Layer[], caseSensitive: boolean, strict: boolean): Layer {
  const root: Node = { children: new Map(), own: [] };
  run.forEach((layer, at) => {
    let node = root;
    for (const s of literalPrefix(layer.route?.path, caseSensitive)) {
      let child = node.children.get(s);
      if (!child) node.children.set(s, (child = { children: new Map(), own: [] }));
      node = child;
    }
    node.own.push({ at, layer });
  });
  const build = (node: Node, inherited: Array<{ at: number; layer: Layer }>) => {
    const mine = [...inherited, ...node.own].sort((a, b) => a.at - b.at);
    const r = Router({ caseSensitive, strict }) as unknown as { stack: Layer[] } & Handler;
    r.stack.push(...mine.map((x) => x.layer));
    node.router = r;
    for (const child of node.children.values()) build(child, mine);
  };
  build(root, []);
  const all = Router({ caseSensitive, strict }) as unknown as { stack: Layer[] } & Handler;
  all.stack.push(...run);

  const dispatch: Handler & { routeIndex?: boolean } = (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    const url: string = req.url;
    // Not origin-form (`/path`), or not ASCII: the full run, matched as before.
    if (typeof url !== 'string' || url.charCodeAt(0) !== 47 || !ASCII.test(url)) return all(req, res, next);
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    let node = root;
    let from = 1;
    while (from <= path.length) {
      let to = path.indexOf('/', from);
      if (to < 0) to = path.length;
      const s = path.slice(from, to);
      const child = node.children.get(caseSensitive ? s : s.toLowerCase());
      if (!child) break;
      node = child;
      from = to + 1;
    }
    node.router!(req, res, next);
  };
  dispatch.routeIndex = true;
  const holder = Router() as unknown as { stack: Layer[]; use(fn: Handler): void };
  holder.use(dispatch);
  return holder.stack[0];
}

/** Indexes the app's routes once Nest has registered them (see indexRoutes). */
@Injectable()
export class RouteIndex implements OnApplicationBootstrap {
  constructor(private readonly host: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const app = this.host.httpAdapter?.getInstance?.() as Parameters<typeof indexRoutes>[0] | undefined;
    if (app?.router?.stack) indexRoutes(app);
  }
}
