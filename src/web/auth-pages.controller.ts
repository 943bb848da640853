import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApplicationException } from '../common/errors/application.exception';
import { SESSION_COOKIE } from '../identity/auth.guard';
import { CurrentUser, Principal, Public, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { SsoService } from '../identity/sso.service';
import { ALL_ROLES, TokenKind } from '../identity/user.entity';
import { ViewService } from './view.service';

const LOGIN_NONCE_COOKIE = 'hiring_login';
const SSO_COOKIE = 'hiring_sso';

/**
 * Cookies are `secure` when the request came over TLS (req.secure: X-Forwarded-Proto counts only
 * from a proxy TRUST_PROXY trusts) or when PUBLIC_URL is https (the site is only served over TLS).
 */
export function secureCookies(req: Request, env: Env): boolean {
  return req.secure || (env.PUBLIC_URL ?? '').startsWith('https:');
}

/** Only same-site relative paths are followed after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : '/dashboard';
}

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly sso: SsoService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Public()
  @Get()
  root(@Res() res: Response) {
    res.redirect(302, '/dashboard');
  }

  @Public()
  @Get('login')
  loginPage(@Req() req: Request, @Res() res: Response, @Query('next') next?: string) {
    res.status(200).type('html').setHeader('cache-control', 'no-store');
    res.send(this.views.render('login', { title: 'Sign in', next: safeNext(next), ...this.loginForm(req, res) }));
  }

  /** "Sign in with SSO": off to the OpenID provider (authorization code + PKCE), the round trip's state in a sealed cookie. */
  @Public()
  @Post('login/sso')
  @HttpCode(303)
  async ssoStart(@Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const next = safeNext(body.next);
    const again = (status: number, error: string) =>
      res
        .status(status)
        .type('html')
        .setHeader('cache-control', 'no-store')
        .send(this.views.render('login', { title: 'Sign in', next, error, ...this.loginForm(req, res) }));
    if (!this.sso.enabled) return again(404, 'Single sign-on is not set up here');
    const nonce = (req as Request & { cookies?: Record<string, string> }).cookies?.[LOGIN_NONCE_COOKIE];
    if (!this.identity.verifyLoginCsrf(nonce, body._csrf))
      return again(403, 'This sign-in form has expired or did not come from this site; try again');
    try {
      const { url, cookie } = await this.sso.start(next);
      res.cookie(SSO_COOKIE, cookie, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies(req, this.env),
        maxAge: 10 * 60_000,
        path: '/login/sso',
      });
      res.redirect(303, url);
    } catch (e) {
      again(
        e instanceof ApplicationException ? e.status : 500,
        e instanceof ApplicationException ? e.message : 'Single sign-on failed; try again',
      );
    }
  }

  @Public()
  @Get('login/sso/callback')
  async ssoCallback(@Query() query: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const cookie = (req as Request & { cookies?: Record<string, string> }).cookies?.[SSO_COOKIE];
    res.clearCookie(SSO_COOKIE, { path: '/login/sso' });
    if (!this.sso.enabled)
      return res
        .status(404)
        .type('html')
        .send(
          this.views.render('login', {
            title: 'Sign in',
            next: '/dashboard',
            error: 'Single sign-on is not set up here',
            ...this.loginForm(req, res),
          }),
        );
    try {
      const { accessToken, expiresAt, next } = await this.sso.finish(cookie, query);
      res.cookie(SESSION_COOKIE, accessToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies(req, this.env),
        expires: expiresAt,
        path: '/',
      });
      res.redirect(303, safeNext(next));
    } catch (e) {
      res
        .status(e instanceof ApplicationException ? e.status : 500)
        .type('html')
        .setHeader('cache-control', 'no-store')
        .send(
          this.views.render('login', {
            title: 'Sign in',
            next: '/dashboard',
            error: e instanceof ApplicationException ? e.message : 'Single sign-on failed; try again',
            ...this.loginForm(req, res),
          }),
        );
    }
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const next = safeNext(body.next);
    const again = (status: number, error: string) =>
      res
        .status(status)
        .type('html')
        .setHeader('cache-control', 'no-store')
        .send(this.views.render('login', { title: 'Sign in', next, email: body.email, error, ...this.loginForm(req, res) }));
    const nonce = (req as Request & { cookies?: Record<string, string> }).cookies?.[LOGIN_NONCE_COOKIE];
    if (!this.identity.verifyLoginCsrf(nonce, body._csrf)) {
      return again(403, 'This sign-in form has expired or did not come from this site; enter your e-mail and password again');
    }
    try {
      const { accessToken, expiresAt } = await this.identity.login(
        String(body.email ?? ''),
        String(body.password ?? ''),
        req.ip ?? 'unknown',
        TokenKind.WebSession,
      );
      res.cookie(SESSION_COOKIE, accessToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies(req, this.env),
        expires: expiresAt,
        path: '/',
      });
      res.clearCookie(LOGIN_NONCE_COOKIE, { path: '/login' });
      res.redirect(303, next);
    } catch (e) {
      again(
        e instanceof ApplicationException ? e.status : 500,
        e instanceof ApplicationException ? e.message : 'Sign-in failed; try again',
      );
    }
  }

  /** The sign-in form's CSRF token, bound to a nonce cookie (reused while it lasts, so two tabs both work). */
  private loginForm(req: Request, res: Response): { loginCsrf: string; sso?: { name: string }; ssoOnly: boolean } {
    let nonce = (req as Request & { cookies?: Record<string, string> }).cookies?.[LOGIN_NONCE_COOKIE];
    if (!nonce || !/^[A-Za-z0-9_-]{22,64}$/.test(nonce)) {
      nonce = randomBytes(18).toString('base64url');
      res.cookie(LOGIN_NONCE_COOKIE, nonce, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies(req, this.env),
        maxAge: 2 * 3600_000,
        path: '/login',
      });
    }
    if (this.sso.enabled) this.allowFormRedirectTo(res, this.sso.formTargets());
    return {
      loginCsrf: this.identity.loginCsrfToken(nonce),
      sso: this.sso.enabled ? { name: this.env.OIDC_NAME } : undefined,
      ssoOnly: this.env.SSO_ONLY,
    };
  }

  /**
   * The SSO form posts here and is redirected to the provider: browsers apply CSP form-action to
   * that redirect, so this page's policy names the provider's origin(s) too (and only this page's).
   */
  private allowFormRedirectTo(res: Response, origins: string[]): void {
    const csp = res.getHeader('content-security-policy');
    if (typeof csp !== 'string' || !origins.length) return;
    res.setHeader(
      'content-security-policy',
      csp.replace(/form-action ([^;]*)/, (_m, v: string) => `form-action ${v} ${origins.join(' ')}`),
    );
  }

  @Roles(...ALL_ROLES)
  @Post('logout')
  async logout(@CurrentUser() me: Principal, @Res() res: Response) {
    await this.identity.revokeToken(me.tokenId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  }
}
