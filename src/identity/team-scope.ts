import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Request } from 'express';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../common/database/prepared';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { IS_PUBLIC, Principal } from './decorators';
import { Role } from './user.entity';

/**
 * Hiring-team scope: the one place that decides whether a staff member may see or change a thing
 * that belongs to an opening. Admins see everything; everyone else only what belongs to openings
 * whose team they are on (view `opening_team`: owners, named members, anyone booked on one of its
 * reviews or interviews). Outside their teams the answer is 404, as if the thing did not exist;
 * 403 only where the id reached them legitimately (they were on the team before, were booked on
 * it, acted on it, or were sent an alert about it).
 *
 * Three ways to use it:
 * - Route marker, enforced by the global TeamScopeGuard before the handler runs:
 *   `@TeamScoped('application')` (path param `id`), `@TeamScoped('opening', 'openingId', 'body')`, or
 *   `@Unscoped()` for a route that touches nothing team-owned. Without a marker the guard infers the
 *   scope from the route path (`/<openings|applications|candidates|reviews|interviews|invitations|
 *   submissions>/:id`, any `:openingId`, `:applicationId`, `:candidateId`, `:reviewId`,
 *   `:interviewId` param, and `openingId`/`applicationId` in the query string or JSON body).
 * - In code: `await scope.assertOpening(me, id)`, `assertApplication`, `assertCandidate`,
 *   `assertReview`, or `assert(kind, me, id, { teamRoles: [...] })` to need a team role too.
 * - In list queries: `scope.sql(me, 'a.opening_id', params)` (positional $n; 'TRUE' for admins) or
 *   `scope.where(qb, 'a.opening_id', me)` for a TypeORM query builder.
 */
export type ScopeKind = 'opening' | 'application' | 'candidate' | 'review' | 'interview' | 'invitation' | 'submission';
export type TeamRole = 'recruiter' | 'hiring_manager' | 'coordinator' | 'interviewer';
export const TEAM_ROLES: TeamRole[] = ['recruiter', 'hiring_manager', 'coordinator', 'interviewer'];

export interface ScopeRule {
  kind: ScopeKind;
  /** Name of the path param, query or body field holding the id. */
  field: string;
  from: 'param' | 'query' | 'body';
  /**
   * The handler applies this rule itself, inside its own query (one round trip instead of two on
   * a hot read), and calls `assert` when that query says the actor is not on the team. The guard
   * skips it; everything else (the authorization matrix, the answers) is as for any scoped route.
   */
  inHandler?: boolean;
}

export const TEAM_SCOPE = 'identity:team-scope';
/** The route acts on the thing named by `field` (path param by default): non-members get 404. */
export const TeamScoped = (kind: ScopeKind, field = 'id', from: ScopeRule['from'] = 'param') =>
  SetMetadata(TEAM_SCOPE, [{ kind, field, from }] as ScopeRule[]);
/**
 * As @TeamScoped (path param `id`), for a handler that checks the team in its own query (with
 * `teamFilterSql`) and calls `TeamScope.assert` when the actor is not on it, so the answers are
 * the same (404 outside the team, 403 where the id reached them legitimately).
 */
export const TeamScopedInHandler = (kind: ScopeKind, field = 'id') =>
  SetMetadata(TEAM_SCOPE, [{ kind, field, from: 'param', inHandler: true }] as ScopeRule[]);
/** The route touches nothing that belongs to an opening (or filters its own lists): no inferred check. */
export const Unscoped = () => SetMetadata(TEAM_SCOPE, [] as ScopeRule[]);

const COLLECTIONS: Record<string, ScopeKind> = {
  openings: 'opening',
  applications: 'application',
  candidates: 'candidate',
  reviews: 'review',
  interviews: 'interview',
  invitations: 'invitation',
  submissions: 'submission',
};
const PARAM_KINDS: Record<string, ScopeKind> = {
  openingId: 'opening',
  applicationId: 'application',
  candidateId: 'candidate',
  reviewId: 'review',
  interviewId: 'interview',
};

/** The scope rules the guard infers from an Express route path such as `/api/v1/applications/:id/events`. */
export function inferScope(routePath: string): ScopeRule[] {
  const rules: ScopeRule[] = [
    { kind: 'opening', field: 'openingId', from: 'query' },
    { kind: 'application', field: 'applicationId', from: 'query' },
    { kind: 'opening', field: 'openingId', from: 'body' },
    { kind: 'application', field: 'applicationId', from: 'body' },
  ];
  const segments = routePath
    .replace(/^\/api\/v1(?=\/)/, '')
    .split('/')
    .filter(Boolean);
  segments.forEach((seg, i) => {
    if (!seg.startsWith(':')) return;
    const name = seg.slice(1).replace(/\?$/, '');
    const kind = name === 'id' ? COLLECTIONS[segments[i - 1] ?? ''] : PARAM_KINDS[name];
    if (kind) rules.unshift({ kind, field: name, from: 'param' });
  });
  return rules;
}

/** The rules the guard applies to a route: its @TeamScoped/@Unscoped marker, else the inferred ones. */
export function scopeRulesOf(reflector: Reflector, targets: Parameters<Reflector['getAllAndOverride']>[1], routePath: string): ScopeRule[] {
  const declared = reflector.getAllAndOverride<ScopeRule[] | undefined>(TEAM_SCOPE, targets);
  return declared ?? inferScope(routePath);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOUN: Record<ScopeKind, string> = {
  opening: 'Opening',
  application: 'Application',
  candidate: 'Candidate',
  review: 'Review',
  interview: 'Interview',
  invitation: 'Invitation',
  submission: 'Submission',
};

/** SQL giving the opening ids a thing of this kind belongs to ($1 = its id). */
const OPENINGS_OF: Record<ScopeKind, string> = {
  opening: `SELECT id AS opening_id FROM openings WHERE id = $1`,
  application: `SELECT opening_id FROM applications WHERE id = $1`,
  candidate: `SELECT opening_id FROM applications WHERE candidate_id = $1 UNION ALL SELECT NULL::uuid FROM candidates c WHERE c.id = $1 AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = c.id)`,
  review: `SELECT a.opening_id FROM review_sessions r JOIN applications a ON a.id = r.application_id WHERE r.id = $1`,
  interview: `SELECT a.opening_id FROM interview_sessions i JOIN applications a ON a.id = i.application_id WHERE i.id = $1`,
  invitation: `SELECT a.opening_id FROM invitations i JOIN applications a ON a.id = i.application_id WHERE i.id = $1`,
  submission: `SELECT a.opening_id FROM submissions s JOIN applications a ON a.id = s.application_id WHERE s.id = $1`,
};

/** The check of assert(): the opening(s) the thing belongs to, with the actor's roles on each team ($1 its id, $2 the actor). */
const ASSERT_SQL = Object.fromEntries(
  Object.entries(OPENINGS_OF).map(([kind, openings]) => [
    kind,
    `WITH o AS (${openings})
       SELECT o.opening_id, t.role FROM o LEFT JOIN opening_team t ON t.opening_id = o.opening_id AND t.user_id = $2`,
  ]),
) as Record<ScopeKind, string>;

export interface AssertOptions {
  /** Also need one of these roles on the team (owners count as their role). */
  teamRoles?: TeamRole[];
  /** What the caller tried, for the 403 message ("override its templates"). */
  action?: string;
}

@Injectable()
export class TeamScope {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Admins are not limited by teams. */
  unrestricted(actor: Pick<Principal, 'roles'>): boolean {
    return actor.roles.includes(Role.Admin);
  }

  /** The user id lists must be limited to, or null for an admin. */
  viewer(actor: Pick<Principal, 'id' | 'roles'>): string | null {
    return this.unrestricted(actor) ? null : actor.id;
  }

  /**
   * A WHERE fragment limiting `column` (an opening id) to the actor's teams; pushes the user id onto
   * `params` and refers to it positionally. 'TRUE' for an admin.
   */
  sql(actor: Pick<Principal, 'id' | 'roles'>, column: string, params: unknown[]): string {
    if (this.unrestricted(actor)) return 'TRUE';
    params.push(actor.id);
    return teamFilterSql(column, `$${params.length}::uuid`);
  }

  /** The same for a TypeORM query builder (named parameter). */
  where<Q extends { andWhere(sql: string, params?: Record<string, unknown>): Q }>(
    qb: Q,
    column: string,
    actor: Pick<Principal, 'id' | 'roles'>,
  ): Q {
    if (this.unrestricted(actor)) return qb;
    return qb.andWhere(teamFilterSql(column, ':teamScopeUser'), { teamScopeUser: actor.id });
  }

  /** The openings whose team the actor is on, or null for an admin (no limit). */
  async openingIds(actor: Pick<Principal, 'id' | 'roles'>): Promise<string[] | null> {
    if (this.unrestricted(actor)) return null;
    const rows: Array<{ opening_id: string }> = await this.ds.query(`SELECT DISTINCT opening_id FROM opening_team WHERE user_id = $1`, [
      actor.id,
    ]);
    return rows.map((r) => r.opening_id);
  }

  /** The actor's roles on one opening's team (empty: not on it). */
  async rolesOn(userId: string, openingId: string): Promise<TeamRole[]> {
    const rows: Array<{ role: TeamRole }> = await this.ds.query(
      `SELECT DISTINCT role FROM opening_team WHERE opening_id = $1 AND user_id = $2`,
      [openingId, userId],
    );
    return rows.map((r) => r.role);
  }

  async teamRoleOn(actor: Pick<Principal, 'id' | 'roles'>, openingId: string, roles: TeamRole[]): Promise<boolean> {
    if (this.unrestricted(actor)) return true;
    return (await this.rolesOn(actor.id, openingId)).some((r) => roles.includes(r));
  }

  assertOpening(actor: Principal, openingId: string, opts?: AssertOptions) {
    return this.assert('opening', actor, openingId, opts);
  }
  assertApplication(actor: Principal, applicationId: string, opts?: AssertOptions) {
    return this.assert('application', actor, applicationId, opts);
  }
  assertCandidate(actor: Principal, candidateId: string, opts?: AssertOptions) {
    return this.assert('candidate', actor, candidateId, opts);
  }
  assertReview(actor: Principal, reviewId: string, opts?: AssertOptions) {
    return this.assert('review', actor, reviewId, opts);
  }

  /**
   * Passes when the actor is an admin or on the team of (one of) the opening(s) the thing belongs
   * to, holding one of `opts.teamRoles` if given. Unknown ids pass (the handler answers its own
   * 404). A candidate with no application yet is in the shared sourcing pool and passes.
   */
  async assert(kind: ScopeKind, actor: Pick<Principal, 'id' | 'roles'>, id: string, opts: AssertOptions = {}): Promise<void> {
    if (this.unrestricted(actor) || !UUID.test(id)) return;
    // A prepared statement: planning the view's five branches cost more than running them.
    const rows = await preparedQuery<{ opening_id: string | null; role: TeamRole | null }>(this.ds, ASSERT_SQL[kind], [id, actor.id]);
    if (!rows.length) return;
    if (rows.some((r) => r.opening_id === null)) {
      if (!opts.teamRoles) return;
    }
    const roles = rows.map((r) => r.role).filter((r): r is TeamRole => !!r);
    if (roles.length && (!opts.teamRoles || roles.some((r) => opts.teamRoles!.includes(r)))) return;
    if (roles.length) {
      const names = opts.teamRoles!.map((r) => r.replace('_', ' ')).join(' or ');
      throw new ApplicationException(
        ErrorCode.Forbidden,
        `Only the ${names} on this opening's hiring team (or an admin) can ${opts.action ?? 'do this'}`,
      );
    }
    const openingIds = rows.map((r) => r.opening_id).filter((o): o is string => !!o);
    if (await this.cameLegitimately(actor.id, openingIds)) {
      throw new ApplicationException(
        ErrorCode.Forbidden,
        `You are not on the hiring team of this ${NOUN[kind].toLowerCase()}'s opening; ask its hiring manager to add you`,
      );
    }
    throw new ApplicationException(ErrorCode.NotFound, `${NOUN[kind]} not found`);
  }

  /** Was the id given to this user before: a former member, booked once, acted on it, or alerted about it? */
  private async cameLegitimately(userId: string, openingIds: string[]): Promise<boolean> {
    if (!openingIds.length) return false;
    const [row]: Array<{ ok: boolean }> = await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM opening_team_members m WHERE m.opening_id = ANY($1::uuid[]) AND m.user_id = $2)
           OR EXISTS (SELECT 1 FROM review_sessions r JOIN applications a ON a.id = r.application_id WHERE a.opening_id = ANY($1::uuid[]) AND r.reviewer_id = $2)
           OR EXISTS (SELECT 1 FROM interview_sessions i JOIN applications a ON a.id = i.application_id WHERE a.opening_id = ANY($1::uuid[]) AND $2 = ANY(i.interviewer_ids))
           OR EXISTS (SELECT 1 FROM alerts al WHERE al.opening_id = ANY($1::uuid[]) AND al.recipient_id = $2)
           OR EXISTS (SELECT 1 FROM application_events e JOIN applications a ON a.id = e.application_id WHERE a.opening_id = ANY($1::uuid[]) AND e.actor_id = $2) AS ok`,
      [openingIds, userId],
    );
    return !!row?.ok;
  }

  /** Enforces a route's scope rules against one request. */
  checkRequest(actor: Principal, req: Request, rules: ScopeRule[]): Promise<void> | undefined {
    const due: Array<[ScopeKind, string]> = [];
    for (const rule of rules) {
      if (rule.inHandler) continue;
      const source = rule.from === 'param' ? req.params : rule.from === 'query' ? req.query : req.body;
      const value = source && typeof source === 'object' ? (source as Record<string, unknown>)[rule.field] : undefined;
      if (typeof value === 'string' && UUID.test(value)) due.push([rule.kind, value]);
    }
    // Nothing to look up (no rule applies, or the handler checks it in its own read): no promise.
    if (due.length === 0) return undefined;
    return (async () => {
      for (const [kind, id] of due) await this.assert(kind, actor, id);
    })();
  }
}

/** `column` restricted to the openings whose team `userRef` (a placeholder) is on. */
export function teamFilterSql(column: string, userRef: string): string {
  return `${column} IN (SELECT ot.opening_id FROM opening_team ot WHERE ot.user_id = ${userRef})`;
}

/**
 * Global guard after AuthGuard: applies the route's scope rules (marker or inferred from the path)
 * for signed-in non-admin staff. Public routes (the portal, careers, privacy links) are untouched.
 */
@Injectable()
export class TeamScopeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly scope: TeamScope,
  ) {}

  /** Synchronous when there is nothing to look up (as AuthGuard: Nest awaits only a returned promise). */
  canActivate(ctx: ExecutionContext): boolean | Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    if (!req.user || this.scope.unrestricted(req.user)) return true;
    const routePath = String((req.route as { path?: string } | undefined)?.path ?? req.path);
    const checks = this.scope.checkRequest(req.user, req, scopeRulesOf(this.reflector, targets, routePath));
    return checks ? checks.then(() => true) : true;
  }
}
