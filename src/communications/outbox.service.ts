import { Inject, Injectable } from '@nestjs/common';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { protect } from './domain/message-secrets';
import { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '../common/clock/clock';
import { SqlParams, withCtes } from '../common/database/sql-params';
import { QueueService } from '../common/queues/queue.service';
import { JobName, QueueName } from '../common/queues/queues';
import { Actor, EventType } from '../timeline/timeline.entity';
import { eventCtes, NewEvent, recordEvents, sql } from '../timeline/timeline.repository';
import { Message, MessageAttachment } from './message.entity';
import { RenderedMessage, TemplateService } from './template.service';

export interface QueueMessageInput {
  /** Unique per cause (e.g. `stage:<app>:<visit>`): the same cause never makes two messages. */
  idempotencyKey: string;
  template: string;
  context: Record<string, unknown>;
  to: { address: string; name?: string | null };
  applicationId?: string | null;
  candidateId?: string | null;
  recipientUserId?: string | null;
  openingId?: string | null;
  attachments?: MessageAttachment[];
  actor?: Actor;
  /** Threading headers of a reply (the candidate's Message-ID, and the chain before it). */
  inReplyTo?: string | null;
  references?: string | null;
}

/** A rendered message as stored (link secrets sealed), ready to insert (OutboxService.prepareMany). */
export interface StoredMessage {
  input: QueueMessageInput;
  subject: string;
  html: string;
  text: string;
  secretsEnc: string | null;
}

/** A rendered message ready to insert (OutboxService.prepare). */
export interface PreparedMessage {
  input: QueueMessageInput;
  rendered: RenderedMessage;
  at: Date;
}

/**
 * The transactional outbox. `queue()` renders the message and inserts it in the caller's
 * transaction (with a message.queued event on the application's timeline); `dispatch()` hands
 * the committed ids to the mail queue. A message whose job is lost is re-enqueued by the sweep.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly templates: TemplateService,
    private readonly queues: QueueService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /** Returns the new message id, or null when this cause already has a message. */
  async queue(m: EntityManager, input: QueueMessageInput): Promise<string | null> {
    const p = new SqlParams();
    const inserted: Array<{ id: string }> = await m.query(
      withCtes(this.messageCtes(p, await this.prepare(input, m), 'msg'), 'SELECT id FROM msg'),
      p.values,
    );
    return inserted[0]?.id ?? null;
  }

  /** Renders the message (templates may be overridden per opening: read through `m` when given). */
  async prepare(input: QueueMessageInput, m?: EntityManager): Promise<PreparedMessage> {
    return { input, rendered: await this.templates.render(input.template, input.context, input.openingId, m), at: this.clock.now() };
  }

  /**
   * The statement of queue() as CTEs of a larger statement: `name` inserts the row (RETURNING id,
   * nothing when its cause already has a message) and `<name>_event` its message.queued timeline
   * event (only for a new row that belongs to an application). With `gate` (an earlier CTE's name)
   * the row is written only if that CTE returned a row.
   */
  messageCtes(p: SqlParams, { input, rendered, at }: PreparedMessage, name: string, gate?: string): string[] {
    const app = p.add(input.applicationId ?? null, '::uuid');
    const now = p.add(at, '::timestamptz');
    const template = p.add(input.template, '::text');
    const subject = p.add(rendered.subject, '::text');
    // No live link secret at rest: bodies stored redacted, the secrets sealed (message-secrets.ts).
    const stored = protect(this.env.SESSION_SECRET, rendered);
    return [
      `${name} AS (
         INSERT INTO messages (idempotency_key, application_id, candidate_id, recipient_user_id, to_address, to_name, template, subject, html, text, secrets_enc, attachments, status, created_at, in_reply_to, "references")
         SELECT ${p.add(input.idempotencyKey, '::text')}, ${app}, ${p.add(input.candidateId ?? null, '::uuid')}, ${p.add(input.recipientUserId ?? null, '::uuid')},
                ${p.add(input.to.address, '::text')}, ${p.add(input.to.name ?? null, '::text')}, ${template}, ${subject}, ${p.add(stored.html, '::text')},
                ${p.add(stored.text, '::text')}, ${p.add(stored.secretsEnc, '::text')}, ${p.add(JSON.stringify(input.attachments ?? []), '::jsonb')}, 'queued', ${now},
                ${p.add(input.inReplyTo ?? null, '::text')}, ${p.add(input.references ?? null, '::text')}${gate ? ` FROM ${gate}` : ''}
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
       )`,
      // Its message.queued event, for a new row that belongs to an application.
      ...eventCtes(
        p,
        {
          applicationId: input.applicationId ?? null,
          type: EventType.MessageQueued,
          at,
          actorKind: input.actor?.kind ?? 'system',
          actorId: input.actor?.id ?? null,
          data: sql(`jsonb_build_object('messageId', ${name}.id, 'template', ${template}, 'subject', ${subject})`),
        },
        `${name}_event`,
        `${name} WHERE ${app} IS NOT NULL`,
      ),
    ];
  }

  /**
   * queue() for many messages in one insert (the sweeps): each is rendered, rows whose cause
   * already has a message are skipped (ON CONFLICT on the idempotency key), and every new one
   * gets its message.queued event, all in the caller's transaction. Returns idempotency key ->
   * new message id for the rows inserted.
   */
  async queueMany(m: EntityManager, inputs: readonly QueueMessageInput[]): Promise<Map<string, string>> {
    const { ids, events } = await this.insertPrepared(m, await this.prepareMany(inputs));
    await recordEvents(m, events);
    return ids;
  }

  /**
   * Renders and seals many messages (no database write; overrides read outside any transaction),
   * so that a sweep can prepare its next page while the previous one is written.
   */
  async prepareMany(inputs: readonly QueueMessageInput[]): Promise<StoredMessage[]> {
    const out: StoredMessage[] = [];
    for (const input of inputs) {
      const rendered = await this.templates.render(input.template, input.context, input.openingId);
      out.push({ input, subject: rendered.subject, ...protect(this.env.SESSION_SECRET, rendered) });
    }
    return out;
  }

  /**
   * prepareMany() for messages that share one template, opening and context but for a few string
   * values (`slots`, TemplateService.variantRenderer): rendered once and the values substituted,
   * with the same output as rendering each. Returns a function to keep and call per batch (a
   * sweep renders each opening's and stage's skeleton once, not once per page); `items[i].input.context`
   * is not read.
   */
  async variantPreparer(
    template: string,
    context: Record<string, unknown>,
    openingId: string | null,
    slots: readonly string[],
  ): Promise<(items: ReadonlyArray<{ input: QueueMessageInput; values: readonly string[] }>) => StoredMessage[]> {
    const render = await this.templates.variantRenderer(template, context, slots, openingId);
    return (items) =>
      items.map(({ input, values }) => {
        const rendered = render(values);
        return { input, subject: rendered.subject, ...protect(this.env.SESSION_SECRET, rendered) };
      });
  }

  /**
   * The insert of queueMany() for messages already rendered (prepareMany): one statement whose
   * rows travel as one JSON parameter. Returns idempotency key -> new message id, and the
   * message.queued events of the new rows for the caller to record (with its own, in one batch).
   */
  async insertPrepared(m: EntityManager, list: readonly StoredMessage[]): Promise<{ ids: Map<string, string>; events: NewEvent[] }> {
    if (!list.length) return { ids: new Map(), events: [] };
    const now = this.clock.now();
    const inserted: Array<{ id: string; idempotency_key: string }> = await m.query(
      `INSERT INTO messages (idempotency_key, application_id, candidate_id, recipient_user_id, to_address, to_name, template, subject, html, text, secrets_enc, attachments, status, created_at)
       SELECT x.k, x.a, x.c, x.u, x.t, x.n, x.tp, x.s, x.h, x.x, x.e, x.at, 'queued', $2::timestamptz
         FROM json_to_recordset($1::json) AS x(k text, a uuid, c uuid, u uuid, t text, n text, tp text, s text, h text, x text, e text, at jsonb)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key`,
      [
        JSON.stringify(
          list.map(({ input: i, subject, html, text, secretsEnc }) => ({
            k: i.idempotencyKey,
            a: i.applicationId ?? null,
            c: i.candidateId ?? null,
            u: i.recipientUserId ?? null,
            t: i.to.address,
            n: i.to.name ?? null,
            tp: i.template,
            s: subject,
            h: html,
            x: text,
            e: secretsEnc,
            at: i.attachments ?? [],
          })),
        ),
        now,
      ],
    );
    const ids = new Map(inserted.map((r) => [r.idempotency_key, r.id]));
    const pending = new Map(ids);
    const events: NewEvent[] = [];
    for (const { input, subject } of list) {
      const id = pending.get(input.idempotencyKey);
      if (!id || !input.applicationId) continue;
      pending.delete(input.idempotencyKey); // a key given twice makes one message and one event
      events.push({
        applicationId: input.applicationId,
        type: EventType.MessageQueued,
        actor: input.actor ?? { kind: 'system' as const },
        at: now,
        data: { messageId: id, template: input.template, subject },
      });
    }
    return { ids, events };
  }

  async dispatch(ids: Array<string | null | undefined>): Promise<void> {
    const list = ids.filter((x): x is string => !!x);
    if (list.length > 20) {
      await this.queues.enqueueBulk(
        QueueName.Mail,
        JobName.DeliverMessage,
        list.map((messageId) => ({ jobId: messageId, data: { messageId } })),
      );
      return;
    }
    // Coalesced with the other requests' jobs of this turn of the event loop (QueueService.enqueueSoon).
    await Promise.all(list.map((messageId) => this.queues.enqueueSoon(QueueName.Mail, JobName.DeliverMessage, { messageId }, messageId)));
  }

  /**
   * Messages still queued (or stuck in sending) a minute after creation may have lost their job
   * (Redis restarted, API killed between commit and enqueue): enqueue them again. The job id is
   * the message id, so a message whose job still exists is not doubled. Paged by id.
   */
  async requeueLost(now: Date): Promise<{ requeued: number }> {
    const cutoff = new Date(now.getTime() - 60_000);
    let after = '00000000-0000-0000-0000-000000000000';
    let requeued = 0;
    for (;;) {
      const rows: Array<{ id: string }> = await this.ds.query(
        `SELECT id FROM messages WHERE status IN ('queued','sending') AND updated_at < $1 AND id > $2 ORDER BY id LIMIT 500`,
        [cutoff, after],
      );
      if (!rows.length) break;
      // One addBulk per page (a job id already in Redis is left as it is); a failure is retried by the next sweep.
      const jobs = rows.map((r) => ({ jobId: r.id, data: { messageId: r.id } }));
      if (await this.queues.enqueueBulk(QueueName.Mail, JobName.DeliverMessage, jobs)) requeued += rows.length;
      after = rows[rows.length - 1].id;
    }
    return { requeued };
  }
}

export type { Message };
