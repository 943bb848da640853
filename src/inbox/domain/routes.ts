import { AlertKind } from '../../alerts/alert.entity';

/** Where one kind of alert (or the daily digest) goes: e-mail (as today), the user's own Slack and/or Teams webhook. */
export type RouteTarget = 'email' | 'slack' | 'teams';
export const ROUTE_TARGETS: RouteTarget[] = ['email', 'slack', 'teams'];
export const ROUTE_TARGET_WORDS: Record<RouteTarget, string> = { email: 'E-mail', slack: 'My Slack', teams: 'My Teams' };

/** Every alert kind, then the daily digest; the keys of `routes`. */
export const ROUTE_KINDS = [
  'stale',
  'sla_breached',
  'review_unschedulable',
  'assignment_over_time',
  'nudge',
  'scorecard_late',
  'reply_overdue',
  'calendar_unreadable',
  'digest',
] as const satisfies ReadonlyArray<AlertKind | 'digest'>;
export type RouteKind = (typeof ROUTE_KINDS)[number];
export const ROUTE_KIND_WORDS: Record<RouteKind, string> = {
  stale: 'A candidate waiting too long in a stage',
  sla_breached: 'A candidate not contacted in time',
  review_unschedulable: 'A code review that cannot be scheduled',
  assignment_over_time: 'A take-home assignment running over time',
  nudge: 'A nudge from a colleague',
  scorecard_late: 'A scorecard not handed in on time',
  reply_overdue: "A candidate's reply left unanswered",
  calendar_unreadable: 'A calendar that cannot be read',
  digest: 'The daily digest of waiting candidates',
};

export type Routes = Record<RouteKind, RouteTarget[]>;

/** The stored routes with the default (e-mail) for every kind not set. */
export function withDefaults(stored: Record<string, unknown> | null | undefined): Routes {
  const out = {} as Routes;
  for (const k of ROUTE_KINDS) {
    const v = stored?.[k];
    out[k] = Array.isArray(v) && v.length ? ROUTE_TARGETS.filter((t) => v.includes(t)) : ['email'];
  }
  return out;
}

/**
 * Checks a `routes` object from a request: known kinds, known targets, at least one each, and a
 * chat target only where that webhook is (or will be) set. Returns the problem naming the field, or the routes.
 */
export function parseRoutes(
  input: unknown,
  current: Routes,
  has: { slack: boolean; teams: boolean },
): { error: string } | { routes: Routes } {
  if (input === undefined) return { routes: current };
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return { error: `routes must be an object from kind (${ROUTE_KINDS.join(', ')}) to a list of ${ROUTE_TARGETS.join(', ')}` };
  const routes = { ...current };
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (!(ROUTE_KINDS as readonly string[]).includes(k))
      return { error: `routes.${k} is not a kind of alert (one of ${ROUTE_KINDS.join(', ')})` };
    const list = Array.isArray(v) ? v : [v];
    if (!list.length) return { error: `routes.${k} must name at least one of ${ROUTE_TARGETS.join(', ')}` };
    for (const t of list)
      if (!(ROUTE_TARGETS as unknown[]).includes(t)) return { error: `routes.${k} may only name ${ROUTE_TARGETS.join(', ')}` };
    routes[k as RouteKind] = ROUTE_TARGETS.filter((t) => list.includes(t));
  }
  for (const k of ROUTE_KINDS)
    for (const f of ['slack', 'teams'] as const)
      if (routes[k].includes(f) && !has[f]) return { error: `routes.${k} names ${f} but there is no ${f} webhook (set ${f}Url first)` };
  return { routes };
}
