import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { badRequest, notFound } from '../common/errors/application.exception';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { parseTargetUrl } from '../integrations/domain/address-policy';
import { seal, unseal } from '../integrations/secret-box';
import { SettingsService } from '../integrations/settings.service';
import { expandBusyIsolated } from './busy-worker';
import { CalDavClient, fetchIcsFeed } from './caldav-client';
import { CalendarAccessError, CalendarHttpOptions } from './calendar-http';
import { CALENDARS_CONFIG, CalendarsConfig } from './calendars.config';
import { BusyInterval, CalendarDataError, platformUidPattern } from './domain/busy-expansion';
import { buildStoredEvent, StoredEventInput } from './domain/stored-event';

export type CalendarKind = 'caldav' | 'ics';

interface ConnectionRow {
  user_id: string;
  kind: CalendarKind;
  url_sealed: string;
  url_display: string;
  username: string | null;
  secret_sealed: string | null;
  calendar_urls: string[];
  status: 'pending' | 'ok' | 'error';
  last_synced_at: Date | null;
  last_attempt_at: Date | null;
  last_error: string | null;
  error_since: Date | null;
  busy_from: Date | null;
  busy_to: Date | null;
}

export interface CalendarView {
  kind: CalendarKind;
  url: string;
  username: string | null;
  status: 'ok' | 'error';
  /** ok but not read within the freshness bound: treated like an error for booking. */
  stale: boolean;
  lastSyncedAt: Date | null;
  lastAttemptAt: Date | null;
  error?: string;
  calendars: number;
}

/** Why a person may not be offered or booked now. */
export interface CalendarProblem {
  userId: string;
  message: string;
}

const PURPOSE = 'calendar-credentials' as const;

/** SQL: the zone a person's calendar is read in (all-day and floating times): their reviewer profile's, else their account's (`u` is users). */
const OWNER_ZONE = `COALESCE((SELECT p.timezone FROM reviewer_profiles p WHERE p.user_id = u.id), u.timezone, 'UTC')`;

/** The platform_settings key of the scheduling setting (written through SettingsService, the table's owner). */
export const SCHEDULING_SETTING = 'scheduling.self_schedule';

interface StoredScheduling {
  /** Candidates choose their code-review time (offers first; automatic booking is the fallback). */
  selfScheduleOffers: boolean;
  /** Business days (in the candidate's zone) an offer stays open. */
  offerDays: number;
  /** Unanswered offers before the review is booked automatically. */
  offerRounds: number;
  /** Candidates may move or cancel until this many hours before the review. */
  noticeHours: number;
}

export interface SchedulingSettings extends StoredScheduling {
  /** `setting`: an admin saved it; `environment`: the server's configuration (nobody saved one yet). */
  source: 'setting' | 'environment';
  updatedAt: string | null;
}

/** The URL shown back: a CalDAV URL without its query; an ICS feed's secret address cut to its host. */
function displayUrl(kind: CalendarKind, url: URL): string {
  if (kind === 'ics') return `${url.protocol}//${url.host}/… (address hidden)`;
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Connected calendars: one per staff user, CalDAV or a secret ICS address. Each sync reads the
 * busy times in [now - 1 day, now + horizon] and replaces the stored ones, or records the error;
 * a calendar not read successfully within the freshness bound makes its owner unbookable (the
 * schedulers ask `problems()`), never free. Write-back of the platform's own sessions is queued in
 * the booking transaction and sent after commit, retried by the sweep.
 */
@Injectable()
export class CalendarsService implements OnModuleInit {
  private readonly logger = new Logger(CalendarsService.name);
  private readonly inFlight = new Map<string, Promise<CalendarView>>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CALENDARS_CONFIG) private readonly cfg: CalendarsConfig,
    @Inject(ENV) private readonly env: Env,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly sweeps: SweepRegistry,
    private readonly alerts: AlertsService,
  ) {}

  onModuleInit(): void {
    this.sweeps.register({
      name: 'calendars',
      run: async (now) => {
        const synced = await this.refreshDue(now, null);
        const written = await this.flushWriteBacks(null);
        return { synced, written };
      },
    });
  }

  /**
   * The scheduling setting now: what an admin saved (`PUT /settings/scheduling`, kept in
   * platform_settings through the integrations' SettingsService), else the environment
   * (SELF_SCHEDULE_OFFERS, _OFFER_DAYS, _OFFER_ROUNDS, SELF_SCHEDULE_NOTICE_HOURS). Read from the
   * database on every call, so every process sees a change at once, without a restart.
   */
  async scheduling(m: EntityManager | DataSource = this.ds): Promise<SchedulingSettings> {
    // Read through the caller's transaction where there is one (SettingsService, the table's owner, writes it).
    const [row]: Array<{ value: Partial<StoredScheduling> }> = await m.query(`SELECT value FROM platform_settings WHERE key = $1`, [
      SCHEDULING_SETTING,
    ]);
    const stored = row?.value;
    const env = this.envScheduling();
    if (!stored || typeof stored !== 'object') return { ...env, source: 'environment', updatedAt: null };
    const pick = (k: keyof StoredScheduling, ok: (v: unknown) => boolean) => (ok(stored[k]) ? stored[k] : env[k]);
    const intIn = (min: number, max: number) => (v: unknown) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
    return {
      selfScheduleOffers: pick('selfScheduleOffers', (v) => typeof v === 'boolean') as boolean,
      offerDays: pick('offerDays', intIn(1, 30)) as number,
      offerRounds: pick('offerRounds', intIn(1, 10)) as number,
      noticeHours: pick('noticeHours', intIn(0, 24 * 14)) as number,
      source: 'setting',
      updatedAt: typeof (stored as { updatedAt?: unknown }).updatedAt === 'string' ? (stored as { updatedAt: string }).updatedAt : null,
    };
  }

  private envScheduling(): StoredScheduling {
    return {
      selfScheduleOffers: this.cfg.SELF_SCHEDULE_OFFERS === 'on',
      offerDays: this.cfg.SELF_SCHEDULE_OFFER_DAYS,
      offerRounds: this.cfg.SELF_SCHEDULE_OFFER_ROUNDS,
      noticeHours: this.cfg.SELF_SCHEDULE_NOTICE_HOURS,
    };
  }

  /** Saves the scheduling setting (fields left out keep their current value); the range checks are the DTO's. */
  async saveScheduling(change: Partial<StoredScheduling>, userId: string | null): Promise<SchedulingSettings> {
    const current = await this.scheduling();
    const next: StoredScheduling & { updatedAt: string } = {
      selfScheduleOffers: change.selfScheduleOffers ?? current.selfScheduleOffers,
      offerDays: change.offerDays ?? current.offerDays,
      offerRounds: change.offerRounds ?? current.offerRounds,
      noticeHours: change.noticeHours ?? current.noticeHours,
      updatedAt: this.clock.now().toISOString(),
    };
    await this.settings.set(SCHEDULING_SETTING, next, userId);
    return this.scheduling();
  }

  get freshnessMs(): number {
    return this.cfg.CALENDAR_FRESHNESS_MINUTES * 60_000;
  }

  private async http(): Promise<CalendarHttpOptions> {
    return {
      allowPrivate: await this.settings.allowPrivateTargets(),
      timeoutMs: this.cfg.CALENDAR_TIMEOUT_MS,
      maxBytes: this.cfg.CALENDAR_MAX_BYTES,
    };
  }

  private async row(userId: string, m: EntityManager | DataSource = this.ds): Promise<ConnectionRow | null> {
    const [r] = await m.query(`SELECT * FROM calendar_connections WHERE user_id = $1`, [userId]);
    return r ?? null;
  }

  private view(r: ConnectionRow, now = this.clock.now()): CalendarView {
    const stale = r.status === 'ok' && (!r.last_synced_at || now.getTime() - new Date(r.last_synced_at).getTime() > this.freshnessMs);
    return {
      kind: r.kind,
      url: r.url_display,
      username: r.username,
      status: r.status === 'ok' ? 'ok' : 'error',
      stale,
      lastSyncedAt: r.last_synced_at,
      lastAttemptAt: r.last_attempt_at,
      ...(r.status !== 'ok' ? { error: r.last_error ?? 'not read yet' } : stale ? { error: 'not read within the freshness bound' } : {}),
      calendars: r.calendar_urls?.length ?? 0,
    };
  }

  async get(userId: string): Promise<CalendarView> {
    const r = await this.row(userId);
    if (!r) throw notFound('Calendar');
    return this.view(r);
  }

  /** Connects (or replaces) a user's calendar and reads it at once; an unreadable one is stored in the error state and said so. */
  async connect(userId: string, dto: { kind: CalendarKind; url: string; username?: string; password?: string }): Promise<CalendarView> {
    const raw = dto.kind === 'ics' ? dto.url.trim().replace(/^webcals?:\/\//i, 'https://') : dto.url.trim();
    const t = parseTargetUrl(raw);
    if (!t.ok) throw badRequest(t.reason, { fields: [{ field: 'url', errors: [t.reason] }] });
    if (t.url.username || t.url.password)
      throw badRequest('url must not contain a user name or password; send them as username and password', {
        fields: [{ field: 'url', errors: ['credentials in the URL'] }],
      });
    if (dto.kind === 'ics' && (dto.username || dto.password))
      throw badRequest('an ICS feed takes no username or password: its secret address is the credential');
    if (dto.username && !dto.password) throw badRequest('username needs a password (or an app password)');
    const [user] = await this.ds.query(`SELECT id FROM users WHERE id = $1`, [userId]);
    if (!user) throw notFound('User');
    const now = this.clock.now();
    const secret = this.env.SESSION_SECRET;
    await this.ds.query(
      `INSERT INTO calendar_connections (user_id, kind, url_sealed, url_display, username, secret_sealed, calendar_urls, status,
                                         last_synced_at, last_attempt_at, last_error, error_since, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, '[]', 'pending', NULL, NULL, NULL, NULL, $7, $7)
       ON CONFLICT (user_id) DO UPDATE SET kind = EXCLUDED.kind, url_sealed = EXCLUDED.url_sealed, url_display = EXCLUDED.url_display,
         username = EXCLUDED.username, secret_sealed = EXCLUDED.secret_sealed, calendar_urls = '[]', status = 'pending',
         last_synced_at = NULL, last_attempt_at = NULL, last_error = NULL, error_since = NULL, updated_at = EXCLUDED.updated_at`,
      [
        userId,
        dto.kind,
        seal(secret, PURPOSE, t.url.toString()),
        displayUrl(dto.kind, t.url),
        dto.username ?? null,
        dto.password ? seal(secret, PURPOSE, dto.password) : null,
        now,
      ],
    );
    await this.ds.query(`DELETE FROM calendar_busy WHERE user_id = $1`, [userId]);
    return this.sync(userId);
  }

  async disconnect(userId: string): Promise<void> {
    if (!(await this.row(userId))) throw notFound('Calendar');
    await this.ds.query(`DELETE FROM calendar_connections WHERE user_id = $1`, [userId]);
  }

  /** Reads the calendar now (one read per user at a time in this process). */
  sync(userId: string): Promise<CalendarView> {
    const running = this.inFlight.get(userId);
    if (running) return running;
    const p = this.doSync(userId).finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, p);
    return p;
  }

  private async doSync(userId: string): Promise<CalendarView> {
    const r = await this.row(userId);
    if (!r) throw notFound('Calendar');
    const now = this.clock.now();
    const from = new Date(now.getTime() - 86_400_000);
    const to = new Date(now.getTime() + this.cfg.CALENDAR_HORIZON_DAYS * 86_400_000);
    try {
      const secret = this.env.SESSION_SECRET;
      let url: string;
      let password: string | null;
      try {
        url = unseal(secret, PURPOSE, r.url_sealed);
        password = r.secret_sealed ? unseal(secret, PURPOSE, r.secret_sealed) : null;
      } catch {
        throw new CalendarAccessError(
          'the stored calendar address cannot be decrypted (was SESSION_SECRET changed?); connect the calendar again',
        );
      }
      const http = await this.http();
      // All-day and floating events are read in the person's working zone (their reviewer profile's, else their own).
      const [{ timezone }] = await this.ds.query(`SELECT ${OWNER_ZONE} AS timezone FROM users u WHERE u.id = $1`, [userId]);
      const zone: string = timezone || 'UTC';
      const ignore: Array<{ uid: string }> = await this.ds.query(`SELECT uid FROM calendar_writebacks WHERE user_id = $1`, [userId]);
      let texts: string[];
      const freeBusy: Array<{ startsAt: Date; endsAt: Date }> = [];
      let calendars: string[] = r.calendar_urls ?? [];
      if (r.kind === 'ics') {
        texts = [await fetchIcsFeed(url, http)];
        calendars = [url];
      } else {
        const client = new CalDavClient({ username: r.username, password }, http);
        if (!calendars.length) calendars = await client.discover(url);
        texts = [];
        for (const c of calendars) {
          // free-busy-query where asked for and answered (the server expands); else the events themselves.
          const fb = this.cfg.CALDAV_FREE_BUSY === 'on' ? await client.freeBusy(c, from, to) : null;
          if (fb) freeBusy.push(...fb);
          else texts.push(...(await client.events(c, from, to)));
        }
      }
      const expanded = texts.length
        ? await expandBusyIsolated({
            calendars: texts,
            from,
            to,
            zone,
            ignoreUids: new Set(ignore.map((x) => x.uid)),
            ignoreUidPattern: platformUidPattern(publicUrl(this.env)),
          })
        : [];
      const busy = [...expanded, ...freeBusy];
      await this.ds.transaction(async (m) => {
        await m.query(`DELETE FROM calendar_busy WHERE user_id = $1`, [userId]);
        for (let i = 0; i < busy.length; i += 500) {
          const chunk = busy.slice(i, i + 500);
          await m.query(
            `INSERT INTO calendar_busy (user_id, starts_at, ends_at) SELECT $1, s, e FROM unnest($2::timestamptz[], $3::timestamptz[]) AS t(s, e)`,
            [userId, chunk.map((b) => b.startsAt), chunk.map((b) => b.endsAt)],
          );
        }
        await m.query(
          `UPDATE calendar_connections SET status = 'ok', calendar_urls = $2, last_synced_at = $3, last_attempt_at = $3, last_error = NULL,
                  error_since = NULL, busy_from = $4, busy_to = $5, busy_zone = $6, updated_at = $3 WHERE user_id = $1`,
          [userId, JSON.stringify(calendars), now, from, to, zone],
        );
      });
    } catch (e) {
      if (!(e instanceof CalendarAccessError || e instanceof CalendarDataError))
        this.logger.error({ err: e, userId }, 'calendar sync failed');
      const message =
        e instanceof CalendarAccessError || e instanceof CalendarDataError ? e.message : `unexpected error: ${(e as Error).message}`;
      await this.ds.query(
        `UPDATE calendar_connections SET status = 'error', last_attempt_at = $2, last_error = $3,
                error_since = COALESCE(error_since, $2), updated_at = $2 WHERE user_id = $1`,
        [userId, now, message.slice(0, 1000)],
      );
      this.logger.warn({ userId, error: message }, 'calendar unreadable');
      // The owner hears once per outage (the recruiter sees it where a booking fails and on the person's busy view).
      const [{ error_since }] = await this.ds.query(`SELECT error_since FROM calendar_connections WHERE user_id = $1`, [userId]);
      await this.alerts
        .raiseOnce(
          {
            kind: 'calendar_unreadable',
            dedupeKey: `calendar-unreadable:${userId}:${new Date(error_since).toISOString()}`,
            recipientId: userId,
            message: `Your calendar cannot be read, so you are not offered for reviews or interviews until it can: ${message.slice(0, 400)}`,
            data: { error: message.slice(0, 1000) },
          },
          now,
        )
        .catch((err) => this.logger.warn({ err, userId }, 'calendar alert failed'));
    }
    return this.view((await this.row(userId))!, now);
  }

  /** Reads every calendar (or those of `userIds`) not read successfully within half the freshness bound; returns how many were read. */
  async refreshDue(now: Date, userIds: string[] | null): Promise<number> {
    const due: Array<{ user_id: string }> = await this.ds.query(
      `SELECT c.user_id FROM calendar_connections c JOIN users u ON u.id = c.user_id
        WHERE (c.last_attempt_at IS NULL OR c.last_attempt_at < $1 OR c.last_synced_at IS NULL OR c.last_synced_at < $1
               -- the owner's zone changed since the last read (all-day events were whole days of the old one); once a minute at most
               OR (c.busy_zone IS DISTINCT FROM ${OWNER_ZONE} AND c.last_attempt_at < $3))
          AND ($2::uuid[] IS NULL OR c.user_id = ANY($2::uuid[]))
        ORDER BY c.last_attempt_at NULLS FIRST LIMIT 200`,
      [new Date(now.getTime() - this.freshnessMs / 2), userIds, new Date(now.getTime() - 60_000)],
    );
    let n = 0;
    const queue = [...due];
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          await this.sync(next.user_id);
          n += 1;
        }
      }),
    );
    return n;
  }

  /**
   * People (of `userIds`, or everyone with a calendar) who may not be offered or booked at `now`:
   * their calendar is in error, never read, or last read beyond the freshness bound.
   */
  async problems(m: EntityManager | DataSource, userIds: string[] | null, now: Date): Promise<CalendarProblem[]> {
    const rows: ConnectionRow[] = await m.query(
      `SELECT * FROM calendar_connections WHERE ($1::uuid[] IS NULL OR user_id = ANY($1::uuid[]))`,
      [userIds],
    );
    const out: CalendarProblem[] = [];
    for (const r of rows) {
      const v = this.view(r, now);
      if (v.status === 'error' || v.stale) {
        const since = r.last_synced_at
          ? `last read ${new Date(r.last_synced_at).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z')}`
          : 'never read';
        out.push({ userId: r.user_id, message: `their calendar cannot be read (${v.error}; ${since})` });
      }
    }
    return out;
  }

  /** Calendar busy intervals of `userIds` (null: everyone) overlapping [from, to). */
  async busy(
    m: EntityManager | DataSource,
    userIds: string[] | null,
    from: Date,
    to: Date,
  ): Promise<Array<BusyInterval & { userId: string }>> {
    const rows: Array<{ user_id: string; starts_at: Date; ends_at: Date }> = await m.query(
      `SELECT user_id, starts_at, ends_at FROM calendar_busy
        WHERE ($1::uuid[] IS NULL OR user_id = ANY($1::uuid[])) AND ends_at > $2 AND starts_at < $3 ORDER BY starts_at`,
      [userIds, from, to],
    );
    return rows.map((r) => ({ userId: r.user_id, startsAt: new Date(r.starts_at), endsAt: new Date(r.ends_at) }));
  }

  /**
   * Queues the platform's event into each person's CalDAV calendar (in the booking transaction);
   * `cancel` queues its removal. Sent by flushWriteBacks after commit and retried by the sweep.
   */
  async queueWriteBack(
    m: EntityManager,
    input: { userIds: string[]; sessionKind: 'review' | 'interview'; sessionId: string; cancel: boolean; event: StoredEventInput },
  ): Promise<string[]> {
    const connected: Array<{ user_id: string }> = await m.query(
      `SELECT user_id FROM calendar_connections WHERE kind = 'caldav' AND user_id = ANY($1::uuid[])`,
      [input.userIds],
    );
    const now = this.clock.now();
    const ics = input.cancel ? null : buildStoredEvent(input.event);
    for (const { user_id } of connected) {
      await m.query(
        `INSERT INTO calendar_writebacks (user_id, uid, session_kind, session_id, href, state, ics, attempts, last_error, updated_at)
         VALUES ($1, $2, $3, $4, NULL, $5, $6, 0, NULL, $7)
         ON CONFLICT (user_id, uid) DO UPDATE SET state = EXCLUDED.state, ics = COALESCE(EXCLUDED.ics, calendar_writebacks.ics),
           attempts = 0, last_error = NULL, updated_at = EXCLUDED.updated_at`,
        [user_id, input.event.uid, input.sessionKind, input.sessionId, input.cancel ? 'removing' : 'pending', ics, now],
      );
    }
    // People who left the session (a reassigned review): their copy is removed.
    await m.query(
      `UPDATE calendar_writebacks SET state = 'removing', attempts = 0, updated_at = $3
        WHERE uid = $1 AND NOT (user_id = ANY($2::uuid[])) AND state IN ('pending', 'written', 'failed')`,
      [input.event.uid, input.userIds, now],
    );
    return [input.event.uid];
  }

  /** Sends queued write-backs (of `uids`, or all due); a failure stays queued with its error, up to 10 attempts. */
  async flushWriteBacks(uids: string[] | null): Promise<number> {
    const due: Array<{ user_id: string; uid: string; state: string; href: string | null; ics: string | null; attempts: number }> =
      await this.ds.query(
        `SELECT user_id, uid, state, href, ics, attempts FROM calendar_writebacks
        WHERE state IN ('pending', 'removing') AND attempts < 10 AND ($1::text[] IS NULL OR uid = ANY($1::text[])) LIMIT 200`,
        [uids],
      );
    let n = 0;
    for (const w of due) {
      const r = await this.row(w.user_id);
      const now = this.clock.now();
      try {
        if (!r || r.kind !== 'caldav') {
          await this.ds.query(`UPDATE calendar_writebacks SET state = 'removed', updated_at = $3 WHERE user_id = $1 AND uid = $2`, [
            w.user_id,
            w.uid,
            now,
          ]);
          continue;
        }
        const secret = this.env.SESSION_SECRET;
        const client = new CalDavClient(
          { username: r.username, password: r.secret_sealed ? unseal(secret, PURPOSE, r.secret_sealed) : null },
          await this.http(),
        );
        if (w.state === 'removing') {
          if (w.href) await client.remove(w.href);
          await this.ds.query(
            `UPDATE calendar_writebacks SET state = 'removed', last_error = NULL, updated_at = $3 WHERE user_id = $1 AND uid = $2 AND state = 'removing'`,
            [w.user_id, w.uid, now],
          );
        } else {
          let target = r.calendar_urls?.[0];
          if (!target) target = (await client.discover(unseal(secret, PURPOSE, r.url_sealed)))[0];
          const href = await client.put(target, w.uid, w.ics!);
          await this.ds.query(
            `UPDATE calendar_writebacks SET state = 'written', href = $3, last_error = NULL, updated_at = $4 WHERE user_id = $1 AND uid = $2 AND state = 'pending'`,
            [w.user_id, w.uid, href, now],
          );
        }
        n += 1;
      } catch (e) {
        const message = (e as Error).message.slice(0, 1000);
        this.logger.warn({ userId: w.user_id, uid: w.uid, error: message }, 'calendar write-back failed');
        await this.ds.query(
          `UPDATE calendar_writebacks SET attempts = attempts + 1, last_error = $3, state = CASE WHEN attempts + 1 >= 10 THEN 'failed' ELSE state END,
                  updated_at = $4 WHERE user_id = $1 AND uid = $2`,
          [w.user_id, w.uid, `could not write to the calendar: ${message}`, now],
        );
      }
    }
    return n;
  }

  /** Write-backs of one user that failed last time (shown on their calendar settings). */
  async writeBackErrors(userId: string): Promise<Array<{ uid: string; error: string; at: Date }>> {
    const rows: Array<{ uid: string; last_error: string; updated_at: Date }> = await this.ds.query(
      `SELECT uid, last_error, updated_at FROM calendar_writebacks WHERE user_id = $1 AND last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 20`,
      [userId],
    );
    return rows.map((r) => ({ uid: r.uid, error: r.last_error, at: r.updated_at }));
  }
}
