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
import { eventCtes, recordEvents, sql } from '../timeline/timeline.repository';
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
    if (!inputs.length) return new Map();
    const rendered: RenderedMessage[] = [];
    for (const input of inputs) rendered.push(await this.templates.render(input.template, input.context, input.openingId, m));
    const now = this.clock.now();
    const stored = rendered.map((r) => protect(this.env.SESSION_SECRET, r));
    const inserted: Array<{ id: string; idempotency_key: string }> = await m.query(
      `INSERT INTO messages (idempotency_key, application_id, candidate_id, recipient_user_id, to_address, to_name, template, subject, html, text, secrets_enc, attachments, status, created_at)
       SELECT x.*, 'queued', $13::timestamptz
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::jsonb[]) AS x
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key`,
      [
        inputs.map((i) => i.idempotencyKey),
        inputs.map((i) => i.applicationId ?? null),
        inputs.map((i) => i.candidateId ?? null),
        inputs.map((i) => i.recipientUserId ?? null),
        inputs.map((i) => i.to.address),
        inputs.map((i) => i.to.name ?? null),
        inputs.map((i) => i.template),
        rendered.map((r) => r.subject),
        stored.map((r) => r.html),
        stored.map((r) => r.text),
        stored.map((r) => r.secretsEnc),
        inputs.map((i) => JSON.stringify(i.attachments ?? [])),
        now,
      ],
    );
    const ids = new Map(inserted.map((r) => [r.idempotency_key, r.id]));
    await recordEvents(
      m,
      inputs.flatMap((input, i) => {
        const id = ids.get(input.idempotencyKey);
        if (!id || !input.applicationId) return [];
        ids.delete(input.idempotencyKey); // a key given twice makes one message and one event
        return [
          {
            applicationId: input.applicationId,
            type: EventType.MessageQueued,
            actor: input.actor ?? { kind: 'system' as const },
            at: now,
            data: { messageId: id, template: input.template, subject: rendered[i].subject },
          },
        ];
      }),
    );
    return new Map(inserted.map((r) => [r.idempotency_key, r.id]));
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
    await Promise.all(list.map((messageId) => this.queues.enqueue(QueueName.Mail, JobName.DeliverMessage, { messageId }, messageId)));
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
