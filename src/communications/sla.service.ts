import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { EventType } from '../pipeline/application.entity';
import { recordEvent } from '../pipeline/timeline';
import { candidateMessageContext } from '../pipeline/message-context';
import { assessCheckIn } from './domain/sla';
import { OutboxService } from './outbox.service';
import { Candidate } from '../candidates/candidate.entity';
import { Opening } from '../openings/opening.entity';

const PAGE = 1000;

interface Row {
  id: string;
  stage: string;
  stage_visit: number;
  stage_entered_at: Date;
  last_contact_at: Date | null;
  sla: number;
  candidate_id: string;
  opening_id: string;
}

/**
 * The communication SLA: an active application whose candidate has had no message for its
 * stage's contactSlaBusinessDays (business days in the candidate's time zone) gets the check-in
 * message, or, when the opening turned automatic check-ins off, raises an SLA alert to the
 * recruiter. One per SLA period (idempotency key), so a second sweep at the same instant is a no-op.
 */
@Injectable()
export class SlaService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly sweeps: SweepRegistry,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onModuleInit(): void {
    this.sweeps.register({ name: 'sla-checkins', run: (now) => this.sweep(now) });
    this.sweeps.register({ name: 'mail-requeue', run: (now) => this.outbox.requeueLost(now) });
  }

  async sweep(now: Date): Promise<Record<string, number>> {
    let after = '00000000-0000-0000-0000-000000000000';
    let examined = 0, checkins = 0, breaches = 0;
    const openings = new Map<string, Opening>();
    for (;;) {
      // Calendar days are a lower bound of business days: only rows that could be due come back.
      const rows: Row[] = await this.ds.query(
        `SELECT a.id, a.stage, a.stage_visit, a.stage_entered_at, a.last_contact_at, a.candidate_id, a.opening_id,
                (s.def->>'contactSlaBusinessDays')::int AS sla
           FROM applications a
           JOIN openings o ON o.id = a.opening_id
           CROSS JOIN LATERAL (SELECT jsonb_path_query_first(o.stages, '$[*] ? (@.key == $k)', jsonb_build_object('k', a.stage)) AS def) s
          WHERE a.status = 'active' AND a.id > $1
            AND GREATEST(a.stage_entered_at, coalesce(a.last_contact_at, a.stage_entered_at))
                <= $2::timestamptz - make_interval(days => (s.def->>'contactSlaBusinessDays')::int)
          ORDER BY a.id LIMIT ${PAGE}`,
        [after, now],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      const candidateIds = [...new Set(rows.map((r) => r.candidate_id))];
      const candidates = new Map((await this.ds.getRepository(Candidate).findByIds(candidateIds)).map((c) => [c.id, c]));
      const due: Array<{ r: Row; opening: Opening; candidate: Candidate; key: string; dueAt: Date }> = [];
      for (const r of rows) {
        examined++;
        const candidate = candidates.get(r.candidate_id);
        if (!candidate || candidate.anonymizedAt) continue;
        let opening = openings.get(r.opening_id);
        if (!opening) {
          opening = await this.ds.getRepository(Opening).findOneByOrFail({ id: r.opening_id });
          openings.set(opening.id, opening);
        }
        const a = assessCheckIn({
          lastContactAt: r.last_contact_at, stageEnteredAt: r.stage_entered_at, tz: candidate.timezone, holidays: opening.holidays,
          contactSlaBusinessDays: r.sla, now, applicationId: r.id, stageVisitId: String(r.stage_visit),
        });
        if (a.due) due.push({ r, opening, candidate, key: a.key!, dueAt: a.dueAt });
      }
      // One query tells which SLA periods were already handled (check-in queued or alert raised).
      const keys = due.flatMap((d) => [d.key, `sla:${d.key}`]);
      const done = new Set<string>(
        keys.length
          ? [
              ...(await this.ds.query(`SELECT idempotency_key AS k FROM messages WHERE idempotency_key = ANY($1)`, [keys])),
              ...(await this.ds.query(`SELECT dedupe_key AS k FROM alerts WHERE dedupe_key = ANY($1)`, [keys])),
            ].map((x: { k: string }) => x.k)
          : [],
      );
      const todo = due.filter((d) => !done.has(d.key) && !done.has(`sla:${d.key}`));
      if (todo.length) {
        const result = await this.act(todo, now);
        checkins += result.checkins;
        breaches += result.breaches;
      }
      if (rows.length < PAGE) break;
    }
    return { examined, checkins, breaches };
  }

  /** One transaction per page: check-ins (or recruiter alerts) for every due application. */
  private async act(todo: Array<{ r: Row; opening: Opening; candidate: Candidate; key: string; dueAt: Date }>, now: Date): Promise<{ checkins: number; breaches: number }> {
    const actor = { kind: 'system' as const };
    const recruiters = new Map<string, { name: string; email: string }>();
    const { ids, breaches } = await this.ds.transaction(async (m) => {
      const ids: string[] = [];
      let breaches = 0;
      for (const { r, opening, candidate, key, dueAt } of todo) {
        if (opening.autoCheckins) {
          let recruiter = recruiters.get(opening.recruiterId);
          if (!recruiter) {
            [recruiter] = await m.query(`SELECT name, email FROM users WHERE id = $1`, [opening.recruiterId]);
            recruiters.set(opening.recruiterId, recruiter!);
          }
          const ctx = candidateMessageContext(opening, candidate, r.stage, recruiter!, publicUrl(this.env));
          const days = Math.floor((now.getTime() - r.stage_entered_at.getTime()) / 86_400_000);
          const messageId = await this.outbox.queue(m, {
            idempotencyKey: key, template: 'checkin', context: { ...ctx, daysInStage: days },
            to: { address: candidate.email, name: candidate.name }, applicationId: r.id, candidateId: candidate.id, openingId: opening.id, actor,
          });
          if (messageId) {
            await recordEvent(m, r.id, EventType.SlaCheckinSent, actor, now, { messageId, dueAt, stage: r.stage });
            ids.push(messageId);
          }
          continue;
        }
        const inserted: Array<{ id: string }> = await m.query(
          `INSERT INTO alerts (kind, dedupe_key, recipient_id, application_id, opening_id, stage, message, data, created_at)
           VALUES ('sla_breached', $1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
          [`sla:${key}`, opening.recruiterId, r.id, opening.id, r.stage,
            `${candidate.name} has had no message for ${r.sla} business days (${opening.title}); automatic check-ins are off for this opening, so please write to them.`,
            JSON.stringify({ dueAt }), now],
        );
        if (inserted.length) {
          breaches++;
          await recordEvent(m, r.id, EventType.SlaBreached, actor, now, { alertId: inserted[0].id, dueAt, recipientId: opening.recruiterId });
        }
      }
      return { ids, breaches };
    });
    await this.outbox.dispatch(ids);
    return { checkins: ids.length, breaches };
  }
}
