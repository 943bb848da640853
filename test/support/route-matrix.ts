import { randomUUID } from 'node:crypto';
import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, ModulesContainer, Reflector } from '@nestjs/core';
import { joinRoutePath } from '../../src/common/http/route-interceptors';
import { IS_PUBLIC, ROLES } from '../../src/identity/decorators';
import { ScopeRule, scopeRulesOf } from '../../src/identity/team-scope';
import { Role } from '../../src/identity/user.entity';
import { Method } from './hostile-openapi';

/**
 * Every route the running app serves, read from the Express router itself (pages, the JSON API,
 * operations), each joined to its Nest handler's metadata: @Public/@Roles (as AuthGuard reads them:
 * handler overrides class, none = admin only) and the team scope (its @TeamScoped/@Unscoped marker,
 * else the rules TeamScopeGuard infers from the path). A route added later joins automatically.
 */
export interface RouteRow {
  method: Method;
  /** Express path, e.g. /api/v1/applications/:id/events */
  path: string;
  handler: string;
  public: boolean;
  /** Roles the guard lets through (admin always); empty for public routes. */
  roles: Role[];
  scope: ScopeRule[];
  api: boolean;
}

const VERBS: Record<number, Method | undefined> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

export function routerRows(app: INestApplication): RouteRow[] {
  const reflector = new Reflector();
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const byKey = new Map<string, { cls: any; name: string }>();
  for (const w of discovery.getControllers()) {
    const cls = w.metatype as any;
    if (!cls?.prototype) continue;
    const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
    for (const name of Object.getOwnPropertyNames(cls.prototype)) {
      const fn = cls.prototype[name];
      if (name === 'constructor' || typeof fn !== 'function') continue;
      const sub = Reflect.getMetadata(PATH_METADATA, fn);
      const verb = VERBS[Reflect.getMetadata(METHOD_METADATA, fn)];
      if (sub === undefined || !verb) continue;
      for (const b of base) for (const s of ([] as string[]).concat(sub)) byKey.set(`${verb} ${joinRoutePath(b, s)}`, { cls, name });
    }
  }
  const express = app.getHttpAdapter().getInstance();
  const stack: any[] = (express.router ?? express._router).stack;
  const rows: RouteRow[] = [];
  const seen = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    const path: string = layer.route.path;
    for (const verb of Object.keys(layer.route.methods) as Method[]) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(verb)) continue;
      const key = `${verb} ${path === '/' ? '/' : path.replace(/\/+$/, '')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const target = byKey.get(key);
      // The OpenAPI viewer (SwaggerModule) mounts plain Express routes: public documentation only.
      if (!target && path.startsWith('/api/docs')) continue;
      // Middleware bound with forRoutes('*') shows up as a wildcard route layer: not an endpoint.
      if (!target && path.includes('*')) continue;
      if (!target) throw new Error(`Express route ${key} has no Nest handler with metadata`);
      const handler = target.cls.prototype[target.name];
      const targets = [handler, target.cls];
      const isPublic = !!reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
      const declared = reflector.getAllAndOverride<Role[]>(ROLES, targets) ?? [Role.Admin];
      rows.push({
        method: verb,
        path,
        handler: `${target.cls.name}.${target.name}`,
        public: isPublic,
        roles: isPublic ? [] : Array.from(new Set([Role.Admin, ...declared])),
        scope: isPublic ? [] : scopeRulesOf(reflector, targets, path).filter((r) => r.from === 'param'),
        api: path.startsWith('/api/'),
      });
    }
  }
  return rows;
}

export interface MatrixFixtures {
  openingId: string;
  applicationId: string;
  candidateId: string;
  reviewId: string;
  userId: string;
}

const COLLECTION_FIXTURE: Record<string, keyof MatrixFixtures> = {
  openings: 'openingId',
  applications: 'applicationId',
  candidates: 'candidateId',
  reviews: 'reviewId',
  users: 'userId',
};

/**
 * Fills `:params`: an `:id` by the collection before it, named ids by name, with the fixtures (or
 * a random UUID when `throwaway`, or for kinds without a fixture). Returns the URL and whether a
 * scoped param got a real fixture id (then a non-member must get 404).
 */
export function fill(row: RouteRow, f: MatrixFixtures, throwaway: boolean): { url: string; realScopedId: boolean; allReal: boolean } {
  const segments = row.path.split('/');
  let realScopedId = false;
  let allReal = true;
  const scoped = new Set(row.scope.map((r) => r.field));
  const url = segments
    .map((seg, i) => {
      if (!seg.startsWith(':')) return seg;
      const name = seg.slice(1).replace(/\?$/, '');
      if (name === 'token') return randomUUID();
      if (name === 'version') return '1';
      if (name === 'key') return 'stage_changed';
      const key: keyof MatrixFixtures | undefined = name === 'id' ? COLLECTION_FIXTURE[segments[i - 1]] : (name as keyof MatrixFixtures);
      const real = key && f[key] && !throwaway ? f[key] : undefined;
      if (real && scoped.has(name)) realScopedId = true;
      if (!real) allReal = false;
      return real ?? randomUUID();
    })
    .join('/');
  return { url, realScopedId, allReal };
}
