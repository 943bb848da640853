import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, ErrorCode, notFound } from '../common/errors/application.exception';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { OutboxService } from '../communications/outbox.service';
import { Opening } from '../openings/opening.entity';
import { EventType } from '../pipeline/application.entity';
import { findStage } from '../pipeline/domain/stages';
import { recordEvent } from '../pipeline/timeline';
import { Alert } from './alert.entity';
import { rowsOf } from '../common/database/rows';
import { assessStaleness } from './domain/stale';

const PAGE = 1000;

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
  ) {}

  onModuleInit(): void {
    this.sweeps.register({ name: 'stale-alerts', run: (now) => this.staleSweep(now) });
    this.sweeps.register({ name: 'stale-digests', run: (now) => this.digests(now) });
  }

  async staleSweep(now: Date): Promise<Record<string, number>> {
    let after = '00000000-0000-0000-0000-000000000000';
    let raised = 0, escalated = 0, examined = 0;
    const openings = new Map<string, Opening>();
    for (;;) {
      const rows: Array<{ id: string; stage: string; stage_visit: number; stage_entered_at: Date; opening_id: string; stale: number; name: string }> = await this.ds.query(
        `SELECT a.id, a.stage, a.stage_visit, a.stage_entered_at, a.opening_id, (s.def->>'staleAfterBusinessDays')::int AS stale, c.name
           FROM applications a
           JOIN openings o ON o.id = a.opening_id
           JOIN candidates c ON c.id = a.candidate_id
           CROSS JOIN LATERAL (SELECT jsonb_path_query_first(o.stages, '$[*] ? (@.key == $k)', jsonb_build_object('k', a.stage)) AS def) s
          WHERE a.status = 'active' AND a.id > $1
            AND a.stage_entered_at <= $2::timestamptz - make_interval(days => (s.def->>'staleAfterBusinessDays')::int)
          ORDER BY a.id LIMIT ${PAGE}`,
        [after, now],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      const candidates: Array<{ r: (typeof rows)[number]; opening: Opening; level: 'stale' | 'escalated'; days: number }> = [];
      for (const r of rows) {
        examined++;
        let opening = openings.get(r.opening_id);
        if (!opening) {
          opening = await this.ds.getRepository(Opening).findOneByOrFail({ id: r.opening_id });
          openings.set(opening.id, opening);
        }
        const s = assessStaleness({ stageEnteredAt: r.stage_entered_at, now, staleAfterBusinessDays: r.stale, tz: opening.timezone, holidays: opening.holidays });
        if (s.level !== 'none') candidates.push({ r, opening, level: s.level, days: s.businessDaysInStage });
      }
      // One query finds the stage visits already alerted (and at which level).
      const existing = new Map<string, string>(
        candidates.length
          ? (await this.ds.query(`SELECT dedupe_key, level FROM alerts WHERE dedupe_key = ANY($1)`, [candidates.map((c) => `stale:${c.r.id}:${c.r.stage_visit}`)])).map(
              (x: { dedupe_key: string; level: string }) => [x.dedupe_key, x.level],
            )
          : [],
      );
      const todo = candidates.filter((c) => {
        const level = existing.get(`stale:${c.r.id}:${c.r.stage_visit}`);
        return !level || (c.level === 'escalated' && level === 'raised');
      });
      if (todo.length) {
        const result = await this.ds.transaction(async (m) => {
          let raisedN = 0, escalatedN = 0;
          for (const c of todo) {
            const x = await this.raise(m, c.r, c.opening, c.level, c.days, now);
            raisedN += x.raised;
            escalatedN += x.escalated;
          }
          return { raisedN, escalatedN };
        });
        raised += result.raisedN;
        escalated += result.escalatedN;
      }
      if (rows.length < PAGE) break;
    }
    return { examined, raised, escalated };
  }

  private async raise(
    m: EntityManager,
    r: { id: string; stage: string; stage_visit: number; name: string; stage_entered_at: Date },
    opening: Opening,
    level: 'stale' | 'escalated',
    days: number,
    now: Date,
  ): Promise<{ raised: number; escalated: number }> {
    const system = { kind: 'system' as const };
    const stageName = findStage(opening.stages, r.stage)?.name ?? r.stage;
    const key = `stale:${r.id}:${r.stage_visit}`;
    {
      let raised = 0, escalated = 0;
      const inserted: Array<{ id: string }> = await m.query(
        `INSERT INTO alerts (kind, dedupe_key, recipient_id, application_id, opening_id, stage, message, data, created_at)
         VALUES ('stale', $1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [key, opening.hiringManagerId, r.id, opening.id, r.stage,
          `${r.name} has been in ${stageName} for ${days} business days (${opening.title}); the limit is ${findStage(opening.stages, r.stage)?.staleAfterBusinessDays}.`,
          JSON.stringify({ stageEnteredAt: r.stage_entered_at, stageVisit: r.stage_visit }), now],
      );
      if (inserted.length) {
        raised = 1;
        await recordEvent(m, r.id, EventType.AlertRaised, system, now, { alertId: inserted[0].id, kind: 'stale', recipientId: opening.hiringManagerId, stage: r.stage });
      }
      if (level === 'escalated') {
        // Once per stage visit; an acknowledged alert comes back, since it needs attention again.
        const up = rowsOf<{ id: string }>(await m.query(
          `UPDATE alerts SET level = 'escalated', escalated_at = $2, acknowledged_at = NULL, acknowledged_by = NULL,
                  message = $3 WHERE dedupe_key = $1 AND level = 'raised' RETURNING id`,
          [key, now, `${r.name} has been in ${stageName} for ${days} business days (${opening.title}), twice the limit.`],
        ));
        if (up.length) {
          escalated = 1;
          await recordEvent(m, r.id, EventType.AlertEscalated, system, now, { alertId: up[0].id, kind: 'stale', recipientId: opening.hiringManagerId, stage: r.stage });
        }
      }
      return { raised, escalated };
    }
  }

  /** One digest per hiring manager per local day, listing their open stale alerts oldest first. */
  async digests(now: Date): Promise<Record<string, number>> {
    const rows: Array<{ alert_id: string; recipient_id: string; manager_name: string; manager_email: string; manager_tz: string; application_id: string; level: string; stage: string; stage_entered_at: string; candidate_name: string; opening_title: string; stages: Opening['stages']; tz: string; holidays: string[] }> =
      await this.ds.query(
        `SELECT al.id AS alert_id, al.recipient_id, u.name AS manager_name, u.email AS manager_email, u.timezone AS manager_tz,
                al.application_id, al.level, al.stage, a.stage_entered_at, c.name AS candidate_name, o.title AS opening_title,
                o.stages, o.timezone AS tz, o.holidays
           FROM alerts al
           JOIN users u ON u.id = al.recipient_id
           JOIN applications a ON a.id = al.application_id
           JOIN candidates c ON c.id = a.candidate_id
           JOIN openings o ON o.id = al.opening_id
          WHERE al.kind = 'stale' AND al.acknowledged_at IS NULL AND a.status = 'active'
          ORDER BY al.recipient_id, a.stage_entered_at, al.application_id`,
      );
    const byManager = new Map<string, typeof rows>();
    for (const r of rows) byManager.set(r.recipient_id, [...(byManager.get(r.recipient_id) ?? []), r]);
    let sent = 0;
    const base = publicUrl(this.env);
    for (const [managerId, list] of byManager) {
      const first = list[0];
      const day = DateTime.fromJSDate(now, { zone: first.manager_tz }).toISODate();
      const alerts = list.map((r) => {
        const stage = findStage(r.stages, r.stage);
        const s = assessStaleness({ stageEnteredAt: new Date(r.stage_entered_at), now, staleAfterBusinessDays: stage?.staleAfterBusinessDays ?? 5, tz: r.tz, holidays: r.holidays });
        return { candidateName: r.candidate_name, openingTitle: r.opening_title, stageName: stage?.name ?? r.stage, days: s.businessDaysInStage, escalated: r.level === 'escalated', link: `${base}/dashboard/applications/${r.application_id}` };
      });
      const id = await this.ds.transaction((m) =>
        this.outbox.queue(m, {
          idempotencyKey: `digest:${managerId}:${day}`,
          template: 'stale_digest',
          context: { manager: { name: first.manager_name }, count: alerts.length, plural: alerts.length !== 1, alerts, dashboardUrl: `${base}/dashboard` },
          to: { address: first.manager_email, name: first.manager_name },
          recipientUserId: managerId,
        }),
      );
      if (id) {
        sent++;
        await this.outbox.dispatch([id]);
      }
    }
    return { digests: sent };
  }

  async list(userId: string, includeAcknowledged: boolean) {
    const q = this.ds.getRepository(Alert).createQueryBuilder('a').where('a.recipient_id = :u', { u: userId }).orderBy('a.created_at', 'ASC').take(500);
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
      if (alert.applicationId) await recordEvent(m, alert.applicationId, EventType.AlertAcknowledged, { kind: 'user', id: userId }, now, { alertId: id });
    });
    return alertDto({ ...alert, acknowledgedAt: now, acknowledgedBy: userId });
  }

  /** Raise a one-off alert (e.g. a review that cannot be scheduled). */
  async raiseOnce(input: { kind: Alert['kind']; dedupeKey: string; recipientId: string; applicationId?: string; openingId?: string; stage?: string; message: string; data?: Record<string, unknown> }, now = this.clock.now()): Promise<boolean> {
    if (!input.recipientId) throw new ApplicationException(ErrorCode.Unprocessable, 'alert without recipient');
    return this.ds.transaction(async (m) => {
      const rows: Array<{ id: string }> = await m.query(
        `INSERT INTO alerts (kind, dedupe_key, recipient_id, application_id, opening_id, stage, message, data, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [input.kind, input.dedupeKey, input.recipientId, input.applicationId ?? null, input.openingId ?? null, input.stage ?? null, input.message, JSON.stringify(input.data ?? {}), now],
      );
      if (rows.length && input.applicationId) {
        await recordEvent(m, input.applicationId, EventType.AlertRaised, { kind: 'system' }, now, { alertId: rows[0].id, kind: input.kind, recipientId: input.recipientId, message: input.message });
      }
      return rows.length > 0;
    });
  }
}

export function alertDto(a: Alert) {
  return {
    id: a.id, kind: a.kind, level: a.level, message: a.message, applicationId: a.applicationId, openingId: a.openingId, stage: a.stage,
    createdAt: a.createdAt, escalatedAt: a.escalatedAt, acknowledgedAt: a.acknowledgedAt, data: a.data,
  };
}
