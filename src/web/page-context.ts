import { Request } from 'express';
import { Principal } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';

/** The signed-in user and a CSRF token for forms on a page. */
export function pageContext(req: Request, identity: IdentityService): { user?: Principal; csrf?: string } {
  const user = (req as Request & { user?: Principal }).user;
  return user ? { user, csrf: identity.csrfToken(user.tokenId) } : {};
}
