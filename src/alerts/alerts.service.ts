import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { teamFilterSql } from '../identity/team-scope';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, ErrorCode, notFound } from '../common/errors/application.exception';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { OutboxService } from '../communications/outbox.service';
import { Opening } from '../openings/opening.entity';
import { EventType, SYSTEM } from '../timeline/timeline.entity';
import { findStage } from '../pipeline/domain/stages';
import { NewEvent, recordEvent, recordEvents } from '../timeline/timeline.repository';
import { Alert } from './alert.entity';
import { AlertsRepository } from './alerts.repository';
import { EventBus, OnTxHook, TxHooks } from '../common/events/event-bus';
import '../pipeline/pipeline.events';
import './alerts.events';
import { measureStaleness } from './domain/stale';
import { withDefaults } from '../inbox/domain/routes';

interface StaleRow {
  id: string;
  stage: string;
  stage_visit: number;
  stage_entered_at: Date;
  opening_id: string;
  stale: number;
  name: string;
}
interface StaleCandidate {
  r: StaleRow;
  opening: Opening;
  level: 'stale' | 'escalated';
  days: number;
  key: string;
}
interface StalePage {
  examined: number;
  toRaise: StaleCandidate[];
  toEscalate: StaleCandidate[];
  lastId: string | null;
}

/**
 * Stale-candidate alerts: one alert to the hiring manager per stage visit once the application
 * has been in its stage staleAfterBusinessDays (opening's time zone), escalated once at twice
 * that; a daily digest e-mail per hiring manager lists the open ones, oldest first.
 */
@Injectable()
export class AlertsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly sweeps: SweepRegistry,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
    private readonly store: AlertsRepository,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.sweeps.register({ name: 'stale-alerts', run: (now) => this.staleSweep(now), concurrent: true });
    // The digest lists the alerts stale-alerts raises: it starts once that task is done, while
    // sla-checkins (which writes nothing it reads) may still run.
    this.sweeps.register({ name: 'stale-digests', run: (now) => this.digests(now), concurrent: true, after: ['stale-alerts'] });
  }

  /** Open alerts about an application that closes are moot (inside its transaction). */
  @OnTxHook('application.closed')
  async onApplicationClosed(m: EntityManager, ctx: TxHooks['application.closed']): Promise<void> {
    await this.store.closeForApplications(m, [ctx.application.id], ctx.now);
  }

  async staleSweep(now: Date): Promise<Record<string, number>> {
    let raised = 0,
      escalated = 0,
      examined = 0;
    const openings = new Map<string, Opening>();
    // Page by page: read and judged (readStalePage), then written in one transaction.
    let next: Promise<StalePage | null> = this.readStalePage('00000000-0000-0000-0000-000000000000', now, openings);
    try {
      for (;;) {
        const page = await next;
        if (!page) break;
        examined += page.examined;
        const { toRaise, toEscalate } = page;
        if (toRaise.length || toEscalate.length) {
          const result = await this.ds.transaction(async (m) => {
            const events: NewEvent[] = [];
            const { raised: raisedN, escalatedKeys } = await this.raiseStale(m, toRaise, now, events);
            const escalatedN =
              escalatedKeys.size +
              (await this.escalateStale(
                m,
                toEscalate.filter((c) => !escalatedKeys.has(c.key)),
                now,
                events,
              ));
            await recordEvents(m, events);
            return { raisedN, escalatedN };
          });
          raised += result.raisedN;
          escalated += result.escalatedN;
        }
        next = page.lastId ? this.readStalePage(page.lastId, now, openings) : Promise.resolve(null);
      }
    } finally {
      await next.catch(() => null);
    }
    return { examined, raised, escalated };
  }

  /** One page of applications that can be stale (after `after`), judged, with what is left to do; `lastId` when more may follow. */
  private async readStalePage(after: string, now: Date, openings: Map<string, Opening>): Promise<StalePage | null> {
    const page = this.env.SWEEP_PAGE_SIZE;
    // Each application is joined to its current stage's threshold (one row per opening and
    // stage); calendar days are a lower bound of business days, so only rows that could be
    // stale come back: one range scan of applications_stage_entered_idx per opening and stage
    // (OFFSET 0 keeps the planner from flattening the lateral subquery into a walk over every
    // active application in id order), minus the visits already escalated, which have nothing
    // left to do. The exact rule runs below.
    const rows: StaleRow[] = await this.ds.query(
      `WITH st AS MATERIALIZED (
         SELECT o.id AS opening_id, s.key, s."staleAfterBusinessDays" AS days, $2::timestamptz - make_interval(days => s."staleAfterBusinessDays") AS cutoff
           FROM openings o CROSS JOIN LATERAL jsonb_to_recordset(o.stages) AS s(key text, "staleAfterBusinessDays" int)),
       page AS (
         SELECT a.*, st.days AS stale
           FROM st CROSS JOIN LATERAL (
                  SELECT a.id, a.stage, a.stage_visit, a.stage_entered_at, a.opening_id, a.candidate_id
                    FROM applications a
                   WHERE a.opening_id = st.opening_id AND a.stage = st.key AND a.status = 'active' AND a.id > $1
                     AND a.stage_entered_at <= st.cutoff
                  OFFSET 0) a
          WHERE NOT EXISTS (SELECT 1 FROM alerts al WHERE al.dedupe_key = 'stale:' || a.id || ':' || a.stage_visit AND al.level = 'escalated')
          ORDER BY a.id LIMIT ${page})
       SELECT page.*, c.name FROM page JOIN candidates c ON c.id = page.candidate_id ORDER BY page.id`,
      [after, now],
    );
    if (!rows.length) return null;
    const missing = [...new Set(rows.map((r) => r.opening_id))].filter((id) => !openings.has(id));
    if (missing.length) for (const o of await this.ds.getRepository(Opening).findBy({ id: In(missing) })) openings.set(o.id, o);
    const candidates: StaleCandidate[] = [];
    for (const r of rows) {
      const opening = openings.get(r.opening_id)!;
      const s = measureStaleness({
        stageEnteredAt: r.stage_entered_at,
        now,
        staleAfterBusinessDays: r.stale,
        tz: opening.timezone,
        holidays: opening.holidays,
      });
      if (s.level !== 'none')
        candidates.push({ r, opening, level: s.level, days: s.businessDaysInStage, key: `stale:${r.id}:${r.stage_visit}` });
    }
    // One query finds the stage visits already alerted (and at which level).
    const existing = new Map<string, string>(
      candidates.length
        ? (await this.ds.query(`SELECT dedupe_key, level FROM alerts WHERE dedupe_key = ANY($1)`, [candidates.map((c) => c.key)])).map(
            (x: { dedupe_key: string; level: string }) => [x.dedupe_key, x.level],
          )
        : [],
    );
    const toRaise = candidates.filter((c) => !existing.has(c.key));
    const toEscalate = candidates.filter((c) => c.level === 'escalated' && existing.get(c.key) !== 'escalated');
    return { examined: rows.length, toRaise, toEscalate, lastId: rows.length < page ? null : rows[rows.length - 1].id };
  }

  /**
   * One alert per stage visit (ON CONFLICT: a concurrent sweep cannot double it). A visit first
   * seen at twice the threshold is inserted already escalated, as raising and then escalating it
   * would leave it, with both events. Adds alert.raised (and alert.escalated) events to `events`;
   * returns the raised count and the keys escalated here.
   */
  private async raiseStale(
    m: EntityManager,
    list: StaleCandidate[],
    now: Date,
    events: NewEvent[],
  ): Promise<{ raised: number; escalatedKeys: Set<string> }> {
    const escalatedKeys = new Set<string>();
    if (!list.length) return { raised: 0, escalatedKeys };
    const inserted = await this.store.insertMany(
      m,
      list.map((c) => ({
        kind: 'stale' as const,
        dedupeKey: c.key,
        recipientId: c.opening.hiringManagerId,
        applicationId: c.r.id,
        openingId: c.opening.id,
        stage: c.r.stage,
        message: c.level === 'escalated' ? escalationMessage(c) : raiseMessage(c),
        data: { stageEnteredAt: c.r.stage_entered_at, stageVisit: c.r.stage_visit },
        escalated: c.level === 'escalated',
      })),
      now,
    );
    const ids = new Map(inserted.map((x) => [x.dedupe_key, x]));
    let raised = 0;
    for (const c of list) {
      const row = ids.get(c.key);
      if (!row) continue;
      ids.delete(c.key);
      raised++;
      const data = { alertId: row.id, kind: 'stale', recipientId: c.opening.hiringManagerId, stage: c.r.stage };
      events.push({ applicationId: c.r.id, type: EventType.AlertRaised, actor: SYSTEM, at: now, data });
      if (row.level === 'escalated') {
        escalatedKeys.add(c.key);
        events.push({ applicationId: c.r.id, type: EventType.AlertEscalated, actor: SYSTEM, at: now, data });
      }
    }
    return { raised, escalatedKeys };
  }

  /**
   * Once per stage visit, at twice the threshold; an acknowledged alert comes back, since it needs
   * attention again. Runs after raiseStale in the same transaction (for visits whose alert existed,
   * or that a concurrent sweep inserted as raised a moment ago). Adds alert.escalated events to `events`.
   */
  private async escalateStale(m: EntityManager, list: StaleCandidate[], now: Date, events: NewEvent[]): Promise<number> {
    if (!list.length) return 0;
    const up = await this.store.escalate(
      m,
      list.map((c) => ({ key: c.key, message: escalationMessage(c) })),
      now,
    );
    const ids = new Map(up.map((x) => [x.dedupe_key, x.id]));
    let escalated = 0;
    for (const c of list) {
      const alertId = ids.get(c.key);
      if (!alertId) continue;
      ids.delete(c.key);
      escalated++;
      events.push({
        applicationId: c.r.id,
        type: EventType.AlertEscalated,
        actor: SYSTEM,
        at: now,
        data: { alertId, kind: 'stale', recipientId: c.opening.hiringManagerId, stage: c.r.stage },
      });
    }
    return escalated;
  }

  /**
   * One digest per hiring manager per local day, listing their open stale alerts oldest first.
   * The managers' keys are checked first, so a manager who already has today's digest costs no
   * rendering; each remaining manager's list is read (and rendered) one manager at a time.
   */
  async digests(now: Date): Promise<Record<string, number>> {
    const managers: Array<{ id: string; name: string; email: string; timezone: string }> = await this.ds.query(
      `SELECT u.id, u.name, u.email, u.timezone FROM users u
        WHERE EXISTS (SELECT 1 FROM alerts al JOIN applications a ON a.id = al.application_id
                       WHERE al.recipient_id = u.id AND al.kind = 'stale' AND al.acknowledged_at IS NULL AND a.status = 'active')
        ORDER BY u.id`,
    );
    const keyOf = (u: (typeof managers)[number]) => `digest:${u.id}:${DateTime.fromJSDate(now, { zone: u.timezone }).toISODate()}`;
    const sentAlready = new Set<string>(
      managers.length
        ? (await this.ds.query(`SELECT idempotency_key AS k FROM messages WHERE idempotency_key = ANY($1)`, [managers.map(keyOf)])).map(
            (x: { k: string }) => x.k,
          )
        : [],
    );
    // Each manager's routes (docs/notification-routes.md): the e-mail digest only while both the
    // digest and stale alerts go to e-mail; the digest to their own Slack/Teams where chosen.
    const routed = new Map<string, { email: boolean; chat: Array<'slack' | 'teams'> }>();
    const routeRows: Array<{ user_id: string; routes: Record<string, unknown>; slack: boolean; teams: boolean }> = managers.length
      ? await this.ds.query(
          `SELECT user_id, routes, slack_url_enc IS NOT NULL AS slack, teams_url_enc IS NOT NULL AS teams FROM notification_routes WHERE user_id = ANY($1)`,
          [managers.map((u) => u.id)],
        )
      : [];
    for (const r of routeRows) {
      const routes = withDefaults(r.routes);
      routed.set(r.user_id, {
        email: routes.digest.includes('email') && routes.stale.includes('email'),
        chat: (['slack', 'teams'] as const).filter((f) => routes.digest.includes(f) && r[f]),
      });
    }
    const routeOf = (u: (typeof managers)[number]) => routed.get(u.id) ?? { email: true, chat: [] };
    let sent = 0;
    let chatDigests = 0;
    const base = publicUrl(this.env);
    for (const manager of managers.filter((u) => (routeOf(u).email && !sentAlready.has(keyOf(u))) || routeOf(u).chat.length)) {
      const rows: Array<{
        application_id: string;
        level: string;
        stage: string;
        stage_entered_at: Date;
        candidate_name: string;
        opening_title: string;
        stage_name: string | null;
        stale: number | null;
        tz: string;
        holidays: string[];
      }> = await this.ds.query(
        `SELECT al.application_id, al.level, al.stage, a.stage_entered_at, c.name AS candidate_name, o.title AS opening_title,
                  s.name AS stage_name, s."staleAfterBusinessDays" AS stale, o.timezone AS tz, o.holidays
             FROM alerts al
             JOIN applications a ON a.id = al.application_id
             JOIN candidates c ON c.id = a.candidate_id
             JOIN openings o ON o.id = al.opening_id
             LEFT JOIN LATERAL (SELECT * FROM jsonb_to_recordset(o.stages) AS s(key text, name text, "staleAfterBusinessDays" int) WHERE s.key = al.stage LIMIT 1) s ON true
            WHERE al.recipient_id = $1 AND al.kind = 'stale' AND al.acknowledged_at IS NULL AND a.status = 'active'
            ORDER BY a.stage_entered_at, al.application_id`,
        [manager.id],
      );
      if (!rows.length) continue;
      const alerts = rows.map((r) => {
        const s = measureStaleness({
          stageEnteredAt: r.stage_entered_at,
          now,
          staleAfterBusinessDays: r.stale ?? 5,
          tz: r.tz,
          holidays: r.holidays,
        });
        return {
          candidateName: r.candidate_name,
          openingTitle: r.opening_title,
          stageName: r.stage_name ?? r.stage,
          days: s.businessDaysInStage,
          escalated: r.level === 'escalated',
          link: `${base}/dashboard/applications/${r.application_id}`,
        };
      });
      const route = routeOf(manager);
      if (route.chat.length) {
        // Announced to the inbox, which queues it for the general worker's chat poller (with its
        // retries): the sweep never waits for a chat.
        const listed = alerts
          .slice(0, 10)
          .map((a) => `${a.candidateName}, ${a.stageName}, ${a.days} business days (${a.openingTitle})${a.escalated ? ', escalated' : ''}`);
        const more = alerts.length > 10 ? `; and ${alerts.length - 10} more` : '';
        const text = `Daily digest: ${alerts.length} candidate${alerts.length === 1 ? '' : 's'} waiting too long: ${listed.join('; ')}${more}.`;
        await this.bus.emit('alerts.digest-composed', {
          userId: manager.id,
          flavors: route.chat,
          dedupeKey: keyOf(manager),
          text: `${text}\n${base}/dashboard\nOpen the dashboard`,
          at: new Date(),
        });
        chatDigests += route.chat.length;
      }
      if (!route.email || sentAlready.has(keyOf(manager))) continue;
      const id = await this.ds.transaction((m) =>
        this.outbox.queue(m, {
          idempotencyKey: keyOf(manager),
          template: 'stale_digest',
          context: {
            manager: { name: manager.name },
            count: alerts.length,
            plural: alerts.length !== 1,
            alerts,
            dashboardUrl: `${base}/dashboard`,
          },
          to: { address: manager.email, name: manager.name },
          recipientUserId: manager.id,
        }),
      );
      if (id) {
        sent++;
        await this.outbox.dispatch([id]);
      }
    }
    return { digests: sent, chatDigests };
  }

  /** `viewer` (not null for non-admins) hides alerts about openings whose team the user has left. */
  async list(userId: string, includeAcknowledged: boolean, viewer: string | null = null) {
    const q = this.ds
      .getRepository(Alert)
      .createQueryBuilder('a')
      .where('a.recipient_id = :u', { u: userId })
      .orderBy('a.created_at', 'ASC')
      .take(500);
    if (viewer) q.andWhere(`(a.opening_id IS NULL OR ${teamFilterSql('a.opening_id', ':viewer')})`, { viewer });
    if (!includeAcknowledged) q.andWhere('a.acknowledged_at IS NULL');
    return (await q.getMany()).map(alertDto);
  }

  async ack(id: string, userId: string, isAdmin: boolean) {
    const alert = await this.ds.getRepository(Alert).findOne({ where: { id } });
    if (!alert || (alert.recipientId !== userId && !isAdmin)) throw notFound('Alert');
    if (alert.acknowledgedAt) return alertDto(alert);
    const now = this.clock.now();
    await this.ds.transaction(async (m) => {
      await m.update(Alert, { id }, { acknowledgedAt: now, acknowledgedBy: userId });
      if (alert.applicationId)
        await recordEvent(m, alert.applicationId, EventType.AlertAcknowledged, { kind: 'user', id: userId }, now, { alertId: id });
    });
    return alertDto({ ...alert, acknowledgedAt: now, acknowledgedBy: userId });
  }

  /** Raise a one-off alert (e.g. a review that cannot be scheduled). */
  async raiseOnce(
    input: {
      kind: Alert['kind'];
      dedupeKey: string;
      recipientId: string;
      applicationId?: string;
      openingId?: string;
      stage?: string;
      message: string;
      data?: Record<string, unknown>;
      level?: 'raised' | 'escalated';
    },
    now = this.clock.now(),
  ): Promise<boolean> {
    if (!input.recipientId) throw new ApplicationException(ErrorCode.Unprocessable, 'alert without recipient');
    return this.ds.transaction(async (m) => {
      const rows = await this.store.insertMany(m, [{ ...input, escalated: input.level === 'escalated' }], now);
      if (rows.length && input.applicationId) {
        await recordEvent(m, input.applicationId, EventType.AlertRaised, { kind: 'system' }, now, {
          alertId: rows[0].id,
          kind: input.kind,
          recipientId: input.recipientId,
          message: input.message,
        });
      }
      return rows.length > 0;
    });
  }

  /**
   * Closes open alerts whose cause went away (a reply answered), in the caller's transaction,
   * with an alert.acknowledged event each (actor: who resolved it). Returns how many.
   */
  async resolve(
    m: EntityManager,
    dedupeKeys: string[],
    actor: { kind: 'user' | 'system'; id?: string | null },
    now = this.clock.now(),
  ): Promise<number> {
    if (!dedupeKeys.length) return 0;
    const rows = await this.store.acknowledgeByKeys(m, dedupeKeys, actor.id ?? null, now);
    await recordEvents(
      m,
      rows
        .filter((r) => r.application_id)
        .map((r) => ({
          applicationId: r.application_id!,
          type: EventType.AlertAcknowledged,
          actor,
          at: now,
          data: { alertId: r.id, resolved: true },
        })),
    );
    return rows.length;
  }
}

function raiseMessage({ r, opening, days }: StaleCandidate): string {
  const stage = findStage(opening.stages, r.stage);
  return `${r.name} has been in ${stage?.name ?? r.stage} for ${days} business days (${opening.title}); the limit is ${stage?.staleAfterBusinessDays}.`;
}

function escalationMessage({ r, opening, days }: StaleCandidate): string {
  return `${r.name} has been in ${findStage(opening.stages, r.stage)?.name ?? r.stage} for ${days} business days (${opening.title}), twice the limit.`;
}

export function alertDto(a: Alert) {
  return {
    id: a.id,
    kind: a.kind,
    level: a.level,
    message: a.message,
    applicationId: a.applicationId,
    openingId: a.openingId,
    stage: a.stage,
    createdAt: a.createdAt,
    escalatedAt: a.escalatedAt,
    acknowledgedAt: a.acknowledgedAt,
    data: a.data,
  };
}
