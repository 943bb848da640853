import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { resolveTimeZone } from '../common/domain';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { formatInZone } from '../communications/ics';
import { OutboxService } from '../communications/outbox.service';
import { addBusinessHours, feedbackState } from './domain';
import { kindName } from './scorecards.service';
import './templates';

interface OwedRow {
  session_kind: 'interview' | 'review';
  session_id: string;
  kind: string;
  author_id: string;
  ends_at: Date;
  application_id: string;
  opening_id: string;
  hiring_manager_id: string;
  title: string;
  holidays: string[];
  opening_tz: string;
  candidate_name: string;
  author_name: string;
  author_email: string;
  author_tz: string | null;
  due_hours: number;
}

/** How far back the sweep looks for scorecards still owed (older ones were reminded and escalated long ago). */
const LOOKBACK_DAYS = 90;

/**
 * The feedback SLA (sweep task `scorecard-feedback`): a scorecard is due the opening's
 * `feedbackDueBusinessHours` business hours after its session ends, in the filer's time zone.
 * Late: one reminder e-mail to the filer (outbox key `scorecard-reminder:<kind>:<session>:<person>`).
 * Late by as much again: one alert to the hiring manager (`scorecard_late`). Only active
 * applications with no offer yet; idempotent at an instant.
 */
@Injectable()
export class FeedbackSlaService implements OnModuleInit {
  private readonly logger = new Logger(FeedbackSlaService.name);
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly alerts: AlertsService,
    private readonly sweeps: SweepRegistry,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onModuleInit(): void {
    this.sweeps.register({ name: 'scorecard-feedback', run: (now) => this.sweep(now) });
  }

  async sweep(now: Date): Promise<Record<string, number>> {
    const rows: OwedRow[] = await this.ds.query(
      `WITH owed AS (
         SELECT 'interview'::text AS session_kind, s.id AS session_id, s.kind, u.user_id AS author_id, s.ends_at, s.application_id
           FROM interview_sessions s CROSS JOIN LATERAL unnest(s.interviewer_ids) AS u(user_id)
          WHERE s.status = 'scheduled' AND s.ends_at <= $1 AND s.ends_at > $1 - make_interval(days => $2)
         UNION ALL
         SELECT 'review', r.id, 'code_review', r.reviewer_id, r.ends_at, r.application_id
           FROM review_sessions r
          WHERE r.status <> 'cancelled' AND r.ends_at <= $1 AND r.ends_at > $1 - make_interval(days => $2)
       )
       SELECT e.*, a.opening_id, o.hiring_manager_id, o.title, o.holidays, o.timezone AS opening_tz, c.name AS candidate_name,
              u.name AS author_name, u.email AS author_email, u.timezone AS author_tz, coalesce(t.feedback_due_business_hours, 24) AS due_hours
         FROM owed e
         JOIN applications a ON a.id = e.application_id AND a.status = 'active'
         JOIN openings o ON o.id = a.opening_id
         JOIN candidates c ON c.id = a.candidate_id
         JOIN users u ON u.id = e.author_id AND u.disabled_at IS NULL
         LEFT JOIN scorecard_templates t ON t.opening_id = a.opening_id
        WHERE NOT EXISTS (SELECT 1 FROM scorecards sc WHERE sc.session_kind = e.session_kind AND sc.session_id = e.session_id AND sc.author_id = e.author_id)
          AND NOT EXISTS (SELECT 1 FROM offers f WHERE f.application_id = e.application_id)
        ORDER BY e.ends_at, e.session_id, e.author_id`,
      [now, LOOKBACK_DAYS],
    );
    let reminders = 0,
      alerts = 0,
      late = 0;
    const base = publicUrl(this.env);
    const ids: string[] = [];
    for (const r of rows) {
      const tz = resolveTimeZone([r.author_tz, r.opening_tz]);
      const state = feedbackState({ sessionEndedAt: r.ends_at, now, dueBusinessHours: r.due_hours, tz, holidays: r.holidays ?? [] });
      if (state === 'not_due') continue;
      late++;
      const dueAt = addBusinessHours(r.ends_at, r.due_hours, tz, r.holidays ?? []);
      const session = kindName(r.kind);
      const formUrl = `${base}/${r.session_kind === 'interview' ? 'interviews' : 'reviews'}/${r.session_id}/scorecard`;
      const key = `${r.session_kind}:${r.session_id}:${r.author_id}`;
      const id = await this.ds.transaction((m) =>
        this.outbox.queue(m, {
          idempotencyKey: `scorecard-reminder:${key}`,
          template: 'scorecard_reminder',
          context: {
            person: { name: r.author_name },
            candidate: { name: r.candidate_name },
            opening: { title: r.title },
            session,
            due: formatInZone(dueAt, tz),
            formUrl,
            allUrl: `${base}/scorecards`,
            links: { status: null, privacy: null },
          },
          to: { address: r.author_email, name: r.author_name },
          recipientUserId: r.author_id,
          applicationId: r.application_id,
          openingId: r.opening_id,
          actor: { kind: 'system' },
        }),
      );
      if (id) {
        ids.push(id);
        reminders++;
      }
      if (state === 'escalate') {
        const raised = await this.alerts.raiseOnce(
          {
            kind: 'scorecard_late',
            dedupeKey: `scorecard-late:${key}`,
            recipientId: r.hiring_manager_id,
            applicationId: r.application_id,
            openingId: r.opening_id,
            message: `${r.author_name} has not filed the scorecard for the ${session.toLowerCase()} with ${r.candidate_name} (${r.title}); it was due ${formatInZone(dueAt, tz)}.`,
            data: { sessionKind: r.session_kind, sessionId: r.session_id, authorId: r.author_id, dueAt },
          },
          now,
        );
        if (raised) alerts++;
      }
    }
    await this.outbox.dispatch(ids).catch((err) => this.logger.warn({ err }, 'scorecard reminders not enqueued; mail-requeue will'));
    return { owed: rows.length, late, reminders, alerts };
  }
}
