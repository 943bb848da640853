import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { RequestContext } from '../common/context/request-context';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { IS_PUBLIC, Principal, ROLES } from './decorators';
import { IdentityService } from './identity.service';
import { Role } from './user.entity';

export const SESSION_COOKIE = 'hiring_sid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard, deny by default: a route is open only with @Public(); otherwise it needs a staff
 * principal (bearer token for the API, httpOnly session cookie for pages) holding one of the
 * route's @Roles, and a route without @Roles is admin-only. Cookie-authenticated writes need a
 * CSRF token (form field `_csrf` or header `x-csrf-token`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
  ) {}

  /**
   * Synchronous when the token's result is cached (the usual case): Nest awaits a guard only when
   * it returns a promise (issue 25: a read's promises, each paying the request context's hook).
   */
  canActivate(ctx: ExecutionContext): boolean | Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    const principal = this.resolve(req);
    return principal instanceof Promise ? principal.then((p) => this.admit(req, p, targets)) : this.admit(req, principal, targets);
  }

  private admit(
    req: Request & { user?: Principal },
    principal: Principal | null,
    targets: Parameters<Reflector['getAllAndOverride']>[1],
  ): boolean {
    if (!principal)
      throw new ApplicationException(
        ErrorCode.Unauthorized,
        'Sign in first: send Authorization: Bearer <token> from POST /api/v1/auth/login',
      );
    req.user = principal;
    RequestContext.setActor({ kind: 'user', id: principal.id });
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES, targets) ?? [Role.Admin];
    const allowed = principal.roles.includes(Role.Admin) || roles.some((r) => principal.roles.includes(r));
    if (!allowed) throw new ApplicationException(ErrorCode.Forbidden, `This action needs one of the roles: ${roles.join(', ')}`);
    if (principal.via === 'cookie' && !SAFE_METHODS.has(req.method)) {
      const given = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token'];
      if (!this.identity.verifyCsrf(principal.tokenId, given)) {
        throw new ApplicationException(ErrorCode.Forbidden, 'Missing or invalid CSRF token; reload the page and try again');
      }
    }
    return true;
  }

  private resolve(req: Request): Principal | null | Promise<Principal | null> {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      return m ? this.identity.authenticateNow(m[1], 'bearer') : null;
    }
    const cookie = (req as Request & { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE];
    return cookie ? this.identity.authenticateNow(cookie, 'cookie') : null;
  }
}
