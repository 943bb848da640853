import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { Principal } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { ApplicationsService, CreateRead, Loaded } from './applications.service';

/**
 * Route guards of the two hot writes (a stage move, an application create) that check the hiring
 * team in the handler's own first read, one PostgreSQL round trip instead of two. They run where
 * TeamScopeGuard would have checked the same rule (before the pipes and the interceptors), so the
 * answers do not change: 404 outside the team, 403 where the id reached the user legitimately
 * (`TeamScope.assert` decides, as for any scoped route), an unknown id passes to the handler's own
 * 404, admins are not limited. The read is handed to the handler through the request
 * (`movePreread`, `createPreread`); the move's statement is guarded by the version it read, so a
 * change in between is a lost race, handled as before.
 */
type AuthedRequest = Request & { user?: Principal };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const moveReads = new WeakMap<Request, Loaded | null>();
const createReads = new WeakMap<Request, CreateRead>();

/** The move's read done by MoveScopeGuard for this request (undefined when it did none). */
export const movePreread = (req: Request): Loaded | null | undefined => moveReads.get(req);
/** create()'s read done by CreateScopeGuard for this request (undefined when it did none). */
export const createPreread = (req: Request): CreateRead | undefined => createReads.get(req);

/** POST /applications/:id/transitions: the application (param `id`) with the team check. */
@Injectable()
export class MoveScopeGuard implements CanActivate {
  constructor(
    private readonly apps: ApplicationsService,
    private readonly scope: TeamScope,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const id = req.params?.id;
    if (!req.user || typeof id !== 'string' || !UUID.test(id)) return true;
    const read = await this.apps.readForMove(id, this.scope.viewer(req.user));
    if (read && !read.onTeam) await this.scope.assertApplication(req.user, id);
    moveReads.set(req, read);
    return true;
  }
}

/** POST /applications: the opening (body `openingId`) with the team check, and the candidate. */
@Injectable()
export class CreateScopeGuard implements CanActivate {
  constructor(
    private readonly apps: ApplicationsService,
    private readonly scope: TeamScope,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const body = req.body as Record<string, unknown> | undefined;
    const openingId = body && typeof body === 'object' ? body.openingId : undefined;
    const candidateId = body && typeof body === 'object' ? body.candidateId : undefined;
    if (!req.user || typeof openingId !== 'string' || !UUID.test(openingId)) return true;
    if (typeof candidateId !== 'string' || !UUID.test(candidateId)) {
      // The body will be refused by validation; the team rule first, as TeamScopeGuard applies it.
      await this.scope.assertOpening(req.user, openingId);
      return true;
    }
    const read = await this.apps.readForCreate(candidateId, openingId, this.scope.viewer(req.user));
    if (!read.onTeam && read.row.o__id != null) await this.scope.assertOpening(req.user, openingId);
    createReads.set(req, read);
    return true;
  }
}
