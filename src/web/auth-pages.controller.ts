import { Body, Controller, Get, Header, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApplicationException } from '../common/errors/application.exception';
import { SESSION_COOKIE } from '../identity/auth.guard';
import { CurrentUser, Principal, Public, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { ALL_ROLES, TokenKind } from '../identity/user.entity';
import { ViewService } from './view.service';

/** Only same-site relative paths are followed after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : '/dashboard';
}

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(private readonly views: ViewService, private readonly identity: IdentityService) {}

  @Public()
  @Get()
  root(@Res() res: Response) {
    res.redirect(302, '/dashboard');
  }

  @Public()
  @Get('login')
  @Header('content-type', 'text/html; charset=utf-8')
  loginPage(@Query('next') next?: string) {
    return this.views.render('login', { title: 'Sign in', next: safeNext(next) });
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const next = safeNext(body.next);
    try {
      const { accessToken, expiresAt } = await this.identity.login(String(body.email ?? ''), String(body.password ?? ''), req.ip ?? 'unknown', TokenKind.WebSession);
      res.cookie(SESSION_COOKIE, accessToken, { httpOnly: true, sameSite: 'lax', secure: req.secure, expires: expiresAt, path: '/' });
      res.redirect(303, next);
    } catch (e) {
      const status = e instanceof ApplicationException ? e.status : 500;
      res.status(status).type('html').send(this.views.render('login', { title: 'Sign in', next, email: body.email, error: e instanceof ApplicationException ? e.message : 'Sign-in failed; try again' }));
    }
  }

  @Roles(...ALL_ROLES)
  @Post('logout')
  async logout(@CurrentUser() me: Principal, @Res() res: Response) {
    await this.identity.revokeToken(me.tokenId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  }
}
