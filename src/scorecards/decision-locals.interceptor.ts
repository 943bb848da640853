import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Request } from 'express';
import { from, mergeMap, Observable } from 'rxjs';
import { Principal } from '../identity/decorators';
import { Role } from '../identity/user.entity';
import { PAGE_LOCALS } from '../web/page-locals';
import { RULE_NAMES } from './domain';
import { ScorecardsService } from './scorecards.service';

/** Pages that include `{{> decision-rule}}`: the application page and the opening's board. */
const APPLICATION_PAGES = new Set(['/dashboard/applications/:id', '/applications/:id']);
const BOARD_PAGES = new Set(['/dashboard/openings/:id']);
/** The routes ScorecardsModule attaches this interceptor to (route-level, not global). */
export const DECISION_PAGES = new Set([...APPLICATION_PAGES, ...BOARD_PAGES]);

/**
 * Gives the application page and the board what the `decision-rule` partial shows, without those
 * pages' controllers knowing about scorecards: after the guard (the viewer is known), for those
 * routes only, the decision is read and the handler runs with it in PAGE_LOCALS.
 */
@Injectable()
export class DecisionLocalsInterceptor implements NestInterceptor {
  constructor(private readonly scorecards: ScorecardsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const route = (req.route as { path?: string } | undefined)?.path ?? '';
    const id = typeof req.params?.id === 'string' ? req.params.id : '';
    const user = req.user;
    const isApp = APPLICATION_PAGES.has(route),
      isBoard = BOARD_PAGES.has(route);
    if (req.method !== 'GET' || !user || !id || !/^[0-9a-f-]{36}$/i.test(id) || (!isApp && !isBoard)) return next.handle();
    return from(this.locals(isApp ? 'application' : 'board', id, user)).pipe(
      mergeMap((locals) => new Observable<unknown>((sub) => PAGE_LOCALS.run(locals, () => next.handle().subscribe(sub)))),
    );
  }

  private async locals(kind: 'application' | 'board', id: string, user: Principal): Promise<Record<string, unknown>> {
    try {
      const me = { id: user.id, isAdmin: user.roles.includes(Role.Admin) };
      if (kind === 'application') {
        const d = await this.scorecards.decision(id, me);
        return {
          scorecardDecision: {
            ...d,
            debriefUrl: `/dashboard/applications/${id}/debrief`,
            mySessions: await this.scorecards.sessionsOf(id, user.id),
          },
        };
      }
      const rows = await this.scorecards.decisionsForOpening(id);
      const t = await this.scorecards.template(id);
      return {
        scorecardBoard: {
          ruleName: RULE_NAMES[t.decisionRule],
          rows: rows.map((r) => ({ ...r, debriefUrl: `/dashboard/applications/${r.applicationId}/debrief` })),
        },
      };
    } catch {
      // The page itself answers (e.g. 404 for an unknown id); the partial then shows nothing.
      return {};
    }
  }
}
