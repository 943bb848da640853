import { SetMetadata } from '@nestjs/common';
import type { SqlParams } from '../common/database/sql-params';

export const AUDIT_NO_CHANGES = 'audit:no-changes';

/**
 * The audit entry of this route records no before/after values (e.g. an erasure: the "before"
 * would copy the very personal data being erased into the append-only log).
 */
export const AuditWithoutChanges = () => SetMetadata(AUDIT_NO_CHANGES, true);

export const AUDIT_CHANGES_REPORTED = 'audit:changes-reported';
const REPORTED = Symbol('auditChanges');

/**
 * The handler of this route reports the columns it changed (reportAuditChanges) instead of the
 * audit log taking a snapshot of the entity's row before and after: for hot writes whose service
 * knows its exact change (a stage move), one statement less per request.
 */
export const AuditChangesReported = () => SetMetadata(AUDIT_CHANGES_REPORTED, true);

export function reportAuditChanges(req: object, changes: Record<string, { before: unknown; after: unknown }>): void {
  (req as { [REPORTED]?: unknown })[REPORTED] = changes;
}

export function reportedAuditChanges(req: object): Record<string, { before: unknown; after: unknown }> | undefined {
  return (req as { [REPORTED]?: Record<string, { before: unknown; after: unknown }> })[REPORTED];
}

const IN_STATEMENT = Symbol('auditInStatement');

/**
 * On a route with @AuditChangesReported (or whose entry has no before-snapshot), the handler may write the request's audit entry inside
 * its own statement (one round trip less on a hot write): `cte` gives the data-modifying CTE of
 * the entry as the interceptor would write it on success (gated on the CTE `gate` returning a
 * row), and `committed()`, called once that statement committed, tells the interceptor the entry
 * exists. Until then (a refusal, an error) the interceptor writes the entry as usual.
 */
export interface AuditInStatement {
  cte(p: SqlParams, gate: string, changes: Record<string, { before: unknown; after: unknown }>, responseId: string): string;
  committed(): void;
}

export function offerAuditInStatement(req: object, a: AuditInStatement): void {
  (req as { [IN_STATEMENT]?: AuditInStatement })[IN_STATEMENT] = a;
}

export function auditInStatement(req: object): AuditInStatement | undefined {
  return (req as { [IN_STATEMENT]?: AuditInStatement })[IN_STATEMENT];
}
