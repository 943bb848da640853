import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '../common/clock/clock';
import { QueueService } from '../common/queues/queue.service';
import { JobName, QueueName } from '../common/queues/queues';
import { Actor, EventType } from '../pipeline/application.entity';
import { recordEvents } from '../pipeline/timeline';
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
  ) {}

  /** Returns the new message id, or null when this cause already has a message. */
  async queue(m: EntityManager, input: QueueMessageInput): Promise<string | null> {
    const rendered = await this.templates.render(input.template, input.context, input.openingId, m);
    const now = this.clock.now();
    // The row and its message.queued timeline event in one statement (one round trip); the event
    // is written only when the row is new and belongs to an application.
    const inserted: Array<{ id: string }> = await m.query(
      `WITH msg AS (
         INSERT INTO messages (idempotency_key, application_id, candidate_id, recipient_user_id, to_address, to_name, template, subject, html, text, attachments, status, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'queued',$12)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
       ), ev AS (
         INSERT INTO application_events (application_id, type, at, actor_kind, actor_id, data)
         SELECT $2::uuid, $13, $12, $14, $15, jsonb_build_object('messageId', msg.id, 'template', $7::text, 'subject', $8::text)
           FROM msg WHERE $2::uuid IS NOT NULL
       )
       SELECT id FROM msg`,
      [input.idempotencyKey, input.applicationId ?? null, input.candidateId ?? null, input.recipientUserId ?? null, input.to.address, input.to.name ?? null,
        input.template, rendered.subject, rendered.html, rendered.text, JSON.stringify(input.attachments ?? []), now,
        EventType.MessageQueued, input.actor?.kind ?? 'system', input.actor?.id ?? null],
    );
    return inserted[0]?.id ?? null;
  }

  /**
   * queue() for many messages in one insert (the sweeps): each is rendered, rows whose cause
   * already has a message are skipped (ON CONFLICT on the idempotency key), and every new one
   * gets its message.queued event, all in the caller's transaction. Returns idempotency key ->
   * new message id for the rows inserted.
   */
  async queueMany(m: EntityManager, inputs: readonly QueueMessageInput[]): Promise<Map<string, string>> {
    if (!inputs.length) return new Map();
    const rendered: RenderedMessage[] = [];
    for (const input of inputs) rendered.push(await this.templates.render(input.template, input.context, input.openingId, m));
    const now = this.clock.now();
    const inserted: Array<{ id: string; idempotency_key: string }> = await m.query(
      `INSERT INTO messages (idempotency_key, application_id, candidate_id, recipient_user_id, to_address, to_name, template, subject, html, text, attachments, status, created_at)
       SELECT x.*, 'queued', $12::timestamptz
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::jsonb[]) AS x
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key`,
      [
        inputs.map((i) => i.idempotencyKey), inputs.map((i) => i.applicationId ?? null), inputs.map((i) => i.candidateId ?? null),
        inputs.map((i) => i.recipientUserId ?? null), inputs.map((i) => i.to.address), inputs.map((i) => i.to.name ?? null), inputs.map((i) => i.template),
        rendered.map((r) => r.subject), rendered.map((r) => r.html), rendered.map((r) => r.text), inputs.map((i) => JSON.stringify(i.attachments ?? [])), now,
      ],
    );
    const ids = new Map(inserted.map((r) => [r.idempotency_key, r.id]));
    await recordEvents(
      m,
      inputs.flatMap((input, i) => {
        const id = ids.get(input.idempotencyKey);
        if (!id || !input.applicationId) return [];
        ids.delete(input.idempotencyKey); // a key given twice makes one message and one event
        return [{ applicationId: input.applicationId, type: EventType.MessageQueued, actor: input.actor ?? { kind: 'system' as const }, at: now,
          data: { messageId: id, template: input.template, subject: rendered[i].subject } }];
      }),
    );
    return new Map(inserted.map((r) => [r.idempotency_key, r.id]));
  }

  async dispatch(ids: Array<string | null | undefined>, requestId?: string): Promise<void> {
    const list = ids.filter((x): x is string => !!x);
    if (list.length > 20) {
      await this.queues.enqueueBulk(QueueName.Mail, JobName.DeliverMessage, list.map((messageId) => ({ jobId: messageId, data: { messageId, requestId } })));
      return;
    }
    await Promise.all(list.map((messageId) => this.queues.enqueue(QueueName.Mail, JobName.DeliverMessage, { messageId, requestId }, messageId)));
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
      for (const r of rows) if (await this.queues.enqueue(QueueName.Mail, JobName.DeliverMessage, { messageId: r.id }, r.id)) requeued++;
      after = rows[rows.length - 1].id;
    }
    return { requeued };
  }
}

export type { Message };
