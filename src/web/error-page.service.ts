import { Injectable, Optional } from '@nestjs/common';
import type { Request } from 'express';
import { ErrorPage } from '../common/errors/error-page';
import { SESSION_COOKIE } from '../identity/auth.guard';
import type { Principal } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { ViewService } from './view.service';

/** The HTML error page, with the signed-in header kept (also on routes the guard never saw). */
@Injectable()
export class ErrorPageService implements ErrorPage {
  constructor(
    private readonly views: ViewService,
    @Optional() private readonly identity?: IdentityService,
  ) {}

  private async signedIn(req: Request & { user?: Principal }): Promise<{ user?: Principal; csrf?: string }> {
    if (!this.identity) return {};
    let user = req.user;
    const cookie = (req as Request & { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE];
    if (!user && cookie) user = (await this.identity.authenticate(cookie, 'cookie').catch(() => null)) ?? undefined;
    return user ? { user, csrf: this.identity.csrfToken(user.tokenId) } : {};
  }

  async render(
    req: Request,
    page: { status: number; heading: string; message: string; hint?: string },
    lookUpUser: boolean,
  ): Promise<string> {
    const ctx = lookUpUser ? await this.signedIn(req).catch(() => ({})) : {};
    return this.views.render('error', { title: page.heading, heading: page.heading, ...ctx, message: page.message, hint: page.hint });
  }
}
