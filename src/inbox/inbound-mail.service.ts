import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { simpleParser, AddressObject, ParsedMail } from 'mailparser';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { badRequest, conflict, notFound } from '../common/errors/application.exception';
import { rowsOf } from '../common/database/rows';
import { withTimeout } from '../common/with-timeout';
import { teamFilterSql } from '../identity/team-scope';
import { Actor, EventType } from '../timeline/timeline.entity';
import { recordEvent } from '../timeline/timeline.repository';
import { mailboxOf, ourMessageIds, parseReplyAddress, splitIds } from './domain/reply-address';
import { TEXT_LIMIT, trimReply } from './domain/trim-reply';

export type MatchedBy = 'thread' | 'reply_address' | 'sender' | 'assigned';

export interface IngestResult {
  status: 'stored' | 'duplicate';
  id: string;
  applicationId: string | null;
  matchedBy: MatchedBy | null;
}

/** The host of our outbound Message-IDs (`<message uuid@host>`, see mail-transport.ts). */
export function messageIdHost(env: Env): string {
  return new URL(env.PUBLIC_URL ?? 'http://hiring.local').hostname;
}

const MAX_ATTACHMENTS = 10;
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(bytes < 1_000_000 ? 2 : 1)} MB`;
const PARSE_TIMEOUT_MS = 20_000;
/** Control characters (other than tab and newline) never reach a page or a log. */
const clean = (s: string, max: number) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').slice(0, max);
const addresses = (a: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string }> =>
  (Array.isArray(a) ? a : a ? [a] : [])
    .flatMap((x) => x.value)
    .flatMap((v) => [v, ...(v.group ?? [])])
    .filter((v) => !!v.address)
    .map((v) => ({ address: v.address!.toLowerCase().slice(0, 320), name: clean(v.name ?? '', 200) }))
    .slice(0, 100);

/** The inbound_messages columns the thread and the unmatched list read (raw SQL, snake_case). */
interface InboundRow {
  id: string;
  from_address: string;
  from_name: string | null;
  subject: string;
  text_display: string;
  notes: string[];
  received_at: Date;
}

/** An inbound mail as the thread and the unmatched list show it. */
const inboundItem = (r: InboundRow) => ({
  id: r.id,
  from: r.from_address,
  fromName: r.from_name,
  subject: r.subject,
  text: r.text_display,
  notes: r.notes,
  receivedAt: r.received_at,
});

/**
 * Inbound mail (docs/inbox.md): one owner for inbound_messages and inbound_attachments. A raw
 * mail is parsed with a bound on its size, matched to an application (our Message-IDs in
 * In-Reply-To/References, then the per-application reply address, then the sender's one active
 * application), and stored once: the dedupe key (the Message-ID, or a hash of the bytes when it
 * has none) is unique, so the same mail read twice is one message and one message.received event.
 */
@Injectable()
export class InboundMailService {
  private readonly logger = new Logger(InboundMailService.name);
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /**
   * Store one mail. `raw` is the whole mail, or only its headers when `size` is over
   * INBOUND_MAX_MESSAGE_BYTES (the reader fetches no more): it is then stored with a note.
   */
  async ingest(raw: Buffer, meta: { size?: number; receivedAt?: Date } = {}): Promise<IngestResult> {
    const size = meta.size ?? raw.length;
    const notes: string[] = [];
    const oversized = size > this.env.INBOUND_MAX_MESSAGE_BYTES || raw.length > this.env.INBOUND_MAX_MESSAGE_BYTES;
    let source = raw;
    if (oversized) {
      // Only the header block is read: the body stays in the mailbox.
      const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
      source = raw.subarray(0, Math.min(end >= 0 ? end + 2 : raw.length, 256_000));
      notes.push(
        `This mail is ${mb(size)}, over the ${mb(this.env.INBOUND_MAX_MESSAGE_BYTES)} limit: only its headers were read; the whole mail stays in the mailbox.`,
      );
    }
    let parsed: ParsedMail;
    try {
      parsed = await withTimeout(
        simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: 2_000_000 }),
        PARSE_TIMEOUT_MS,
        'parsing the mail',
      );
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'unreadable mail stored as unmatched');
      parsed = { headers: new Map(), headerLines: [], attachments: [], text: '', subject: '' } as unknown as ParsedMail;
      notes.push('This mail could not be read as MIME; the original is kept.');
    }
    const messageIdHeader = typeof parsed.messageId === 'string' ? clean(parsed.messageId, 500) : null;
    const dedupeKey = messageIdHeader
      ? `mid:${messageIdHeader.toLowerCase()}`
      : `sha:${createHash('sha256').update(raw.subarray(0, 1_000_000)).update(String(size)).digest('hex')}`;
    const existing = await this.ds.query(`SELECT id, application_id, matched_by FROM inbound_messages WHERE dedupe_key = $1`, [dedupeKey]);
    if (existing.length)
      return { status: 'duplicate', id: existing[0].id, applicationId: existing[0].application_id, matchedBy: existing[0].matched_by };

    const from = addresses(parsed.from)[0] ?? { address: 'unknown', name: '' };
    const inReplyTo = typeof parsed.inReplyTo === 'string' ? clean(parsed.inReplyTo, 1000) : null;
    const references = (Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [])
      .flatMap((r) => splitIds(`<${r.replace(/^<|>$/g, '')}>`))
      .slice(0, 100)
      .map((r) => clean(r, 300));
    const recipients = [
      ...addresses(parsed.to),
      ...addresses(parsed.cc),
      ...['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => {
        const v = parsed.headers.get(h);
        return (Array.isArray(v) ? v : v ? [v] : []).map((x) => ({
          address: String(typeof x === 'object' && x && 'text' in x ? (x as { text: string }).text : x).toLowerCase(),
          name: '',
        }));
      }),
    ];
    const autoSubmitted = String(parsed.headers.get('auto-submitted') ?? 'no').toLowerCase();
    const precedence = String(parsed.headers.get('precedence') ?? '').toLowerCase();
    const automatic =
      (autoSubmitted !== 'no' && autoSubmitted !== '') ||
      ['bulk', 'auto_reply', 'junk', 'list'].includes(precedence) ||
      parsed.headers.has('x-autoreply');
    if (automatic) notes.push('An automatic reply (out of office or similar): it does not need an answer.');

    const ours = mailboxOf(this.env.MAIL_FROM);
    const fromUs =
      from.address === `${ours.local}@${ours.domain}`.toLowerCase() ||
      (from.address.startsWith(`${ours.local}+`.toLowerCase()) && from.address.endsWith(`@${ours.domain}`));
    const match = fromUs
      ? null
      : await this.match(
          inReplyTo,
          references,
          recipients.map((r) => r.address),
          from.address,
        );

    const text = clean(parsed.text ?? '', TEXT_LIMIT);
    const subject = clean(parsed.subject ?? '', 500) || '(no subject)';
    const attachments = oversized ? [] : this.keepAttachments(parsed, notes);
    const receivedAt = meta.receivedAt ?? (parsed.date && !isNaN(parsed.date.getTime()) ? parsed.date : this.clock.now());
    const now = this.clock.now();
    const actor: Actor = { kind: 'candidate', id: null };

    return this.ds.transaction(async (m) => {
      const inserted: Array<{ id: string }> = await m.query(
        `INSERT INTO inbound_messages (dedupe_key, message_id_header, application_id, candidate_id, matched_by, from_address, from_name, subject,
                                       text_display, text_original, in_reply_to, "references", raw, raw_size, notes, received_at, created_at, answered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [
          dedupeKey,
          messageIdHeader,
          match?.applicationId ?? null,
          match?.candidateId ?? null,
          match?.by ?? null,
          from.address,
          from.name || null,
          subject,
          trimReply(text) || (attachments.length ? '(attachments only)' : '(empty message)'),
          text,
          inReplyTo,
          references,
          raw.length <= this.env.INBOUND_MAX_MESSAGE_BYTES ? raw : source,
          size,
          notes,
          receivedAt,
          now,
          automatic || fromUs ? now : null,
        ],
      );
      if (!inserted.length) {
        const [row] = await m.query(`SELECT id, application_id, matched_by FROM inbound_messages WHERE dedupe_key = $1`, [dedupeKey]);
        return { status: 'duplicate' as const, id: row.id, applicationId: row.application_id, matchedBy: row.matched_by };
      }
      const id = inserted[0].id;
      for (const a of attachments)
        await m.query(`INSERT INTO inbound_attachments (inbound_id, filename, content_type, size, content) VALUES ($1, $2, $3, $4, $5)`, [
          id,
          a.filename,
          a.contentType,
          a.content.length,
          a.content,
        ]);
      if (match)
        await recordEvent(m, match.applicationId, EventType.MessageReceived, actor, now, {
          inboundId: id,
          subject,
          from: from.address,
          matchedBy: match.by,
        });
      return { status: 'stored' as const, id, applicationId: match?.applicationId ?? null, matchedBy: match?.by ?? null };
    });
  }

  /** Attachments kept within the limits; the others are named in a note. */
  private keepAttachments(parsed: ParsedMail, notes: string[]): Array<{ filename: string; contentType: string; content: Buffer }> {
    const kept: Array<{ filename: string; contentType: string; content: Buffer }> = [];
    let total = 0;
    const dropped: string[] = [];
    for (const a of parsed.attachments ?? []) {
      const filename = clean((a.filename ?? 'attachment').replace(/[/\\]/g, '_'), 200) || 'attachment';
      const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(a.contentType ?? '') ? a.contentType : 'application/octet-stream';
      if (
        kept.length >= MAX_ATTACHMENTS ||
        a.content.length > this.env.INBOUND_MAX_ATTACHMENT_BYTES ||
        total + a.content.length > this.env.INBOUND_MAX_MESSAGE_BYTES
      ) {
        dropped.push(filename);
        continue;
      }
      total += a.content.length;
      kept.push({ filename, contentType, content: a.content });
    }
    if (dropped.length)
      notes.push(
        `${dropped.length} attachment${dropped.length > 1 ? 's' : ''} not kept (over the limits of ${MAX_ATTACHMENTS} files, ${mb(this.env.INBOUND_MAX_ATTACHMENT_BYTES)} each): ${dropped.slice(0, 5).join(', ')}${dropped.length > 5 ? ', …' : ''}`,
      );
    return kept;
  }

  /** The application a mail belongs to, and how that was decided; null: unmatched. */
  private async match(
    inReplyTo: string | null,
    references: string[],
    recipients: string[],
    sender: string,
  ): Promise<{ applicationId: string; candidateId: string; by: MatchedBy } | null> {
    const ids = ourMessageIds(inReplyTo, references, messageIdHost(this.env));
    if (ids.length) {
      const rows: Array<{ id: string; application_id: string; candidate_id: string }> = await this.ds.query(
        `SELECT m.id, m.application_id, a.candidate_id FROM messages m JOIN applications a ON a.id = m.application_id
          WHERE m.id = ANY($1::uuid[]) AND m.candidate_id IS NOT NULL`,
        [ids],
      );
      for (const id of ids) {
        const r = rows.find((x) => x.id === id);
        if (r) return { applicationId: r.application_id, candidateId: r.candidate_id, by: 'thread' };
      }
    }
    for (const address of recipients) {
      const appId = parseReplyAddress(address, this.env.MAIL_FROM, this.env.SESSION_SECRET);
      if (!appId) continue;
      const [r] = await this.ds.query(`SELECT id, candidate_id FROM applications WHERE id = $1`, [appId]);
      if (r) return { applicationId: r.id, candidateId: r.candidate_id, by: 'reply_address' };
    }
    const active: Array<{ id: string; candidate_id: string }> = await this.ds.query(
      `SELECT a.id, a.candidate_id FROM applications a JOIN candidates c ON c.id = a.candidate_id
        WHERE lower(c.email) = $1 AND a.status = 'active' AND c.anonymized_at IS NULL LIMIT 2`,
      [sender],
    );
    if (active.length === 1) return { applicationId: active[0].id, candidateId: active[0].candidate_id, by: 'sender' };
    return null;
  }

  /** The original of an inbound message (full text, no trimming). */
  async original(id: string): Promise<{ applicationId: string | null; text: string; raw: Buffer | null }> {
    const [r] = await this.ds.query(`SELECT application_id, text_original, raw FROM inbound_messages WHERE id = $1`, [id]);
    if (!r) throw notFound('Inbound message');
    return { applicationId: r.application_id, text: r.text_original, raw: r.raw };
  }

  async attachment(inboundId: string, attachmentId: string) {
    const [r] = await this.ds.query(
      `SELECT x.filename, x.content_type, x.content, i.application_id FROM inbound_attachments x JOIN inbound_messages i ON i.id = x.inbound_id
        WHERE x.id = $1 AND x.inbound_id = $2`,
      [attachmentId, inboundId],
    );
    if (!r) throw notFound('Attachment');
    return {
      filename: r.filename as string,
      contentType: r.content_type as string,
      content: r.content as Buffer,
      applicationId: r.application_id as string | null,
    };
  }

  /** Mail no application was found for, newest first (recruiters assign or dismiss it). */
  async unmatched(limit = 100) {
    const rows: InboundRow[] = await this.ds.query(
      `SELECT id, from_address, from_name, subject, text_display, notes, received_at FROM inbound_messages
        WHERE application_id IS NULL AND dismissed_at IS NULL ORDER BY created_at DESC, id LIMIT $1`,
      [limit],
    );
    return rows.map(inboundItem);
  }

  /** Files an unmatched mail onto an application (its message.received event, the reply clock). */
  async assign(id: string, applicationId: string, actor: Actor): Promise<{ id: string; applicationId: string }> {
    return this.ds.transaction(async (m) => {
      const [row] = await m.query(
        `SELECT id, application_id, subject, from_address, dismissed_at FROM inbound_messages WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) throw notFound('Inbound message');
      if (row.application_id) throw conflict('This mail is already on an application');
      const [app] = await m.query(`SELECT id, candidate_id FROM applications WHERE id = $1`, [applicationId]);
      if (!app) throw badRequest('applicationId names no application');
      const now = this.clock.now();
      await m.query(
        `UPDATE inbound_messages SET application_id = $2, candidate_id = $3, matched_by = 'assigned', assigned_by = $4, dismissed_at = NULL, dismissed_by = NULL WHERE id = $1`,
        [id, applicationId, app.candidate_id, actor.id ?? null],
      );
      await recordEvent(m, applicationId, EventType.MessageReceived, actor, now, {
        inboundId: id,
        subject: row.subject,
        from: row.from_address,
        matchedBy: 'assigned',
      });
      return { id, applicationId };
    });
  }

  async dismiss(id: string, actor: Actor): Promise<void> {
    const r = rowsOf<{ id: string }>(
      await this.ds.query(
        `UPDATE inbound_messages SET dismissed_at = $2, dismissed_by = $3 WHERE id = $1 AND application_id IS NULL RETURNING id`,
        [id, this.clock.now(), actor.id ?? null],
      ),
    );
    if (!r.length) throw notFound('Unmatched mail');
  }

  /**
   * The candidate's messages not yet answered on this application are answered by `messageId`
   * (called in the transaction that queues the reply). Returns the newest one, to thread under.
   */
  async latestOnApplication(
    applicationId: string,
  ): Promise<{ id: string; messageIdHeader: string | null; references: string[]; subject: string } | null> {
    const [r] = await this.ds.query(
      `SELECT id, message_id_header, "references", subject FROM inbound_messages WHERE application_id = $1 ORDER BY received_at DESC, created_at DESC, id DESC LIMIT 1`,
      [applicationId],
    );
    return r ? { id: r.id, messageIdHeader: r.message_id_header, references: r.references, subject: r.subject } : null;
  }

  /** The reader's last round: ok (with how many mails it stored) or the error that stopped it. */
  async recordStatus(outcome: { imported: number } | { error: string }): Promise<void> {
    const now = new Date(); // operational time, not the (possibly frozen) domain clock
    if ('error' in outcome)
      await this.ds.query(
        `INSERT INTO inbox_status (id, error, error_at) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET error = $1, error_at = $2`,
        [outcome.error, now],
      );
    else
      await this.ds.query(
        `INSERT INTO inbox_status (id, ok_at, imported) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET ok_at = $1, error = NULL, error_at = NULL, imported = inbox_status.imported + $2`,
        [now, outcome.imported],
      );
  }

  /**
   * Whether the team mailbox is being read: 'off' without IMAP_URL; 'up' when the reader's last
   * round succeeded recently; 'degraded' when it failed or has not run for a while (no worker).
   */
  async status(): Promise<{
    state: 'off' | 'up' | 'degraded';
    okAt: Date | null;
    error: string | null;
    imported: number;
    unmatched: number;
  }> {
    if (!this.env.IMAP_URL) return { state: 'off', okAt: null, error: null, imported: 0, unmatched: 0 };
    const [row] = await this.ds.query(`SELECT ok_at, error, error_at, imported FROM inbox_status WHERE id = 1`);
    const [{ n }] = await this.ds.query(
      `SELECT count(*)::int AS n FROM inbound_messages WHERE application_id IS NULL AND dismissed_at IS NULL`,
    );
    const okAt: Date | null = row?.ok_at ?? null;
    const staleAfter = Math.max(3 * this.env.IMAP_POLL_SECONDS * 1000, 5 * 60_000);
    const fresh = !!okAt && Date.now() - okAt.getTime() < staleAfter;
    const error: string | null =
      row?.error ??
      (fresh
        ? null
        : okAt
          ? 'the mailbox has not been read for a while (is the general worker running?)'
          : 'the mailbox has not been read yet');
    return { state: !row?.error && fresh ? 'up' : 'degraded', okAt, error, imported: row?.imported ?? 0, unmatched: n };
  }

  /** Active applications a mail can be filed on ("name — opening"), for the assign form; `viewer` limits to their teams. */
  async assignable(viewer: string | null): Promise<Array<{ id: string; label: string }>> {
    const rows: Array<{ id: string; name: string; email: string; title: string }> = await this.ds.query(
      `SELECT a.id, c.name, c.email, o.title FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN openings o ON o.id = a.opening_id
        WHERE a.status = 'active' AND c.anonymized_at IS NULL AND ($1::uuid IS NULL OR ${teamFilterSql('a.opening_id', '$1::uuid')})
        ORDER BY c.name, o.title LIMIT 500`,
      [viewer],
    );
    return rows.map((r) => ({ id: r.id, label: `${r.name} <${r.email}> (${r.title})` }));
  }
}
