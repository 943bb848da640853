import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { DiscoveryService, ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC, ROLES } from '../../src/identity/decorators';
import { Role } from '../../src/identity/user.entity';
import { TestApp } from '../setup/test-app';

/** Helpers for the hostile suites (authz matrix, fuzzing): the app's own OpenAPI document and route metadata. */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export interface Operation {
  method: Method;
  path: string;
  operationId: string;
  op: any;
  /** application/json request body schema, if any */
  jsonBody?: any;
  multipart: boolean;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, any> };
}

export async function loadDoc(t: TestApp): Promise<OpenApiDoc> {
  const res = await t.http.get('/api/docs-json');
  if (res.status !== 200) throw new Error(`/api/docs-json answered ${res.status}`);
  return res.body as OpenApiDoc;
}

export function operations(doc: OpenApiDoc, prefix = '/api/v1/'): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith(prefix)) continue;
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      out.push({
        method: method as Method,
        path,
        operationId: op.operationId,
        op,
        jsonBody: content['application/json']?.schema,
        multipart: !!content['multipart/form-data'],
      });
    }
  }
  return out;
}

export interface Access {
  public: boolean;
  /** Roles the guard lets through (admin always). Empty for public routes. */
  roles: Role[];
}

/**
 * Reads @Public/@Roles from the live app, the way AuthGuard does (handler overrides class; no
 * @Roles = admin only). Operations are matched by Swagger's default operationId `Controller_method`.
 */
export function accessOf(app: INestApplication): (operationId: string) => Access {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const reflector = new Reflector();
  const byName = new Map<string, any[]>();
  for (const w of discovery.getControllers()) {
    if (!w.metatype) continue;
    const list = byName.get(w.metatype.name) ?? [];
    if (!list.includes(w.metatype)) list.push(w.metatype);
    byName.set(w.metatype.name, list);
  }
  return (operationId) => {
    const [cls, method] = operationId.split('_');
    const classes = byName.get(cls) ?? [];
    if (classes.length !== 1) throw new Error(`operationId ${operationId}: ${classes.length} controllers named ${cls}`);
    const handler = classes[0].prototype[method];
    if (typeof handler !== 'function') throw new Error(`operationId ${operationId}: no handler ${cls}.${method}`);
    const targets = [handler, classes[0]];
    const isPublic = !!reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const declared = reflector.getAllAndOverride<Role[]>(ROLES, targets) ?? [Role.Admin];
    return { public: isPublic, roles: isPublic ? [] : Array.from(new Set([Role.Admin, ...declared])) };
  };
}

export interface Fixtures {
  openingId: string;
  candidateId: string;
  applicationId: string;
  userId: string;
  portalToken: string;
}

/** Fills path parameters: `{id}` by the kind of the path's first segment, other ids by a random UUID. */
export function fillPath(path: string, f: Partial<Fixtures>, opts: { throwaway?: boolean } = {}): string {
  const first = path.split('/')[3];
  const idFor: Record<string, string | undefined> = {
    openings: f.openingId,
    candidates: f.candidateId,
    applications: f.applicationId,
    users: f.userId,
  };
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (name === 'id') return (!opts.throwaway && idFor[first]) || randomUUID();
    if (name === 'token') return f.portalToken ?? randomUUID();
    if (name === 'version') return '1';
    if (name === 'key') return 'stage_changed';
    return randomUUID();
  });
}

/** The one error shape: {statusCode, error, message, requestId}. */
export function errorShapeProblem(status: number, body: any): string | null {
  if (status < 400) return null;
  if (!body || typeof body !== 'object') return `non-JSON error body`;
  const missing = ['statusCode', 'error', 'message', 'requestId'].filter(
    (k) => body[k] === undefined || body[k] === null || body[k] === '',
  );
  if (missing.length) return `error body lacks ${missing.join(', ')}`;
  if (body.statusCode !== status) return `statusCode ${body.statusCode} != HTTP ${status}`;
  return null;
}

export const GUARD_FORBIDDEN = /needs one of the roles/;

/** Sends `body` JSON-encoded, or `raw` bytes as they are, with content-type application/json. */
export function send(t: TestApp, method: Method, url: string, headers: Record<string, string>, body?: unknown, raw?: string) {
  let req = (t.http as any)[method](url);
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  if (raw !== undefined) req = req.set('content-type', 'application/json').send(raw);
  else if (body !== undefined) req = req.set('content-type', 'application/json').send(JSON.stringify(body));
  return req as Promise<{ status: number; body: any; text: string }>;
}
