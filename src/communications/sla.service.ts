import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AlertsRepository } from '../alerts/alerts.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { EventType } from '../timeline/timeline.entity';
import { NewEvent, recordEvents } from '../timeline/timeline.repository';
import { CANDIDATE_SLOTS, candidateMessageContext, candidateSlotValues } from '../pipeline/message-context';
import { assessCheckIn } from './domain/sla';
import { OutboxService, QueueMessageInput, StoredMessage } from './outbox.service';
import { TemplateService } from './template.service';
import { Opening } from '../openings/opening.entity';

interface Row {
  id: string;
  stage: string;
  stage_visit: number;
  stage_entered_at: Date;
  last_contact_at: Date | null;
  sla: number;
  opening_id: string;
  candidate_id: string;
  name: string;
  email: string;
  timezone: string;
  anonymized: boolean;
}
const ZERO = '00000000-0000-0000-0000-000000000000';
interface SweepCache {
  openings: Map<string, Opening>;
  recruiters: Map<string, { name: string; email: string }>;
  /** Check-in renderers per opening, stage and days in stage (OutboxService.variantPreparer), kept across pages. */
  checkins: Map<string, Promise<(items: ReadonlyArray<{ input: QueueMessageInput; values: readonly string[] }>) => StoredMessage[]>>;
}
interface Page {
  examined: number;
  due: number;
  todo: Due[];
  messages: StoredMessage[];
  lastId: string | null;
}
interface Due {
  r: Row;
  opening: Opening;
  key: string;
  dueAt: Date;
}

/**
 * The communication SLA: an active application whose candidate has had no message for its
 * stage's contactSlaBusinessDays (business days in the candidate's time zone) gets the check-in
 * message, or, when the opening turned automatic check-ins off, raises an SLA alert to the
 * recruiter. One per SLA period (idempotency key), so a second sweep at the same instant is a no-op.
 *
 * Set-based: per page, one query returns the applications that can be due (joined to their
 * stage's SLA and their candidate), the exact rule (assessCheckIn) picks the due ones, one query
 * finds the periods already handled, and one transaction writes the rest with bulk inserts.
 */
@Injectable()
export class SlaService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly sweeps: SweepRegistry,
    @Inject(ENV) private readonly env: Env,
    private readonly alerts: AlertsRepository,
    private readonly templates: TemplateService,
  ) {}

  onModuleInit(): void {
    this.sweeps.register({ name: 'sla-checkins', run: (now) => this.sweep(now), concurrent: true });
    this.sweeps.register({ name: 'mail-requeue', run: (now) => this.outbox.requeueLost(now), concurrent: true });
  }

  async sweep(now: Date): Promise<Record<string, number>> {
    let examined = 0,
      due = 0,
      checkins = 0,
      breaches = 0;
    const cache: SweepCache = { openings: new Map(), recruiters: new Map(), checkins: new Map() };
    // Page by page: read, judged, rendered and sealed (readPage), then written in one transaction;
    // a committed page's messages go to the mail queue while the next page is read. (Reading the
    // next page while the previous one was written measured slower on this 2-core machine.)
    let dispatching: Promise<void> = Promise.resolve();
    let next: Promise<Page | null> = this.readPage(ZERO, now, cache);
    try {
      for (;;) {
        const page = await next;
        if (!page) break;
        examined += page.examined;
        due += page.due;
        if (page.todo.length) {
          const result = await this.act(page, now);
          checkins += result.ids.length;
          breaches += result.breaches;
          await dispatching;
          dispatching = this.outbox.dispatch(result.ids);
        }
        next = page.lastId ? this.readPage(page.lastId, now, cache) : Promise.resolve(null);
      }
    } finally {
      await next.catch(() => null);
      await dispatching;
    }
    return { examined, due, checkins, breaches };
  }

  /**
   * One page of applications that can be due (after `after` in id order), judged by the exact
   * rule, minus the SLA periods already handled, with their check-ins rendered. `lastId` is set
   * when a further page may follow.
   */
  private async readPage(after: string, now: Date, cache: SweepCache): Promise<Page | null> {
    const page = this.env.SWEEP_PAGE_SIZE;
    // Each application is joined to its current stage's SLA (one row per opening and stage).
    // Calendar days are a lower bound of business days, so only rows that could be due come
    // back: one range scan of applications_sla_reference_idx per opening and stage (OFFSET 0
    // keeps the planner from flattening the lateral subquery into a walk over every active
    // application in id order). The exact rule runs below.
    const rows: Row[] = await this.ds.query(
      `WITH sla AS MATERIALIZED (
         SELECT o.id AS opening_id, s.key, s."contactSlaBusinessDays" AS days, $2::timestamptz - make_interval(days => s."contactSlaBusinessDays") AS cutoff
           FROM openings o CROSS JOIN LATERAL jsonb_to_recordset(o.stages) AS s(key text, "contactSlaBusinessDays" int)),
       page AS (
         SELECT a.*, sla.days AS sla
           FROM sla CROSS JOIN LATERAL (
                  SELECT a.id, a.stage, a.stage_visit, a.stage_entered_at, a.last_contact_at, a.opening_id, a.candidate_id
                    FROM applications a
                   WHERE a.opening_id = sla.opening_id AND a.stage = sla.key AND a.status = 'active' AND a.id > $1
                     AND greatest(a.stage_entered_at, coalesce(a.last_contact_at, a.stage_entered_at)) <= sla.cutoff
                  OFFSET 0) a
          ORDER BY a.id LIMIT ${page})
       SELECT page.*, c.name, c.email, c.timezone, c.anonymized_at IS NOT NULL AS anonymized
         FROM page JOIN candidates c ON c.id = page.candidate_id
        ORDER BY page.id`,
      [after, now],
    );
    if (!rows.length) return null;
    await this.loadOpenings(
      cache.openings,
      rows.map((r) => r.opening_id),
    );
    const list: Due[] = [];
    for (const r of rows) {
      if (r.anonymized) continue; // erased: nobody to write to
      const opening = cache.openings.get(r.opening_id)!;
      const a = assessCheckIn({
        lastContactAt: r.last_contact_at,
        stageEnteredAt: r.stage_entered_at,
        tz: r.timezone,
        holidays: opening.holidays,
        contactSlaBusinessDays: r.sla,
        now,
        applicationId: r.id,
        stageVisitId: String(r.stage_visit),
      });
      if (a.due) list.push({ r, opening, key: a.key!, dueAt: a.dueAt });
    }
    // One query tells which SLA periods were already handled (check-in queued or alert raised).
    const done = new Set<string>(
      list.length
        ? (
            await this.ds.query(
              `SELECT idempotency_key AS k FROM messages WHERE idempotency_key = ANY($1)
               UNION ALL SELECT dedupe_key FROM alerts WHERE dedupe_key = ANY($2)`,
              [list.map((d) => d.key), list.map((d) => `sla:${d.key}`)],
            )
          ).map((x: { k: string }) => x.k)
        : [],
    );
    const todo = list.filter((d) => !done.has(d.key) && !done.has(`sla:${d.key}`));
    return {
      examined: rows.length,
      due: list.length,
      todo,
      messages: await this.checkinMessages(todo, now, cache),
      lastId: rows.length < page ? null : rows[rows.length - 1].id,
    };
  }

  /** Openings are few and shared by many rows: loaded once per sweep. */
  private async loadOpenings(cache: Map<string, Opening>, ids: string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !cache.has(id));
    if (!missing.length) return;
    for (const o of await this.ds.getRepository(Opening).findBy({ id: In(missing) })) cache.set(o.id, o);
  }

  /**
   * The check-in of every due application whose opening sends them automatically, rendered and
   * sealed: one render per opening, stage and days in stage, the candidate's name and links
   * substituted (TemplateService.variantRenderer: the same bodies as rendering each).
   */
  private async checkinMessages(todo: Due[], now: Date, cache: SweepCache): Promise<StoredMessage[]> {
    const actor = { kind: 'system' as const };
    const auto = todo.filter((d) => d.opening.autoCheckins);
    const missing = [...new Set(auto.map((d) => d.opening.recruiterId))].filter((id) => !cache.recruiters.has(id));
    if (missing.length) {
      for (const u of (await this.ds.query(`SELECT id, name, email FROM users WHERE id = ANY($1)`, [missing])) as Array<{
        id: string;
        name: string;
        email: string;
      }>)
        cache.recruiters.set(u.id, u);
    }
    const base = publicUrl(this.env);
    const groups = new Map<string, { opening: Opening; stage: string; days: number; members: number[] }>();
    const inputs = auto.map(({ r, opening, key }, i) => {
      const days = Math.floor((now.getTime() - r.stage_entered_at.getTime()) / 86_400_000);
      const g = `${opening.id}|${r.stage}|${days}`;
      const group = groups.get(g) ?? { opening, stage: r.stage, days, members: [] };
      group.members.push(i);
      groups.set(g, group);
      const input: QueueMessageInput = {
        idempotencyKey: key,
        template: 'checkin',
        context: {},
        to: { address: r.email, name: r.name },
        applicationId: r.id,
        candidateId: r.candidate_id,
        openingId: opening.id,
        actor,
      };
      return { input, values: candidateSlotValues({ id: r.candidate_id, name: r.name }, base) };
    });
    const out: StoredMessage[] = new Array<StoredMessage>(inputs.length);
    // The openings' check-in overrides of the groups still to render, in one query.
    const unrendered = [...groups].filter(([g]) => !cache.checkins.has(g)).map(([, { opening }]) => opening.id);
    if (unrendered.length) await this.templates.preloadOverrides('checkin', unrendered);
    for (const [g, { opening, stage, days, members }] of groups) {
      let prepare = cache.checkins.get(g);
      if (!prepare) {
        const recruiter = cache.recruiters.get(opening.recruiterId) ?? { name: '', email: '' };
        // The candidate's own variables are slots (CANDIDATE_SLOTS), filled per recipient.
        const context = { ...candidateMessageContext(opening, { id: ZERO, name: '' }, stage, recruiter, base), daysInStage: days };
        prepare = this.outbox.variantPreparer('checkin', context, opening.id, CANDIDATE_SLOTS);
        cache.checkins.set(g, prepare);
      }
      const stored = (await prepare)(members.map((i) => inputs[i]));
      members.forEach((i, j) => (out[i] = stored[j]));
    }
    return out;
  }

  /**
   * One transaction per page: check-ins (or recruiter alerts) for every due application, with
   * their events (message.queued, then sla.checkin_sent and sla.breached, recorded in one batch).
   * Returns the new message ids, for the mail queue once committed.
   */
  private async act(page: Page, now: Date): Promise<{ ids: string[]; breaches: number }> {
    const actor = { kind: 'system' as const };
    const auto = page.todo.filter((d) => d.opening.autoCheckins);
    const manual = page.todo.filter((d) => !d.opening.autoCheckins);
    return this.ds.transaction(async (m) => {
      const { ids: queued, events: queuedEvents } = await this.outbox.insertPrepared(m, page.messages);
      const events: NewEvent[] = [];
      const ids: string[] = [];
      for (const { r, key, dueAt } of auto) {
        const messageId = queued.get(key);
        if (!messageId) continue;
        queued.delete(key);
        ids.push(messageId);
        events.push({ applicationId: r.id, type: EventType.SlaCheckinSent, actor, at: now, data: { messageId, dueAt, stage: r.stage } });
      }
      const breaches = await this.raiseBreaches(m, manual, now, events);
      await recordEvents(m, [...queuedEvents, ...events]);
      return { ids, breaches };
    });
  }

  /** The recruiter's SLA alerts for openings without automatic check-ins; adds their events to `events`. */
  private async raiseBreaches(m: EntityManager, manual: Due[], now: Date, events: NewEvent[]): Promise<number> {
    if (!manual.length) return 0;
    const inserted = await this.alerts.insertMany(
      m,
      manual.map((d) => ({
        kind: 'sla_breached' as const,
        dedupeKey: `sla:${d.key}`,
        recipientId: d.opening.recruiterId,
        applicationId: d.r.id,
        openingId: d.opening.id,
        stage: d.r.stage,
        message: `${d.r.name} has had no message for ${d.r.sla} business days (${d.opening.title}); automatic check-ins are off for this opening, so please write to them.`,
        data: { dueAt: d.dueAt },
      })),
      now,
    );
    const alertIds = new Map(inserted.map((x) => [x.dedupe_key, x.id]));
    let breaches = 0;
    for (const d of manual) {
      const alertId = alertIds.get(`sla:${d.key}`);
      if (!alertId) continue;
      alertIds.delete(`sla:${d.key}`);
      breaches++;
      events.push({
        applicationId: d.r.id,
        type: EventType.SlaBreached,
        actor: { kind: 'system' },
        at: now,
        data: { alertId, dueAt: d.dueAt, recipientId: d.opening.recruiterId },
      });
    }
    return breaches;
  }
}
