import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from './user.entity';

export const IS_PUBLIC = 'identity:public';
export const ROLES = 'identity:roles';

/** No staff token needed (login, the candidate portal which checks its own link token, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Staff roles allowed on a route. A route with neither @Public nor @Roles is admin-only (deny by default). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export interface Principal {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  timezone: string;
  tokenId: string;
  via: 'bearer' | 'cookie';
  tokenKind: string;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().user;
});
