import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { Actor } from '../timeline/timeline.entity';
import { ApplicationsService } from '../pipeline/applications.service';
import { assessReply } from './domain/reply-sla';

interface Row {
  id: string;
  received_at: Date;
  subject: string;
  application_id: string;
  stage: string;
  name: string;
  opening_id: string;
  title: string;
  timezone: string;
  holidays: string[];
  days: number;
  recruiter_id: string;
  hiring_manager_id: string;
}

const alertKeys = (inboundId: string) => [`reply:${inboundId}`, `reply-hm:${inboundId}`];

/**
 * The reply SLA (docs/inbox.md), on the same sweep as the other SLAs: a candidate's mail still
 * unanswered `reply_sla_business_days` after it arrived (the opening's business days) raises an
 * alert to the recruiter; at twice that an escalated one to the hiring manager. Answering from
 * the application page (POST /applications/:id/messages) threads the answer under the mail,
 * marks it answered and closes both alerts.
 */
@Injectable()
export class ReplySlaService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly sweeps: SweepRegistry,
    private readonly alerts: AlertsService,
    private readonly apps: ApplicationsService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onModuleInit(): void {
    this.sweeps.register({ name: 'reply-sla', run: (now) => this.sweep(now) });
    this.apps.setReplyThreading({
      before: (m, applicationId) => this.threadFor(m, applicationId),
      after: (m, applicationId, messageId, actor) => this.answered(m, applicationId, messageId, actor),
    });
  }

  async sweep(now: Date): Promise<Record<string, number>> {
    let after = '00000000-0000-0000-0000-000000000000';
    let overdue = 0,
      escalated = 0,
      examined = 0;
    for (;;) {
      // Calendar days are a lower bound of business days: only mail that can be due comes back.
      const rows: Row[] = await this.ds.query(
        `SELECT i.id, i.received_at, i.subject, i.application_id, a.stage, c.name, o.id AS opening_id, o.title, o.timezone, o.holidays,
                o.reply_sla_business_days AS days, o.recruiter_id, o.hiring_manager_id
           FROM inbound_messages i
           JOIN applications a ON a.id = i.application_id
           JOIN candidates c ON c.id = a.candidate_id
           JOIN openings o ON o.id = a.opening_id
          WHERE i.application_id IS NOT NULL AND i.answered_at IS NULL AND a.status = 'active' AND i.id > $1
            AND i.received_at <= $2::timestamptz - make_interval(days => o.reply_sla_business_days)
            AND NOT EXISTS (SELECT 1 FROM alerts al WHERE al.dedupe_key = 'reply-hm:' || i.id)
          ORDER BY i.id LIMIT ${this.env.SWEEP_PAGE_SIZE}`,
        [after, now],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      examined += rows.length;
      for (const r of rows) {
        const a = assessReply({ receivedAt: r.received_at, now, days: r.days, tz: r.timezone, holidays: r.holidays });
        if (a.level === 'none') continue;
        const common = { kind: 'reply_overdue' as const, applicationId: r.application_id, openingId: r.opening_id, stage: r.stage };
        const data = { inboundId: r.id, receivedAt: r.received_at, dueAt: a.dueAt };
        if (
          await this.alerts.raiseOnce(
            {
              ...common,
              dedupeKey: `reply:${r.id}`,
              recipientId: r.recruiter_id,
              message: `${r.name} wrote "${r.subject.slice(0, 120)}" and has had no answer for ${r.days} business day${r.days === 1 ? '' : 's'} (${r.title}).`,
              data,
            },
            now,
          )
        )
          overdue++;
        if (a.level === 'escalated' && r.hiring_manager_id) {
          if (
            await this.alerts.raiseOnce(
              {
                ...common,
                dedupeKey: `reply-hm:${r.id}`,
                recipientId: r.hiring_manager_id,
                level: 'escalated',
                message: `${r.name} wrote "${r.subject.slice(0, 120)}" and has had no answer for ${2 * r.days} business days (${r.title}), twice the limit.`,
                data,
              },
              now,
            )
          )
            escalated++;
        }
      }
      if (rows.length < this.env.SWEEP_PAGE_SIZE) break;
    }
    return { examined, overdue, escalated };
  }

  /** The threading headers and subject of an answer to the candidate's latest mail on the application. */
  private async threadFor(m: EntityManager, applicationId: string) {
    const [r]: Array<{ message_id_header: string | null; references: string[]; subject: string }> = await m.query(
      `SELECT message_id_header, "references", subject FROM inbound_messages WHERE application_id = $1 ORDER BY received_at DESC, created_at DESC, id DESC LIMIT 1`,
      [applicationId],
    );
    if (!r) return null;
    const subject = /^\s*re\s*:/i.test(r.subject) ? r.subject : `Re: ${r.subject}`;
    if (!r.message_id_header) return { inReplyTo: null, references: null, subject };
    const chain = [...r.references.slice(-20).map((x) => `<${x}>`), r.message_id_header];
    return { inReplyTo: r.message_id_header, references: chain.join(' '), subject };
  }

  /** The application's unanswered mail is answered by `messageId`; its reply alerts close. */
  private async answered(m: EntityManager, applicationId: string, messageId: string, actor: Actor): Promise<void> {
    const now = this.clock.now();
    const rows: Array<{ id: string }> = await m
      .query(
        `UPDATE inbound_messages SET answered_at = $2, answered_by_message_id = $3 WHERE application_id = $1 AND answered_at IS NULL RETURNING id`,
        [applicationId, now, messageId],
      )
      .then((r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as Array<{ id: string }>);
    await this.alerts.resolve(
      m,
      rows.flatMap((r) => alertKeys(r.id)),
      actor.kind === 'user' ? { kind: 'user', id: actor.id } : { kind: 'system' },
      now,
    );
  }
}
