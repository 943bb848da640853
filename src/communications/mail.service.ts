import { Injectable, Logger } from '@nestjs/common';
import { touchLastContactCte } from '../pipeline/applications.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ApplicationEvent, EventType } from '../timeline/timeline.entity';
import { MailTransport } from './mail-transport';
import { Message } from './message.entity';
import { retryWrite } from '../common/database/retry';
import { preparedQuery } from '../common/database/prepared';
import { SqlParams, withCtes } from '../common/database/sql-params';
import { eventCtes } from '../timeline/timeline.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type PgClient = { query(sql: string, params?: unknown[]): Promise<unknown> };

/** How long a delivery waits for the database to record a message the SMTP server accepted. */
const RECORD_SENT_FOR_MS = 10 * 60_000;

/**
 * Claim a queued message for sending (or take back one left in 'sending' by a crashed attempt),
 * returning the row and the candidate it is about: its own candidate, else its application's.
 */
const CLAIM_SQL = `UPDATE messages msg SET status = 'sending', attempts = msg.attempts + 1, updated_at = CURRENT_TIMESTAMP
   WHERE msg.id = $1 AND msg.status IN ('queued', 'sending')
   RETURNING msg.*, coalesce(msg.candidate_id, (SELECT a.candidate_id FROM applications a WHERE a.id = msg.application_id)) AS about_candidate_id`;

/**
 * 'sending' → 'sent', the application's last contact (messages to the candidate only) and the
 * `message.sent` event, in one statement: one round trip after the SMTP server's 250, atomic on
 * its own. Nothing happens when the row is no longer 'sending' (already recorded).
 */
function recordSent(message: Message, at: Date): [string, unknown[]] {
  const p = new SqlParams();
  const id = p.add(message.id, '::uuid');
  const now = p.add(at, '::timestamptz');
  // A message to the candidate restarts the application's contact clock, so this statement writes
  // the application's row too. It locks that row BEFORE the message's, the order of every other
  // writer of both (an erasure withdraws the applications, then empties the messages): taken the
  // other way round, the two could deadlock. `lock` runs when `sent` first tests its row (an
  // InitPlan), before the UPDATE locks it.
  const lockFirst = !!(message.applicationId && message.candidateId);
  const ctes = [
    ...(lockFirst ? [`lock AS (SELECT id FROM applications WHERE id = ${p.add(message.applicationId, '::uuid')} FOR NO KEY UPDATE)`] : []),
    `sent AS (
       UPDATE messages SET status = 'sent', sent_at = ${now}, last_error = NULL, updated_at = CURRENT_TIMESTAMP
        WHERE id = ${id} AND status = 'sending'${lockFirst ? ' AND (SELECT count(*) FROM lock) >= 0' : ''} RETURNING application_id, candidate_id
     )`,
    // Only messages to the candidate restart the contact clock.
    touchLastContactCte(p, 'contact', 'sent', 'sent.candidate_id IS NOT NULL', at),
    ...(message.applicationId
      ? eventCtes(
          p,
          {
            applicationId: message.applicationId,
            type: EventType.MessageSent,
            at,
            actorKind: 'system',
            actorId: null,
            data: { messageId: message.id, template: message.template, subject: message.subject },
          },
          'event',
          'sent',
        )
      : []),
  ];
  return [withCtes(ctes, 'SELECT (SELECT count(*) FROM sent)::int AS marked'), p.values];
}

/**
 * Delivery of one outbox row. Guarantee (see docs/architecture.md): at least once, and exactly
 * once in the ordinary case: the row is marked sent by one statement right after the SMTP server
 * accepts it (that write waits out a database outage instead of failing the job), so only the
 * process dying in that window (one round trip) resends (with the same Message-ID). A message already sent, failed or cancelled is never sent again.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
  ) {}

  /** Returns 'sent', 'skipped' (already handled) or throws so the queue retries with backoff. */
  async deliver(messageId: string, finalAttempt: boolean): Promise<'sent' | 'skipped'> {
    // The claim also answers whose message it is (sendUnlessErased): one round trip, a prepared statement.
    const [row] = await preparedQuery<Record<string, unknown>>(this.ds, CLAIM_SQL, [messageId]);
    if (!row) return 'skipped';
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
    // The SMTP server has it: record that at once, in ONE statement (the row, the application's
    // last contact, the timeline event), so the window in which a crash makes the retry send it
    // again is one round trip. A database restart is waited out rather than failing the job
    // (whose retry would send the message a second time). Guarded by status so a retry whose
    // first commit went through changes nothing.
    const now = this.clock.now();
    await retryWrite(
      () => this.ds.query(...recordSent(message, now)),
      RECORD_SENT_FOR_MS,
      (e, attempt) =>
        this.logger.warn({ messageId, err: e.message, attempt }, 'mail accepted by the SMTP server but not yet recorded as sent; retrying'),
    );
    this.logger.log({ messageId, template: message.template }, 'mail sent');
    return 'sent';
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
   * the status read travel as ONE simple query (three statements, one round trip; then COMMIT is the
   * second). In READ COMMITTED each statement of a multi-statement query takes its own snapshot
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
      const results = (await client.query(
        `BEGIN; SELECT anonymized_at FROM candidates WHERE id = '${candidateId}' FOR SHARE; SELECT status FROM messages WHERE id = '${message.id}'`,
      )) as unknown as Array<{ rows: Array<Record<string, unknown>> }>;
      const c = results[1].rows[0] as { anonymized_at: Date | null } | undefined;
      const row = results[2].rows[0] as { status: string } | undefined;
      if (!c || c.anonymized_at || row?.status !== 'sending') {
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
