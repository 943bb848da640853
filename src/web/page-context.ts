import { Request, Response } from 'express';
import { Principal } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Flash, takeFlash } from './flash';

/** The signed-in user and a CSRF token for forms on a page; with `res`, the one-time flash message too. */
export function pageContext(req: Request, identity: IdentityService, res?: Response): { user?: Principal; csrf?: string; flash?: Flash } {
  const user = (req as Request & { user?: Principal }).user;
  const flash = res ? takeFlash(req, res) : undefined;
  return { ...(user ? { user, csrf: identity.csrfToken(user.tokenId) } : {}), ...(flash ? { flash } : {}) };
}
