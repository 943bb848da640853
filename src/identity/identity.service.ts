import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { purposeKey } from '../common/config/keys';
import { Clock } from '../common/clock/clock';
import { ApplicationException, ErrorCode, conflict, notFound } from '../common/errors/application.exception';
import { Principal } from './decorators';
import { refuseAccountChange } from './domain/account-rules';
import { PrincipalCache } from './domain/principal-cache';
import { AuthToken, LoginAttempt, ReviewerProfile, Role, TokenKind, User, WorkingHours } from './user.entity';

export const MAX_FAILURES_PER_MINUTE = 5;
const SESSION_TTL_MS: Record<TokenKind, number> = {
  [TokenKind.ApiSession]: 12 * 3600_000,
  [TokenKind.WebSession]: 12 * 3600_000,
  [TokenKind.ApiToken]: 365 * 24 * 3600_000,
};

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** What a valid token resolves to; cached for AUTH_CACHE_SECONDS (see PrincipalCache). */
interface ResolvedToken {
  tokenId: string;
  kind: TokenKind;
  expiresAt: number;
  userId: string;
  email: string;
  name: string;
  roles: Role[];
  timezone: string;
}
const MAX_CACHED_TOKENS = 10_000;

@Injectable()
export class IdentityService implements OnApplicationBootstrap {
  private readonly logger = new Logger(IdentityService.name);
  /** Token hash -> resolved token; TTL in real (monotonic) time, expiry still checked against the Clock on every hit. */
  private readonly cache: PrincipalCache<ResolvedToken>;
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(AuthToken) private readonly tokens: Repository<AuthToken>,
    @InjectRepository(LoginAttempt) private readonly attempts: Repository<LoginAttempt>,
    @InjectRepository(ReviewerProfile) private readonly profiles: Repository<ReviewerProfile>,
    @Inject(ENV) private readonly env: Env,
    private readonly clock: Clock,
  ) {
    this.cache = new PrincipalCache<ResolvedToken>(env.AUTH_CACHE_SECONDS * 1000, MAX_CACHED_TOKENS, () => performance.now());
  }

  /** The first admin comes from ADMIN_EMAIL/ADMIN_PASSWORD on first start. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.env.ADMIN_EMAIL || !this.env.ADMIN_PASSWORD) return;
    const exists = await this.users.createQueryBuilder('u').where('lower(u.email) = lower(:e)', { e: this.env.ADMIN_EMAIL }).getExists();
    if (exists) return;
    try {
      await this.createUser({
        email: this.env.ADMIN_EMAIL,
        name: 'Administrator',
        password: this.env.ADMIN_PASSWORD,
        roles: [Role.Admin],
        timezone: 'UTC',
      });
      this.logger.log('created the first admin from ADMIN_EMAIL');
    } catch (e) {
      if (!(e instanceof ApplicationException)) throw e; // another replica created it first
    }
  }

  async createUser(input: { email: string; name: string; password: string; roles: Role[]; timezone: string }): Promise<User> {
    const existing = await this.findByEmail(input.email);
    if (existing) throw conflict(`A user with e-mail ${input.email} already exists`, { existingId: existing.id });
    const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
    try {
      const saved = await this.users.save(this.users.create({ ...input, email: input.email.trim(), passwordHash }));
      const { passwordHash: _omit, ...rest } = saved;
      return rest as User;
    } catch (e) {
      if ((e as { driverError?: { code?: string } } | null)?.driverError?.code === '23505')
        throw conflict(`A user with e-mail ${input.email} already exists`);
      throw e;
    }
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email: email.trim() }).getOne();
  }

  async getUser(id: string): Promise<User> {
    const u = await this.users.findOne({ where: { id } });
    if (!u) throw notFound('User');
    return u;
  }

  listUsers(role?: Role): Promise<User[]> {
    const q = this.users.createQueryBuilder('u').orderBy('u.created_at', 'ASC');
    if (role) q.where(':role = ANY(u.roles)', { role });
    return q.getMany();
  }

  /**
   * Verify credentials. Limits, counted in PostgreSQL so every API replica sees the same count:
   * 5 failed sign-ins a minute per account and LOGIN_MAX_FAILURES_PER_ADDRESS (default 50) per
   * client address → 429. Each attempt first takes a slot in both counters with ONE atomic
   * statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING: parallel attempts queue on the row
   * lock, so no burst gets past the limit); a successful sign-in gives its slots back.
   * An unknown or disabled account costs the same argon2 verification as a known one, so the
   * answer's timing does not tell which e-mails have accounts.
   */
  async login(
    email: string,
    password: string,
    ip: string,
    kind: TokenKind = TokenKind.ApiSession,
  ): Promise<{ accessToken: string; user: User; expiresAt: Date }> {
    const user = await this.checkPassword(email, password, ip);
    const { token, expiresAt } = await this.issueToken(user.id, kind);
    return { accessToken: token, user, expiresAt };
  }

  /** The credential check of login() (limits, constant work), without issuing a token. */
  async checkPassword(email: string, password: string, ip: string): Promise<User> {
    if (this.env.SSO_ONLY) {
      throw new ApplicationException(
        ErrorCode.Forbidden,
        'Password sign-in is turned off here (SSO_ONLY); sign in with single sign-on on the sign-in page, or use an API token',
      );
    }
    const now = this.clock.now();
    const normalized = email.trim().toLowerCase();
    const keys = [`a:${normalized}`, `i:${ip}`];
    const counts: Array<{ key: string; failures: number }> = await this.attempts.query(
      `INSERT INTO login_limits (key, window_start, failures) VALUES ($1, $3, 1), ($2, $3, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_limits.window_start <= $3::timestamptz - interval '1 minute' THEN 1 ELSE login_limits.failures + 1 END,
         window_start = CASE WHEN login_limits.window_start <= $3::timestamptz - interval '1 minute' THEN $3::timestamptz ELSE login_limits.window_start END
       RETURNING key, failures`,
      [keys[0], keys[1], now],
    );
    const byAccount = counts.find((c) => c.key === keys[0])?.failures ?? 0;
    const byIp = counts.find((c) => c.key === keys[1])?.failures ?? 0;
    if (Math.random() < 0.01)
      void this.attempts
        .query(`DELETE FROM login_limits WHERE window_start < $1`, [new Date(now.getTime() - 120_000)])
        .catch(() => undefined);
    if (byAccount > MAX_FAILURES_PER_MINUTE || byIp > this.env.LOGIN_MAX_FAILURES_PER_ADDRESS) {
      throw new ApplicationException(ErrorCode.TooManyRequests, 'Too many failed sign-in attempts; wait a minute and try again', {
        retryAfterSeconds: 60,
      });
    }
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = :e', { e: normalized })
      .getOne();
    // Same argon2 work whether or not the account exists, is disabled or has no password (SSO).
    const hash = user?.passwordHash || (await this.dummyHash());
    const verified = await argon2.verify(hash, password).catch(() => false);
    const ok = !!user && !!user.passwordHash && !user.disabledAt && verified;
    await this.attempts.insert({ at: now, email: normalized, ip, success: ok });
    if (!ok || !user) throw new ApplicationException(ErrorCode.Unauthorized, 'Wrong e-mail or password');
    // A success is not a failure: give back the slots this attempt took.
    await this.attempts.query(`UPDATE login_limits SET failures = greatest(failures - 1, 0) WHERE key = ANY($1::text[])`, [keys]);
    const { passwordHash: _omit, ...rest } = user;
    return rest as User;
  }

  private dummy?: Promise<string>;
  /** An argon2id hash of a random password with the same parameters as real ones (made once per process). */
  private dummyHash(): Promise<string> {
    this.dummy ??= argon2.hash(randomBytes(16).toString('hex'), { type: argon2.argon2id });
    return this.dummy;
  }

  async issueToken(userId: string, kind: TokenKind, name?: string): Promise<{ token: string; id: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + SESSION_TTL_MS[kind]);
    const row = await this.tokens.save(this.tokens.create({ userId, tokenHash: sha256(token), kind, name: name ?? null, expiresAt }));
    return { token, id: row.id, expiresAt };
  }

  /** Revoke a token; this process stops accepting it at once (other replicas within AUTH_CACHE_SECONDS). */
  async revokeToken(tokenId: string): Promise<void> {
    this.cache.forgetToken(tokenId);
    await this.tokens.update({ id: tokenId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    this.cache.forgetToken(tokenId);
  }

  /**
   * An admin changes an account (name, roles, time zone, disabled). The rules are in
   * domain/account-rules.ts. Serialized against other admin changes by locking the active admins'
   * rows, so two admins demoting each other at once cannot leave none. Disabling revokes every
   * session and API token of the account (re-enabling does not bring them back).
   */
  async updateUser(
    actorId: string,
    id: string,
    dto: { name?: string; roles?: Role[]; timezone?: string; disabled?: boolean },
  ): Promise<User> {
    const user = await this.users.manager.transaction(async (m) => {
      const admins: Array<{ id: string }> = await m.query(
        `SELECT id FROM users WHERE 'admin' = ANY(roles) AND disabled_at IS NULL ORDER BY id FOR UPDATE`,
      );
      const found = await m.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw notFound('User');
      const next = { roles: dto.roles ?? found.roles, disabled: dto.disabled ?? !!found.disabledAt };
      const owned: Array<{ id: string; title: string; manages: boolean; recruits: boolean }> = await m.query(
        `SELECT id, title, hiring_manager_id = $1 AS manages, recruiter_id = $1 AS recruits FROM openings
          WHERE closed_at IS NULL AND (hiring_manager_id = $1 OR recruiter_id = $1) ORDER BY created_at, id`,
        [id],
      );
      const refused = refuseAccountChange({
        actorId,
        user: { id, roles: found.roles, disabled: !!found.disabledAt },
        next,
        otherActiveAdmins: admins.filter((a) => a.id !== id).length,
        ownedOpenings: owned,
      });
      if (refused)
        throw conflict(refused.reason, {
          reason: refused.code,
          ...(refused.code === 'OWNS_OPENINGS' ? { openings: refused.openings } : {}),
        });
      const now = this.clock.now();
      if (next.disabled && !found.disabledAt) {
        await m.query(`UPDATE auth_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [id, now]);
      }
      found.name = dto.name?.trim() ?? found.name;
      found.roles = [...next.roles];
      found.timezone = dto.timezone ?? found.timezone;
      found.disabledAt = next.disabled ? (found.disabledAt ?? now) : null;
      return m.save(User, found);
    });
    this.forgetUser(id);
    return user;
  }

  /** The caller's own tokens that still work (sessions and API tokens), newest first. Never the token itself. */
  async listTokens(userId: string): Promise<AuthToken[]> {
    return this.tokens
      .createQueryBuilder('t')
      .where('t.user_id = :userId AND t.revoked_at IS NULL AND t.expires_at > :now', { userId, now: this.clock.now() })
      .orderBy('t.created_at', 'DESC')
      .getMany();
  }

  /** Revoke one of the caller's own tokens (404 for anyone else's, so ids reveal nothing). */
  async revokeOwnToken(userId: string, tokenId: string): Promise<void> {
    const token = await this.tokens.findOne({ where: { id: tokenId, userId } });
    if (!token) throw notFound('Token');
    await this.revokeToken(tokenId);
  }

  /**
   * Call after changing a user's roles, profile or disabled state, so this process re-reads their
   * tokens on the next request (other replicas do within AUTH_CACHE_SECONDS).
   */
  forgetUser(userId: string): void {
    this.cache.forgetUser(userId);
  }

  /**
   * Resolve a bearer or cookie token to a principal, or null. Tokens are stored as SHA-256 only.
   * One query (token joined to its user) on a miss; a valid result is reused for up to
   * AUTH_CACHE_SECONDS. Unknown, revoked or disabled results are never cached.
   */
  async authenticate(token: string, via: 'bearer' | 'cookie'): Promise<Principal | null> {
    return this.authenticateNow(token, via);
  }

  /**
   * authenticate(), answering at once (no promise) when the token's result is cached: what the
   * AuthGuard calls on every request (issue 25: a promise and its await per request fewer).
   */
  authenticateNow(token: string, via: 'bearer' | 'cookie'): Principal | null | Promise<Principal | null> {
    if (!token || token.length > 200) return null;
    const hash = sha256(token);
    const t = this.cache.get(hash);
    return t ? this.principalOf(t, via) : this.lookUp(hash, via);
  }

  private async lookUp(hash: string, via: 'bearer' | 'cookie'): Promise<Principal | null> {
    const readAt = this.cache.generation();
    const rows: Array<{
      id: string;
      kind: TokenKind;
      expires_at: Date;
      revoked_at: Date | null;
      user_id: string;
      email: string;
      name: string;
      roles: Role[];
      timezone: string;
      disabled_at: Date | null;
    }> = await this.tokens.query(
      `SELECT t.id, t.kind, t.expires_at, t.revoked_at, u.id AS user_id, u.email, u.name, u.roles, u.timezone, u.disabled_at
         FROM auth_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [hash],
    );
    const r = rows[0];
    if (!r || r.revoked_at || r.disabled_at) return null;
    const t: ResolvedToken = {
      tokenId: r.id,
      kind: r.kind,
      expiresAt: new Date(r.expires_at).getTime(),
      userId: r.user_id,
      email: r.email,
      name: r.name,
      roles: r.roles,
      timezone: r.timezone,
    };
    this.cache.set(hash, t, readAt);
    return this.principalOf(t, via);
  }

  private principalOf(t: ResolvedToken, via: 'bearer' | 'cookie'): Principal | null {
    if (t.expiresAt <= this.clock.now().getTime()) return null;
    if (via === 'cookie' && t.kind !== TokenKind.WebSession) return null;
    if (via === 'bearer' && t.kind === TokenKind.WebSession) return null;
    return {
      id: t.userId,
      email: t.email,
      name: t.name,
      roles: [...t.roles],
      timezone: t.timezone,
      tokenId: t.tokenId,
      via,
      tokenKind: t.kind,
    };
  }

  /** CSRF token for cookie-authenticated forms: an HMAC of the session id (synchronizer token). */
  csrfToken(sessionTokenId: string): string {
    return createHmac('sha256', purposeKey(this.env.SESSION_SECRET, 'csrf')).update(`csrf:${sessionTokenId}`).digest('base64url');
  }

  /**
   * The sign-in form's CSRF token (login CSRF: a forged form must not sign a victim into the
   * attacker's account). Bound to a random nonce in a cookie the login page sets.
   */
  loginCsrfToken(nonce: string): string {
    return createHmac('sha256', purposeKey(this.env.SESSION_SECRET, 'login-csrf')).update(`login:${nonce}`).digest('base64url');
  }

  verifyLoginCsrf(nonce: unknown, given: unknown): boolean {
    if (typeof nonce !== 'string' || nonce.length < 16 || nonce.length > 100 || typeof given !== 'string') return false;
    const a = Buffer.from(this.loginCsrfToken(nonce));
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  verifyCsrf(sessionTokenId: string, given: unknown): boolean {
    if (typeof given !== 'string') return false;
    const a = Buffer.from(this.csrfToken(sessionTokenId));
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async putReviewerProfile(
    userId: string,
    input: { languages: string[]; timezone: string; workingHours: WorkingHours; meetingUrl?: string | null },
  ): Promise<ReviewerProfile> {
    const user = await this.getUser(userId);
    if (!user.roles.includes(Role.Engineer)) {
      throw new ApplicationException(
        ErrorCode.Unprocessable,
        'Only engineers can have a reviewer profile; give the user the engineer role first',
      );
    }
    const languages = [...new Set(input.languages.map((l) => l.trim().toLowerCase()))];
    const meetingUrl = input.meetingUrl === undefined ? undefined : input.meetingUrl?.trim() || null;
    await this.profiles.upsert(
      {
        userId,
        languages,
        timezone: input.timezone,
        workingHours: input.workingHours,
        ...(meetingUrl === undefined ? {} : { meetingUrl }),
      },
      ['userId'],
    );
    return this.profiles.findOneByOrFail({ userId });
  }

  /** A reviewer profile, or null when the user has none. */
  reviewerProfile(userId: string): Promise<ReviewerProfile | null> {
    return this.profiles.findOneBy({ userId });
  }

  /** Every reviewer profile, by user id. */
  async reviewerProfiles(): Promise<Map<string, ReviewerProfile>> {
    return new Map((await this.profiles.find()).map((p) => [p.userId, p]));
  }
}
