import { Injectable, Logger } from '@nestjs/common';
import { touchLastContactCte } from '../pipeline/applications.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ApplicationEvent, EventType } from '../timeline/timeline.entity';
import { MailTransport } from './mail-transport';
import { Message } from './message.entity';
import { Batcher } from '../common/async/batcher';
import { retryOnConflict, retryWrite } from '../common/database/retry';
import { preparedQuery } from '../common/database/prepared';
import { SqlParams, withCtes } from '../common/database/sql-params';
import { eventCtes, sql } from '../timeline/timeline.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type PgClient = { query(sql: string, params?: unknown[]): Promise<unknown> };

/** How long a delivery waits for the database to record a message the SMTP server accepted. */
const RECORD_SENT_FOR_MS = 10 * 60_000;

/**
 * Claim queued messages for sending (or take back ones left in 'sending' by a crashed attempt),
 * returning each row and the candidate it is about: its own candidate, else its application's.
 * One statement for the deliveries that start together (MailService's batches); a prepared
 * statement (the ids travel as one array).
 */
const CLAIM_SQL = `UPDATE messages msg SET status = 'sending', attempts = msg.attempts + 1, updated_at = CURRENT_TIMESTAMP
   WHERE msg.id = ANY ($1::uuid[]) AND msg.status IN ('queued', 'sending')
   RETURNING msg.*, coalesce(msg.candidate_id, (SELECT a.candidate_id FROM applications a WHERE a.id = msg.application_id)) AS about_candidate_id`;

/**
 * 'sending' → 'sent' for every message of a batch the SMTP server accepted, their applications'
 * last contact (messages to the candidate only) and one `message.sent` event each, in one
 * statement: one round trip after the sends, atomic on its own. A message no longer 'sending'
 * (already recorded) changes nothing. The text is the same for every batch (the ids travel as
 * arrays), so it is a prepared statement: parsed and planned once per connection.
 */
function recordSent(messages: readonly Message[], at: Date): [string, unknown[]] {
  const p = new SqlParams();
  const ids = p.add(
    messages.map((m) => m.id),
    '::uuid[]',
  );
  const now = p.add(at, '::timestamptz');
  // A message to the candidate restarts the application's contact clock, so this statement writes
  // the applications' rows too. It locks them BEFORE the messages' rows, the order of every other
  // writer of both (an erasure withdraws the applications, then empties the messages), and in id
  // order: taken the other way round, the two could deadlock. `lock` runs when `sent` first tests
  // a row (an InitPlan), before the UPDATE locks any.
  const apps = [...new Set(messages.filter((m) => m.applicationId && m.candidateId).map((m) => m.applicationId!))].sort();
  const ctes = [
    `lock AS (SELECT id FROM applications WHERE id = ANY (${p.add(apps, '::uuid[]')}) ORDER BY id FOR NO KEY UPDATE)`,
    `sent AS (
       UPDATE messages SET status = 'sent', sent_at = ${now}, last_error = NULL, updated_at = CURRENT_TIMESTAMP
        WHERE id = ANY (${ids}) AND status = 'sending' AND (SELECT count(*) FROM lock) >= 0
        RETURNING id, application_id, candidate_id, template, subject
     )`,
    // Only messages to the candidate restart the contact clock.
    touchLastContactCte(p, 'contact', 'sent', 'sent.candidate_id IS NOT NULL', at),
    ...eventCtes(
      p,
      {
        applicationId: sql('sent.application_id'),
        type: EventType.MessageSent,
        at,
        actorKind: 'system',
        actorId: null,
        data: sql(`jsonb_build_object('messageId', sent.id, 'template', sent.template, 'subject', sent.subject)`),
      },
      'event',
      'sent WHERE sent.application_id IS NOT NULL',
    ),
  ];
  return [withCtes(ctes, 'SELECT (SELECT count(*) FROM sent)::int AS marked'), p.values];
}

/** The mail queue's concurrency (MailJob): a batch holds at most this many messages. */
export const MAIL_CONCURRENCY = 4;
/**
 * How long a claim waits for the deliveries starting after it (the jobs the queue hands over next)
 * to join its batch. When the worker keeps up, jobs arrive one by one (5 ms apart at 200 moves a
 * second): a mail then leaves up to this much later, for batches of several messages.
 */
const CLAIM_WAIT_MS = 20;
/** How long a `sent` record waits for the deliveries still sending beside it (the window in which a crash resends grows by at most this). */
const SENT_WAIT_MS = 10;

/**
 * Delivery of one outbox row. Guarantee (see docs/architecture.md): at least once, and exactly
 * once in the ordinary case: the row is marked sent by one statement right after the SMTP server
 * accepts it (that write waits out a database outage instead of failing the job), so only the
 * process dying in that window (one round trip, and at most SENT_WAIT_MS for the deliveries sent
 * beside it) resends (with the same Message-ID). A message already sent, failed or cancelled is
 * never sent again. The deliveries this process runs together share their claim and their `sent`
 * record (one statement each, see Batcher); each is still sent, recorded and retried on its own.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
  ) {}

  /** Deliveries of this process past their claim and not yet ended. */
  private claimed = 0;
  /** The claims of the deliveries that start together: one statement (a full batch goes at once). */
  private readonly claims = new Batcher<string, Record<string, unknown> | undefined>(
    (ids) => this.claimBatch(ids),
    (n) => n >= MAIL_CONCURRENCY,
    CLAIM_WAIT_MS,
  );
  /** The `sent` records of the deliveries sent together: one statement, at once when every claimed delivery has one waiting. */
  private readonly sents = new Batcher<Message, void>(
    (messages) => this.recordSentBatch(messages),
    (n) => n >= this.claimed,
    SENT_WAIT_MS,
  );

  /** Returns 'sent', 'skipped' (already handled) or throws so the queue retries with backoff. */
  async deliver(messageId: string, finalAttempt: boolean): Promise<'sent' | 'skipped'> {
    // The claim also answers whose message it is (sendUnlessErased).
    const row = await this.claims.add(messageId);
    if (!row) return 'skipped';
    this.claimed++;
    try {
      return await this.deliverClaimed(messageId, row, finalAttempt);
    } finally {
      this.claimed--;
      this.sents.recheck();
    }
  }

  private async deliverClaimed(messageId: string, row: Record<string, unknown>, finalAttempt: boolean): Promise<'sent' | 'skipped'> {
    const message = this.ds.getRepository(Message).create(this.toEntity(row));
    try {
      if ((await this.sendUnlessErased(message, (row.about_candidate_id as string | null) ?? null)) === 'erased') {
        this.logger.log({ messageId }, 'mail not sent: the candidate was erased');
        return 'skipped';
      }
    } catch (e) {
      const error = (e as Error).message.slice(0, 500);
      await this.ds.transaction(async (m) => {
        await m.update(Message, { id: messageId }, { status: finalAttempt ? 'failed' : 'queued', lastError: error });
        if (finalAttempt && message.applicationId) {
          await m.insert(ApplicationEvent, {
            applicationId: message.applicationId,
            type: EventType.MessageFailed,
            at: this.clock.now(),
            actorKind: 'system',
            actorId: null,
            data: { messageId, template: message.template, error },
          });
        }
      });
      this.logger.warn({ messageId, err: error, finalAttempt }, 'mail delivery failed');
      throw e;
    }
    // The SMTP server has it: record that at once, in ONE statement for the messages sent together
    // (the rows, the applications' last contact, the timeline events), so the window in which a
    // crash makes the retry send it again is one round trip (and the few ms a batch may wait).
    await this.sents.add(message);
    this.logger.log({ messageId, template: message.template }, 'mail sent');
    return 'sent';
  }

  /**
   * One claim for the deliveries that start together. A message asked for twice in one batch (two
   * jobs for one message at once) is claimed, so sent, once: the second delivery skips it.
   */
  private async claimBatch(ids: string[]): Promise<Array<Record<string, unknown> | undefined>> {
    const unique = [...new Set(ids)].sort();
    // Rows locked in another order by another writer of several messages (an erasure):
    // PostgreSQL cancels one of the two; the claim changed nothing, so it is tried again.
    const rows = await retryOnConflict(() => preparedQuery<Record<string, unknown>>(this.ds, CLAIM_SQL, [unique]), 3);
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    return ids.map((id) => {
      const row = byId.get(id);
      byId.delete(id);
      return row;
    });
  }

  /**
   * The `sent` record of a batch. A database restart is waited out rather than failing the jobs
   * (whose retries would send the messages a second time). Guarded by status, so a retry whose
   * first commit went through changes nothing.
   */
  private async recordSentBatch(messages: Message[]): Promise<void[]> {
    const [text, values] = recordSent(messages, this.clock.now());
    await retryWrite(
      () => preparedQuery(this.ds, text, values),
      RECORD_SENT_FOR_MS,
      (e, attempt) =>
        this.logger.warn(
          { messageIds: messages.map((m) => m.id), err: e.message, attempt },
          'mail accepted by the SMTP server but not yet recorded as sent; retrying',
        ),
    );
    return messages.map(() => undefined);
  }

  /**
   * Erasure wins any race with a send. A message about a candidate (theirs, or staff mail about
   * one of their applications) is handed to the transport while this transaction holds a share
   * lock on the candidate's row, after checking they are not erased and the message was not
   * cancelled meanwhile. The erasure locks that row FOR UPDATE, so it either runs first (and the
   * message is not sent) or waits until the send, and its .eml copy, are done; it deletes mail
   * copies after it commits, so no copy outlives it. Only the send is inside the transaction: the
   * 'sent' record (which touches the application) comes after, so no lock-order cycle.
   */
  private async sendUnlessErased(message: Message, aboutCandidateId: string | null): Promise<'sent' | 'erased'> {
    if (!aboutCandidateId) {
      await this.transport.send(message);
      return 'sent';
    }
    // Once the transport has the message, a failure of this transaction's COMMIT (the database went
    // away during the SMTP exchange) only released the share lock: the transaction wrote nothing.
    // It must not count as a failed send, or the retry would send the message a second time; the
    // 'sent' record after it waits the outage out.
    let handedOver = false;
    try {
      return await this.lockedSend(message, aboutCandidateId, () => (handedOver = true));
    } catch (e) {
      if (handedOver) {
        this.logger.warn(
          { messageId: message.id, err: (e as Error).message },
          'mail handed over; the lock transaction ended with an error',
        );
        return 'sent';
      }
      throw e;
    }
  }

  /**
   * The lock, then the message's status, then the send, in one transaction: BEGIN, the share lock and
   * the status read travel as ONE simple query (four statements with the commit setting, one round
   * trip; then COMMIT is the second). In READ COMMITTED each statement of a multi-statement query takes its own snapshot
   * when it starts, so the status is read after the lock was granted (a cancellation committed by
   * whoever held the candidate's row is seen), as with three separate round trips. The simple
   * protocol carries no parameters: the two ids are checked to be UUIDs and inlined.
   */
  private async lockedSend(message: Message, candidateId: string, onHandedOver: () => void): Promise<'sent' | 'erased'> {
    if (!UUID.test(candidateId) || !UUID.test(message.id)) throw new Error('lockedSend: ids must be UUIDs');
    const runner = this.ds.createQueryRunner();
    const client = (await runner.connect()) as PgClient;
    let open = false;
    try {
      open = true;
      // The transaction only holds a lock while the message is handed over: its commit need not wait
      // for the WAL to reach the disk (lost in a crash, it is a lock that ended; an erasure that
      // waited for it flushes the WAL with its own commit). Its one write, the cancellation below,
      // is made durable as before.
      const results = (await client.query(
        `BEGIN; SET LOCAL synchronous_commit = off; SELECT anonymized_at FROM candidates WHERE id = '${candidateId}' FOR SHARE; SELECT status FROM messages WHERE id = '${message.id}'`,
      )) as unknown as Array<{ rows: Array<Record<string, unknown>> }>;
      const c = results[2].rows[0] as { anonymized_at: Date | null } | undefined;
      const row = results[3].rows[0] as { status: string } | undefined;
      if (!c || c.anonymized_at || row?.status !== 'sending') {
        await client.query('SET LOCAL synchronous_commit = on');
        await client.query(
          `UPDATE messages SET status = 'cancelled', updated_at = CURRENT_TIMESTAMP WHERE id = $1 AND status IN ('queued', 'sending')`,
          [message.id],
        );
        await client.query('COMMIT');
        open = false;
        return 'erased' as const;
      }
      await this.transport.send(message);
      onHandedOver();
      await client.query('COMMIT');
      open = false;
      return 'sent' as const;
    } catch (e) {
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }

  private toEntity(row: Record<string, unknown>): Partial<Message> {
    return {
      id: row.id as string,
      idempotencyKey: row.idempotency_key as string,
      applicationId: row.application_id as string | null,
      candidateId: row.candidate_id as string | null,
      recipientUserId: row.recipient_user_id as string | null,
      toAddress: row.to_address as string,
      toName: row.to_name as string | null,
      template: row.template as string,
      subject: row.subject as string,
      html: row.html as string,
      text: row.text as string,
      secretsEnc: (row.secrets_enc as string | null) ?? null,
      attachments: (row.attachments as Message['attachments']) ?? [],
      inReplyTo: (row.in_reply_to as string | null) ?? null,
      references: (row.references as string | null) ?? null,
      status: row.status as Message['status'],
      attempts: row.attempts as number,
    };
  }
}
