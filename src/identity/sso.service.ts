import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { BaseClient, custom, generators, Issuer } from 'openid-client';
import { Repository } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { seal, unseal } from '../integrations/secret-box';
import { rolesFromClaims } from './domain/sso-roles';
import { IdentityService } from './identity.service';
import { TokenKind, User } from './user.entity';

/** What the sign-in round trip keeps in its cookie (sealed): checked when the provider sends the person back. */
interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  exp: number;
}

custom.setHttpOptionsDefaults({ timeout: 10_000 });

/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, S256), through the
 * openid-client library. The provider is found by discovery from OIDC_ISSUER; the person's
 * roles come from one claim (OIDC_ROLE_CLAIM) through OIDC_ROLE_MAP on every sign-in (the
 * provider is the source of truth: a person removed from a group loses the role at their next
 * sign-in). Accounts are made just in time, linked by the provider's subject; an existing
 * account with the same verified e-mail is linked once.
 */
@Injectable()
export class SsoService implements OnModuleInit {
  private readonly logger = new Logger(SsoService.name);
  private client?: Promise<BaseClient>;

  constructor(
    @Inject(ENV) private readonly env: Env,
    private readonly identity: IdentityService,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /** Discover the provider at start-up (in the background; a failure is retried at the first sign-in). */
  onModuleInit(): void {
    if (this.enabled)
      this.getClient().catch((e) =>
        this.logger.warn({ err: (e as Error).message }, 'OpenID provider discovery failed at start-up; retrying at the first sign-in'),
      );
  }

  get enabled(): boolean {
    return !!this.env.OIDC_ISSUER;
  }

  get redirectUri(): string {
    return `${publicUrl(this.env)}/login/sso/callback`;
  }

  private getClient(): Promise<BaseClient> {
    if (!this.client) {
      this.client = Issuer.discover(this.env.OIDC_ISSUER!).then((issuer) => {
        if (issuer.metadata.authorization_endpoint) this.authorizationOrigin = new URL(issuer.metadata.authorization_endpoint).origin;
        return new issuer.Client({
          client_id: this.env.OIDC_CLIENT_ID!,
          client_secret: this.env.OIDC_CLIENT_SECRET!,
          redirect_uris: [this.redirectUri],
          response_types: ['code'],
        });
      });
      // A provider that is down now may be up on the next try: do not keep the failure.
      this.client.catch(() => (this.client = undefined));
    }
    return this.client;
  }

  /** Origins the sign-in form may be redirected to (the issuer's, and its authorization endpoint's once discovered). */
  formTargets(): string[] {
    if (!this.env.OIDC_ISSUER) return [];
    const origins = new Set([new URL(this.env.OIDC_ISSUER).origin]);
    if (this.authorizationOrigin) origins.add(this.authorizationOrigin);
    return [...origins];
  }
  private authorizationOrigin?: string;

  /** The provider's authorization URL and the sealed cookie value holding state, nonce and the PKCE verifier. */
  async start(next: string): Promise<{ url: string; cookie: string }> {
    const client = await this.getClient().catch((e) => {
      this.logger.warn({ err: (e as Error).message }, 'OpenID provider discovery failed');
      throw new ApplicationException(ErrorCode.Unavailable, 'The single sign-on provider cannot be reached; try again in a moment');
    });
    const pending: PendingSignIn = {
      state: generators.state(),
      nonce: generators.nonce(),
      verifier: generators.codeVerifier(),
      next,
      exp: Date.now() + 10 * 60_000,
    };
    const url = client.authorizationUrl({
      scope: this.env.OIDC_SCOPES,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    this.authorizationOrigin = new URL(url).origin;
    return { url, cookie: seal(this.env.SESSION_SECRET, 'oidc-state', JSON.stringify(pending)) };
  }

  /** The provider sent the person back: check the round trip, exchange the code, map roles, sign in. */
  async finish(
    cookie: string | undefined,
    params: Record<string, unknown>,
  ): Promise<{ accessToken: string; expiresAt: Date; next: string; user: User }> {
    let pending: PendingSignIn;
    try {
      pending = JSON.parse(unseal(this.env.SESSION_SECRET, 'oidc-state', String(cookie ?? '')));
    } catch {
      throw new ApplicationException(
        ErrorCode.Forbidden,
        'This sign-in did not start here or took too long; start again from the sign-in page',
      );
    }
    if (pending.exp < Date.now() || params.state !== pending.state) {
      throw new ApplicationException(
        ErrorCode.Forbidden,
        'This sign-in did not start here or took too long; start again from the sign-in page',
      );
    }
    if (typeof params.error === 'string') {
      throw new ApplicationException(
        ErrorCode.Forbidden,
        `The sign-in provider refused: ${String(params.error_description ?? params.error).slice(0, 200)}`,
      );
    }
    const client = await this.getClient();
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.callback(
        this.redirectUri,
        client.callbackParams(`/?${new URLSearchParams(params as Record<string, string>)}`),
        {
          state: pending.state,
          nonce: pending.nonce,
          code_verifier: pending.verifier,
        },
      );
      claims = { ...tokens.claims() };
      if (tokens.access_token && (!claims[this.env.OIDC_ROLE_CLAIM.split('.')[0]] || !claims.email)) {
        // Many providers put groups (and e-mail) only in userinfo.
        claims = { ...(await client.userinfo(tokens.access_token).catch(() => ({}))), ...claims };
      }
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'OpenID sign-in failed at the code exchange');
      throw new ApplicationException(
        ErrorCode.Unauthorized,
        'The sign-in provider’s answer could not be verified; start again from the sign-in page',
      );
    }
    const user = await this.upsertUser(claims);
    const { token, expiresAt } = await this.identity.issueToken(user.id, TokenKind.WebSession);
    return { accessToken: token, expiresAt, next: pending.next, user };
  }

  /** Just-in-time account: found by subject, else by verified e-mail (linked once), else made; roles from the claim. */
  private async upsertUser(claims: Record<string, unknown>): Promise<User> {
    const subject = `${String(claims.iss)}#${String(claims.sub)}`;
    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    const roles = rolesFromClaims(claims, this.env.OIDC_ROLE_CLAIM, this.env.OIDC_ROLE_MAP);
    if (!roles.length) {
      throw new ApplicationException(
        ErrorCode.Forbidden,
        `Your account at the sign-in provider has no role here (claim "${this.env.OIDC_ROLE_CLAIM}" has none of the mapped values); ask an admin to add you to a hiring group`,
      );
    }
    const name = (typeof claims.name === 'string' && claims.name.trim()) || email || String(claims.sub);
    const user = await this.users.manager.transaction(async (m) => {
      let found = await m.findOne(User, { where: { ssoSubject: subject }, lock: { mode: 'pessimistic_write' } });
      if (!found && email && claims.email_verified !== false) {
        found = await m
          .createQueryBuilder(User, 'u')
          .setLock('pessimistic_write')
          .where('lower(u.email) = lower(:email) AND u.sso_subject IS NULL', { email })
          .getOne();
      }
      if (found) {
        if (found.disabledAt) throw new ApplicationException(ErrorCode.Forbidden, 'This account is disabled; ask an admin');
        found.ssoSubject = subject;
        found.roles = roles;
        return m.save(User, found);
      }
      if (!email)
        throw new ApplicationException(ErrorCode.Forbidden, 'The sign-in provider did not share your e-mail address (add the email scope)');
      return m.save(User, m.create(User, { email, name, roles, timezone: 'UTC', passwordHash: '', ssoSubject: subject }));
    });
    this.identity.forgetUser(user.id);
    this.logger.log({ userId: user.id, roles }, 'signed in with single sign-on');
    return user;
  }
}
