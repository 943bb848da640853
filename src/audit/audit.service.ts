import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Request } from 'express';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../common/database/prepared';
import { SqlParams } from '../common/database/sql-params';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { Principal } from '../identity/decorators';
import { entityOf, redactBody, SECRET_KEY } from './domain/redact';

/** Entity types whose row is snapshotted before and after a write, to record the changed fields. */
const SNAPSHOT_TABLES: Record<string, string> = {
  application: 'applications',
  candidate: 'candidates',
  opening: 'openings',
  user: 'users',
  webhook: 'webhook_endpoints',
  alert: 'alerts',
  review: 'review_sessions',
  assignment: 'assignments',
  submission: 'submissions',
  interview: 'interview_sessions',
  offer: 'offers',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PendingAudit {
  at: Date;
  principal: Principal;
  method: string;
  route: string;
  path: string;
  entityType: string | null;
  entityId: string | null;
  requestId: string | null;
  ip: string | null;
  body: unknown;
  table: string | null;
  before: Record<string, unknown> | null;
}

export interface AuditQuery {
  actorId?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  method?: string;
  outcome?: string;
  before?: string;
  limit: number;
}

/** An audit_log row as read with raw SQL (snake_case columns; the id is a bigint). */
export interface AuditRow {
  id: string | number;
  at: Date;
  actor_id: string | null;
  actor_kind: string;
  token_kind: string | null;
  via: string | null;
  method: string;
  route: string;
  path: string;
  entity_type: string | null;
  entity_id: string | null;
  response_id: string | null;
  status_code: number;
  outcome: 'succeeded' | 'failed';
  request_id: string | null;
  ip: string | null;
  body: unknown;
  changes: unknown;
  error: string | null;
}

export function auditDto(r: AuditRow) {
  return {
    id: Number(r.id),
    at: r.at,
    actor: { id: r.actor_id, kind: r.actor_kind, tokenKind: r.token_kind, via: r.via },
    method: r.method,
    route: r.route,
    path: r.path,
    entity: { type: r.entity_type, id: r.entity_id },
    responseId: r.response_id,
    statusCode: r.status_code,
    outcome: r.outcome,
    requestId: r.request_id,
    ip: r.ip,
    body: r.body,
    changes: r.changes === null ? null : redactBody(r.changes),
    error: r.error,
  };
}

/**
 * The staff audit log. Writes arrive from AuditInterceptor; the table is append-only (trigger).
 * An audit row failing to write is logged loudly but never turns a committed change into an error.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');
  private readonly columns = new Map<string, Promise<string[] | null>>();
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  private columnsOf(table: string): Promise<string[] | null> {
    let p = this.columns.get(table);
    if (!p) {
      p = this.ds
        .query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND data_type <> 'bytea' ORDER BY ordinal_position`,
          [table],
        )
        .then((rows: Array<{ column_name: string }>) =>
          rows.length ? rows.map((r) => r.column_name).filter((c) => !SECRET_KEY.test(c)) : null,
        );
      this.columns.set(table, p);
    }
    return p;
  }

  /** A scalar subquery: the row of `table` whose id is the parameter `idParam`, as jsonb (secret and binary columns left out); null if the table cannot be snapshotted. */
  private async snapshotSql(table: string, idParam: string): Promise<string | null> {
    const cols = await this.columnsOf(table);
    if (!cols?.includes('id')) return null;
    return `(SELECT to_jsonb(x) FROM (SELECT ${cols.map((c) => `t."${c.replace(/"/g, '""')}"`).join(', ')} FROM "${table}" t WHERE t.id = ${idParam}::uuid) x)`;
  }

  private async snapshot(table: string | null, id: string | null): Promise<Record<string, unknown> | null> {
    if (!table || !id || !UUID.test(id)) return null;
    try {
      const sql = await this.snapshotSql(table, '$1');
      if (!sql) return null;
      const rows: Array<{ row: Record<string, unknown> | null }> = await this.ds.query(`SELECT ${sql} AS row`, [id]);
      return rows[0]?.row ?? null;
    } catch {
      return null;
    }
  }

  async begin(req: Request & { user: Principal; id?: unknown }, opts: { snapshot: boolean } = { snapshot: true }): Promise<PendingAudit> {
    const route = `${req.baseUrl ?? ''}${(req.route as { path?: string } | undefined)?.path ?? ''}` || req.path;
    const params = (req.params ?? {}) as Record<string, string>;
    const { type, id } = entityOf(route, params);
    const table = (opts.snapshot && type && SNAPSHOT_TABLES[type]) || null;
    return {
      at: this.clock.now(),
      principal: req.user,
      method: req.method,
      route,
      path: req.path,
      entityType: type,
      entityId: id,
      requestId: RequestContext.requestId ?? (req.id ? String(req.id) : null),
      ip: req.ip ?? null,
      body: req.body && typeof req.body === 'object' && Object.keys(req.body).length ? redactBody(req.body) : null,
      table,
      before: await this.snapshot(table, id),
    };
  }

  /**
   * Writes the entry: one statement. For a successful write with a before-snapshot, the row is read
   * again inside the INSERT and the changed columns are computed there (see changesSql).
   */
  async finish(
    p: PendingAudit,
    r: { outcome: 'succeeded' | 'failed'; statusCode: number; value?: unknown; error?: string; changes?: Record<string, unknown> },
  ): Promise<void> {
    try {
      const args = entryValues(p, r);
      let changes = 'NULL';
      const after =
        r.outcome === 'succeeded' && p.before && p.table && p.entityId ? await this.snapshotSql(p.table, `$${args.length + 2}`) : null;
      if (after) {
        args.push(pgSafeJson(p.before), p.entityId);
        changes = changesSql(`$${args.length - 1}::jsonb`, after);
      } else if (r.changes && Object.keys(r.changes).length) {
        args.push(pgSafeJson(redactBody(r.changes)));
        changes = `$${args.length}::jsonb`;
      }
      // A prepared statement (one text per table snapshotted): every staff write runs it.
      await preparedQuery(
        this.ds,
        `INSERT INTO audit_log (at, actor_id, actor_kind, token_kind, token_id, via, method, route, path, entity_type, entity_id, response_id, status_code, outcome, request_id, ip, body, error, changes)
         SELECT $1,$2,'user',$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17, ${changes}`,
        args,
      );
    } catch (e) {
      this.logger.error({ err: (e as Error).message, requestId: p.requestId, route: p.route }, 'audit entry could not be written');
    }
  }

  /**
   * Refused access by a signed-in staff member (the guard's 403: missing role or CSRF token, or a
   * handler's 403 on a read), recorded as a failed entry with the refusal's message.
   */
  async denied(req: Request & { user: Principal; id?: unknown }, statusCode: number, message: string | undefined): Promise<void> {
    const pending = await this.begin(req, { snapshot: false });
    await this.finish(pending, { outcome: 'failed', statusCode, error: `access denied: ${message ?? 'forbidden'}` });
  }

  async list(q: AuditQuery) {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (q.actorId) add('actor_id = ?', q.actorId);
    if (q.entityType) add('entity_type = ?', q.entityType);
    if (q.entityId) add('entity_id = ?', q.entityId);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    if (q.method) add('method = ?', q.method);
    if (q.outcome) add('outcome = ?', q.outcome);
    if (q.before) add('id < ?', q.before);
    args.push(q.limit);
    const rows = await this.ds.query(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}`,
      args,
    );
    return rows.map(auditDto);
  }
}

/** PostgreSQL text and jsonb refuse NUL and lone UTF-16 surrogates; hostile input must still be audited. */
/**
 * The changed columns between a before-snapshot and the row now, as {column: {before, after}}, in
 * SQL so that reading the row again and writing the entry is one statement. updated_at is left
 * out; null when nothing changed or the row is gone. A value longer than 2,000 characters of JSON is
 * recorded as a short marker (strings keep their first 2,000 characters), as request bodies are.
 * Secret columns never reach the snapshots (columnsOf), and auditDto redacts nested secret keys.
 */
export function changesSql(before: string, after: string): string {
  const clip = (v: string) => `CASE WHEN ${v} IS NULL OR length(${v}::text) <= ${MAX_CHANGE} THEN ${v}
      WHEN jsonb_typeof(${v}) = 'string' THEN to_jsonb(left(${v} #>> '{}', ${MAX_CHANGE}) || '…[' || (length(${v} #>> '{}') - ${MAX_CHANGE}) || ' more]')
      ELSE to_jsonb('[' || length(${v}::text) || ' characters of JSON]') END`;
  return `(SELECT jsonb_object_agg(d.k, jsonb_build_object('before', ${clip('d.b')}, 'after', ${clip('d.a')}))
      FROM (SELECT ${after} AS row) now
      CROSS JOIN LATERAL (SELECT coalesce(b.k, a.k) AS k, b.v AS b, a.v AS a FROM jsonb_each(${before}) b(k, v) FULL JOIN jsonb_each(now.row) a(k, v) ON a.k = b.k) d
     WHERE now.row IS NOT NULL AND d.k <> 'updated_at' AND d.b IS DISTINCT FROM d.a)`;
}
const MAX_CHANGE = 2000;

export function pgSafeText(v: string): string {
  return v.replace(/\u0000/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

export function pgSafeJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'string' ? pgSafeText(x) : x));
}

const ENTRY_COLUMNS =
  'at, actor_id, actor_kind, token_kind, token_id, via, method, route, path, entity_type, entity_id, response_id, status_code, outcome, request_id, ip, body, error, changes';
const ENTRY_CASTS = [
  '::timestamptz',
  '::uuid',
  '::text',
  '::uuid',
  '::text',
  '::text',
  '::text',
  '::text',
  '::text',
  '::text',
  '::text',
  '::int',
  '::text',
  '::text',
  '::text',
  '::jsonb',
  '::text',
];

/** The values of an entry's columns but actor_kind and changes, in ENTRY_COLUMNS order ($1..$17 of finish()). */
function entryValues(
  p: PendingAudit,
  r: { outcome: 'succeeded' | 'failed'; statusCode: number; value?: unknown; error?: string },
): unknown[] {
  const value = r.value as { id?: unknown } | undefined;
  const responseId =
    value && typeof value === 'object' && (typeof value.id === 'string' || typeof value.id === 'number') ? String(value.id) : null;
  return [
    p.at,
    p.principal.id,
    p.principal.tokenKind ?? null,
    p.principal.tokenId ?? null,
    p.principal.via ?? null,
    p.method,
    p.route,
    pgSafeText(p.path),
    p.entityType,
    p.entityId ?? (p.method === 'POST' ? responseId : null),
    responseId,
    r.statusCode,
    r.outcome,
    p.requestId,
    p.ip,
    p.body === null ? null : pgSafeJson(p.body),
    r.error ? pgSafeText(r.error.slice(0, 1000)) : null,
  ];
}

/**
 * The entry finish() would write for a successful request with reported changes, as a
 * data-modifying CTE `name` of the caller's statement, written only if the CTE `gate` returned a
 * row: a hot write (a stage move) and its audit entry in one round trip, committed together.
 */
export function auditEntryCte(
  params: SqlParams,
  p: PendingAudit,
  r: { statusCode: number; value: unknown; changes: Record<string, unknown> },
  name: string,
  gate: string,
): string {
  const values = entryValues(p, { outcome: 'succeeded', statusCode: r.statusCode, value: r.value });
  const [at, actor, ...rest] = values.map((v, i) => params.add(v, ENTRY_CASTS[i]));
  const changes = Object.keys(r.changes).length ? params.add(pgSafeJson(redactBody(r.changes)), '::jsonb') : 'NULL::jsonb';
  return `${name} AS (
     INSERT INTO audit_log (${ENTRY_COLUMNS})
     SELECT ${at}, ${actor}, 'user', ${rest.join(', ')}, ${changes} FROM ${gate}
     RETURNING id
   )`;
}
