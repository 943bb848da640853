import { Inject, Injectable, Logger } from '@nestjs/common';
import { withdrawAll } from '../pipeline/applications.repository';
import { AlertsRepository } from '../alerts/alerts.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { notFound } from '../common/errors/application.exception';
import { rowsOf } from '../common/database/rows';
import { retryOnConflict } from '../common/database/retry';
import { EventType } from '../timeline/timeline.entity';
import { recordEvent } from '../timeline/timeline.repository';
import { ColumnInfo, discoverLinkedTables, LinkedTable, quoteIdent as q } from './data-map';
import { ERASED_NAME, ERASED_TEXT, erasedEmail, eraseStrings, NeedlePatterns, needlePatterns, sanitizeEventData } from './domain/scrub';

export type ErasureVia = 'staff' | 'candidate' | 'retention';

export interface ErasureResult {
  candidateId: string;
  erasedAt: Date;
  alreadyErased: boolean;
  /** Rows changed per table. */
  tables: Record<string, number>;
  /** Linked tables without a specific rule, scrubbed by the generic rules (worth a look). */
  genericTables: string[];
  warnings: string[];
  filesRemoved: number;
  /** What was stopped: take-home links revoked, applications withdrawn, future interviews and reviews cancelled. */
  closed: { invitationsRevoked: number; applicationsWithdrawn: number; interviewsCancelled: number; reviewsCancelled: number };
}

/** Column names that hold free text or identifiers about a person in any linked table: blanked. */
const FREE_TEXT = new Set([
  'name',
  'full_name',
  'first_name',
  'last_name',
  'email',
  'phone',
  'address',
  'url',
  'public_code_url',
  'note',
  'notes',
  'reason',
  'cancel_reason',
  'comment',
  'comments',
  'statement',
  'body',
  'content',
  'feedback',
  'answer',
  'user_agent',
  'ip',
  'original_filename',
  'last_error',
  'response_excerpt',
]);

/** Tables with their own rules (the rest get the generic ones). `keep`: columns not blanked, only cleaned of identifiers. */
const RULES: Record<string, { keep?: string[]; skip?: boolean; custom?: (m: EntityManager, t: LinkedTable, ctx: Ctx) => Promise<number> }> =
  {
    erasures: { skip: true },
    application_events: { custom: (m, t, ctx) => scrubEvents(m, t, ctx) },
    messages: { custom: (m, t, ctx) => scrubMessages(m, t, ctx), keep: ['subject', 'html', 'text', 'to_name', 'to_address', 'last_error'] },
    alerts: { keep: ['message'] },
    // A résumé is the person's own document: the file and its text go entirely.
    resumes: { custom: (m, t, ctx) => exec(m, `DELETE FROM resumes WHERE ${t.where}`, ctx) },
    // The candidate's own mail (src/inbox): the rows go, their attachments with them (cascade).
    inbound_attachments: { custom: (m, t, ctx) => exec(m, `DELETE FROM inbound_attachments WHERE ${t.where}`, ctx) },
    inbound_messages: { custom: (m, t, ctx) => exec(m, `DELETE FROM inbound_messages WHERE ${t.where}`, ctx) },
    screening_sessions: {
      custom: (m, t, ctx) =>
        exec(
          m,
          `UPDATE screening_sessions SET
          answers = coalesce((SELECT jsonb_agg(a || '{"given":"${ERASED_TEXT}","note":null,"matchedAgainst":null}'::jsonb ORDER BY o) FROM jsonb_array_elements(answers) WITH ORDINALITY AS x(a, o)), '[]'::jsonb),
          checklist = checklist || '{"nextJobAnswer":null}'::jsonb
        WHERE ${t.where}`,
          ctx,
        ),
    },
    // Answers on the careers form: what they wrote goes; the scores (and the funnel) stay.
    application_answers: {
      custom: (m, t, ctx) =>
        exec(
          m,
          `UPDATE application_answers SET
          answers = coalesce((SELECT jsonb_agg(a || '{"given":"${ERASED_TEXT}"}'::jsonb ORDER BY o) FROM jsonb_array_elements(answers) WITH ORDINALITY AS x(a, o)), '[]'::jsonb)
        WHERE ${t.where}`,
          ctx,
        ),
    },
    submissions: {
      custom: (m, t, ctx) =>
        exec(
          m,
          `UPDATE submissions SET archive = '\\x'::bytea, sha256 = repeat('0', 64), original_filename = NULL,
          result = CASE WHEN result IS NULL THEN NULL ELSE jsonb_strip_nulls(jsonb_build_object('status', result->'status', 'total', result->'total', 'passed', result->'passed',
            'failed', result->'failed', 'errors', result->'errors', 'skipped', result->'skipped', 'durationMs', result->'durationMs', 'erased', true)) END
        WHERE ${t.where}`,
          ctx,
        ),
    },
    offers: {
      custom: (m, t, ctx) =>
        exec(
          m,
          `UPDATE offers SET override_reason = CASE WHEN overridden THEN '${ERASED_TEXT}' ELSE NULL END WHERE ${t.where} AND override_reason IS NOT NULL`,
          ctx,
        ),
    },
    // Self-scheduling offers (src/reviews): the rows and their link tokens go; the booked review keeps its own row.
    slot_offers: { custom: (m, t, ctx) => exec(m, `DELETE FROM slot_offers WHERE ${t.where}`, ctx) },
    attestations: { custom: (m, t, ctx) => exec(m, `UPDATE attestations SET full_name = '${ERASED_NAME}' WHERE ${t.where}`, ctx) },
    // Scorecards keep their scores and recommendation (the decision's counts stay true); the evidence notes go.
    scorecards: { custom: (m, t, ctx) => exec(m, `UPDATE scorecards SET notes = '${ERASED_TEXT}' WHERE ${t.where} AND notes <> ''`, ctx) },
    // The experience survey keeps its score and "kept informed" answer (anonymous figures stay true); the comment goes.
    candidate_surveys: {
      custom: (m, t, ctx) => exec(m, `UPDATE candidate_surveys SET comment = NULL WHERE ${t.where} AND comment IS NOT NULL`, ctx),
    },
    scorecard_versions: {
      custom: (m, t, ctx) => exec(m, `UPDATE scorecard_versions SET notes = '${ERASED_TEXT}' WHERE ${t.where} AND notes <> ''`, ctx),
    },
  };
const KNOWN = new Set([
  ...Object.keys(RULES),
  'exemptions',
  'review_sessions',
  'invitations',
  'assignment_feedback',
  'interview_sessions',
  'onboarding_plans',
  'onboarding_items',
  'webhook_deliveries',
  'webhook_attempts',
]);

interface Ctx {
  candidateId: string;
  appIds: string[];
  patterns: NeedlePatterns;
  touchedMessages: Set<string>;
}

async function exec(m: EntityManager, sql: string, ctx: Ctx, extra: unknown[] = []): Promise<number> {
  const r = await m.query(sql, [ctx.candidateId, ctx.appIds, ...extra]);
  return Array.isArray(r) && typeof r[1] === 'number' ? r[1] : 0;
}

/** SQL expression replacing every identifier in a text expression; parameters start at `first`. */
function replaceExpr(expr: string, patterns: NeedlePatterns, first: number): { sql: string; params: string[] } {
  let sql = expr;
  const params: string[] = [];
  for (const [re, rep] of patterns.replacements) {
    params.push(re, rep);
    sql = `regexp_replace(${sql}, $${first + params.length - 2}, $${first + params.length - 1}, 'gi')`;
  }
  return { sql, params };
}

/** Replace identifiers (name, e-mail, phone, URLs) in every text-like column of the selected rows. */
async function replaceIdentifiers(
  m: EntityManager,
  table: string,
  where: string,
  columns: ColumnInfo[],
  ctx: Ctx,
  params: unknown[] = [ctx.candidateId, ctx.appIds],
): Promise<number> {
  if (!ctx.patterns.any) return 0;
  let n = 0;
  for (const c of columns) {
    const col = q(c.name);
    const anyIdx = params.length + 1;
    if (c.type === 'text' || c.type === 'jsonb') {
      const asText = c.type === 'jsonb' ? `${col}::text` : col;
      const r = replaceExpr(asText, ctx.patterns, anyIdx + 1);
      const value = c.type === 'jsonb' ? `(${r.sql})::jsonb` : r.sql;
      const res = await m.query(`UPDATE ${q(table)} SET ${col} = ${value} WHERE ${where} AND ${asText} ~* $${anyIdx}`, [
        ...params,
        ctx.patterns.any,
        ...r.params,
      ]);
      n += Array.isArray(res) && typeof res[1] === 'number' ? res[1] : 0;
    } else if (c.type === 'text[]') {
      const r = replaceExpr('x', ctx.patterns, anyIdx + 1);
      const res = await m.query(
        `UPDATE ${q(table)} SET ${col} = ARRAY(SELECT ${r.sql} FROM unnest(${col}) WITH ORDINALITY AS u(x, o) ORDER BY o)
          WHERE ${where} AND array_to_string(${col}, ' ') ~* $${anyIdx}`,
        [...params, ctx.patterns.any, ...r.params],
      );
      n += Array.isArray(res) && typeof res[1] === 'number' ? res[1] : 0;
    }
  }
  return n;
}

async function scrubEvents(m: EntityManager, t: LinkedTable, ctx: Ctx): Promise<number> {
  const rows: Array<{ id: string; data: Record<string, unknown> }> = await m.query(
    `SELECT id, data FROM application_events WHERE ${t.where}`,
    [ctx.candidateId, ctx.appIds],
  );
  let n = 0;
  for (const r of rows) {
    const clean = sanitizeEventData(r.data ?? {});
    if (JSON.stringify(clean) === JSON.stringify(r.data)) continue;
    await m.query(`UPDATE application_events SET data = $2 WHERE id = $1`, [r.id, JSON.stringify(clean)]);
    n++;
  }
  return n;
}

/**
 * Messages to the candidate are emptied (and cancelled when still queued); staff messages about
 * them lose the identifiers. A message in 'sending' was handed to the transport before this
 * transaction got the candidate's lock (it is recorded as sent), or its job died: the retry sees
 * the erasure under the same lock and cancels it (MailService.sendUnlessErased).
 */
async function scrubMessages(m: EntityManager, t: LinkedTable, ctx: Ctx): Promise<number> {
  const own = rowsOf<{ id: string }>(
    await m.query(
      `UPDATE messages SET to_address = $3, to_name = NULL, subject = '${ERASED_TEXT}', html = '', text = '', attachments = '[]'::jsonb, last_error = NULL,
              status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END
        WHERE candidate_id = $1 OR (application_id = ANY($2::uuid[]) AND recipient_user_id IS NULL) RETURNING id`,
      [ctx.candidateId, ctx.appIds, erasedEmail(ctx.candidateId)],
    ),
  );
  own.forEach((r) => ctx.touchedMessages.add(r.id));
  return own.length;
}

/**
 * Erasure (on request or when retention expires): one transaction that empties a candidate's
 * personal data from every table that refers to them while keeping the rows insights count
 * (applications, stages, statuses, events' types and times), then removes mail copies on disk.
 * The candidate row stays as a placeholder ('Erased candidate', erased-<id>@invalid).
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger('Erasure');
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
    private readonly alerts: AlertsRepository,
  ) {}

  async erase(candidateId: string, via: ErasureVia, requestedBy: string | null, now = this.clock.now()): Promise<ErasureResult> {
    // A delivery recording its message as sent right as the erasure takes the candidate's rows can
    // deadlock with it; the erasure (one transaction, nothing done yet) simply runs again.
    return retryOnConflict(
      () => this.eraseOnce(candidateId, via, requestedBy, now),
      4,
      (_e, attempt) => this.logger.warn({ candidateId, attempt }, 'erasure met a deadlock with a concurrent write; trying again'),
    );
  }

  private async eraseOnce(candidateId: string, via: ErasureVia, requestedBy: string | null, now: Date): Promise<ErasureResult> {
    const result = await this.ds.transaction(async (m) => {
      // Lock order: the applications (as every use case does), then the candidate, then the
      // applications again for one created meanwhile. No transition writes about the person
      // until this commits; a message written after it is cancelled by a trigger.
      const lockApps = (): Promise<Array<{ id: string }>> =>
        m.query(`SELECT id FROM applications WHERE candidate_id = $1 ORDER BY id FOR UPDATE`, [candidateId]);
      await lockApps();
      const [candidate]: Array<{
        id: string;
        name: string;
        email: string;
        phone: string | null;
        public_code_url: string | null;
        anonymized_at: Date | null;
        created_at: Date;
      }> = await m.query(
        `SELECT id, name, email, phone, public_code_url, anonymized_at, created_at FROM candidates WHERE id = $1 FOR UPDATE`,
        [candidateId],
      );
      if (!candidate) throw notFound('Candidate');
      if (candidate.anonymized_at)
        return {
          candidateId,
          erasedAt: candidate.anonymized_at,
          alreadyErased: true,
          tables: {},
          genericTables: [],
          warnings: [] as string[],
          touched: [] as string[],
          closed: { invitationsRevoked: 0, applicationsWithdrawn: 0, interviewsCancelled: 0, reviewsCancelled: 0 },
        };
      const apps = await lockApps();
      // The rows of the timeline and the audit log may be rewritten in this transaction only.
      await m.query(`SET LOCAL hiring.allow_rewrite = 'on'`);
      const appIds = apps.map((a) => a.id);
      const closed = await this.closeOut(m, appIds, now);
      const linked = await discoverLinkedTables(m);
      const ctx: Ctx = {
        candidateId,
        appIds,
        patterns: needlePatterns(await this.identifiers(m, candidate, appIds, linked), candidateId),
        touchedMessages: new Set(),
      };
      const tables: Record<string, number> = {};
      const count = (t: string, n: number) => n && (tables[t] = (tables[t] ?? 0) + n);
      const genericTables: string[] = [];
      const warnings: string[] = [];

      for (const t of linked) {
        const rule = RULES[t.table];
        if (rule?.skip) continue;
        if (rule?.custom) count(t.table, await rule.custom(m, t, ctx));
        if (KNOWN.has(t.table)) {
          count(t.table, await this.blank(m, t, rule?.keep ?? [], ctx));
        } else {
          // A table added after this code: the generic rules, column by column inside savepoints,
          // so a column the rules cannot blank (a CHECK, say) keeps its value (cleaned of
          // identifiers below) and is reported, while the others are emptied.
          genericTables.push(t.table);
          for (const col of t.columns) {
            if (col.checked && col.type === 'text' && FREE_TEXT.has(col.name)) {
              warnings.push(`${t.table}.${col.name} is under a CHECK constraint and was not emptied; identifiers were removed from it`);
              continue;
            }
            await m.query('SAVEPOINT generic_blank');
            try {
              count(t.table, await this.blank(m, { ...t, columns: [col] }, [], ctx));
              await m.query('RELEASE SAVEPOINT generic_blank');
            } catch (e) {
              await m.query('ROLLBACK TO SAVEPOINT generic_blank');
              warnings.push(`${t.table}.${col.name} could not be emptied (${(e as Error).message}); identifiers were removed from it`);
            }
          }
        }
        if (t.table !== 'application_events') count(t.table, await replaceIdentifiers(m, t.table, t.where, t.columns, ctx));
      }
      count('messages', await this.scrubOtherMessages(m, ctx, candidate.created_at));
      // After the scrub (which empties the free text of her events): why these were withdrawn.
      for (const a of closed.withdrawn)
        await recordEvent(m, a.id, EventType.ApplicationWithdrawn, { kind: 'system' }, now, { stage: a.stage, reason: 'erasure' });
      // Mail copies on disk (DATA_DIR/mail) of every message about the person go too.
      for (const r of (await m.query(`SELECT id FROM messages WHERE application_id = ANY($1::uuid[])`, [appIds])) as Array<{ id: string }>)
        ctx.touchedMessages.add(r.id);
      count('audit_log', await this.scrubAudit(m, ctx, candidate.created_at));
      count('chat_deliveries', await this.scrubChatDeliveries(m, ctx, candidate.created_at));

      await m.query(
        `UPDATE candidates SET name = $2, email = $3, phone = NULL, source_detail = NULL, public_code_url = NULL, timezone = 'UTC', consent_at = NULL, resume_text = NULL, notes_text = '',
                anonymized_at = $4, updated_at = $4 WHERE id = $1`,
        [candidateId, ERASED_NAME, erasedEmail(candidateId), now],
      );
      tables.candidates = 1;
      await m.query(
        `INSERT INTO erasures (candidate_id, reason, requested_via, requested_by, at, summary) VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          candidateId,
          via === 'retention' ? 'retention' : 'request',
          via,
          requestedBy,
          now,
          JSON.stringify({ tables, genericTables, warnings, applications: appIds.length }),
        ],
      );
      const { withdrawn: _w, ...closedCounts } = closed;
      return {
        candidateId,
        erasedAt: now,
        alreadyErased: false,
        tables,
        genericTables,
        warnings,
        touched: [...ctx.touchedMessages],
        closed: closedCounts,
      };
    });
    const filesRemoved = result.touched.length ? await this.removeMailCopies(result.touched) : 0;
    if (!result.alreadyErased)
      this.logger.log({ candidateId, via, tables: result.tables, genericTables: result.genericTables, filesRemoved }, 'candidate erased');
    if (result.genericTables.length || result.warnings.length) {
      this.logger.warn(
        { tables: result.genericTables, warnings: result.warnings },
        'erasure used generic rules for tables without a specific rule; review src/privacy/erasure.service.ts',
      );
    }
    const { touched: _t, ...rest } = result;
    return { ...rest, filesRemoved };
  }

  /**
   * Nothing goes on about an erased person: their take-home links are revoked (the portal answers
   * 404), their active applications are withdrawn (with an application.withdrawn event, so the
   * funnel counts them), and their interviews and code reviews still to come are cancelled.
   * Counted in the result's `closed`.
   */
  private async closeOut(
    m: EntityManager,
    appIds: string[],
    now: Date,
  ): Promise<ErasureResult['closed'] & { withdrawn: Array<{ id: string; stage: string }> }> {
    if (!appIds.length)
      return { invitationsRevoked: 0, applicationsWithdrawn: 0, interviewsCancelled: 0, reviewsCancelled: 0, withdrawn: [] };
    const n = (r: unknown) => (Array.isArray(r) && typeof r[1] === 'number' ? r[1] : 0);
    const invitations = n(
      await m.query(
        `UPDATE invitations SET revoked_at = $2, updated_at = $2 WHERE application_id = ANY($1::uuid[]) AND revoked_at IS NULL`,
        [appIds, now],
      ),
    );
    const withdrawn = await withdrawAll(m, appIds, now);
    await this.alerts.closeForApplications(m, appIds, now);
    const interviews = n(
      await m.query(
        `UPDATE interview_sessions SET status = 'cancelled', cancelled_at = $2, updated_at = $2
          WHERE application_id = ANY($1::uuid[]) AND status = 'scheduled' AND starts_at > $2`,
        [appIds, now],
      ),
    );
    const reviews = n(
      await m.query(
        `UPDATE review_sessions SET status = 'cancelled', sequence = sequence + 1, updated_at = $2
          WHERE application_id = ANY($1::uuid[]) AND status = 'scheduled' AND starts_at > $2`,
        [appIds, now],
      ),
    );
    return {
      invitationsRevoked: invitations,
      applicationsWithdrawn: withdrawn.length,
      interviewsCancelled: interviews,
      reviewsCancelled: reviews,
      withdrawn,
    };
  }

  /** Everything that identifies the person, gathered before it is erased. */
  private async identifiers(
    m: EntityManager,
    c: { name: string; email: string; phone: string | null; public_code_url: string | null; id: string },
    appIds: string[],
    linked: LinkedTable[],
  ) {
    const names = [c.name];
    const emails = [c.email];
    const others = [c.phone ?? '', c.public_code_url ?? ''];
    const has = (t: string) => linked.some((l) => l.table === t);
    const sent: Array<{ to_name: string | null; to_address: string }> = await m.query(
      `SELECT DISTINCT to_name, to_address FROM messages WHERE candidate_id = $1`,
      [c.id],
    );
    for (const s of sent) {
      if (s.to_name) names.push(s.to_name);
      emails.push(s.to_address);
    }
    if (has('attestations') && has('invitations')) {
      const rows: Array<{ full_name: string }> = await m.query(
        `SELECT a.full_name FROM attestations a JOIN invitations i ON i.id = a.invitation_id WHERE i.application_id = ANY($1::uuid[])`,
        [appIds],
      );
      names.push(...rows.map((r) => r.full_name));
    }
    if (has('exemptions')) {
      const rows: Array<{ url: string }> = await m.query(`SELECT url FROM exemptions WHERE application_id = ANY($1::uuid[])`, [appIds]);
      others.push(...rows.map((r) => r.url));
    }
    return { names, emails, others };
  }

  /** Free-text columns emptied (NULL, or '[erased]' where NOT NULL); bytea (archives, files) emptied. */
  private async blank(m: EntityManager, t: LinkedTable, keep: string[], ctx: Ctx): Promise<number> {
    const sets: string[] = [];
    const changed: string[] = [];
    for (const c of t.columns) {
      if (keep.includes(c.name)) continue;
      if (c.type === 'bytea') {
        sets.push(`${q(c.name)} = ${c.nullable ? 'NULL' : `'\\x'::bytea`}`);
        changed.push(c.nullable ? `${q(c.name)} IS NOT NULL` : `octet_length(${q(c.name)}) > 0`);
      } else if (c.type === 'text' && FREE_TEXT.has(c.name)) {
        sets.push(`${q(c.name)} = ${c.nullable ? 'NULL' : `'${ERASED_TEXT}'`}`);
        changed.push(c.nullable ? `${q(c.name)} IS NOT NULL` : `${q(c.name)} <> '${ERASED_TEXT}'`);
      }
    }
    if (!sets.length) return 0;
    return exec(m, `UPDATE ${q(t.table)} SET ${sets.join(', ')} WHERE ${t.where} AND (${changed.join(' OR ')})`, ctx);
  }

  /** Staff messages not tied to the person's applications (daily digests list candidates by name). */
  private async scrubOtherMessages(m: EntityManager, ctx: Ctx, since: Date): Promise<number> {
    if (!ctx.patterns.any) return 0;
    const ids: Array<{ id: string }> = await m.query(
      `SELECT id FROM messages
        WHERE created_at >= $1::timestamptz - interval '1 day'
          AND coalesce(candidate_id = $2, false) = false AND coalesce(application_id = ANY($3::uuid[]), false) = false
          AND (subject ~* $4 OR text ~* $4 OR html ~* $4 OR to_name ~* $4 OR attachments::text ~* $4)`,
      [since, ctx.candidateId, ctx.appIds, ctx.patterns.any],
    );
    if (!ids.length) return 0;
    ids.forEach((r) => ctx.touchedMessages.add(r.id));
    const cols: ColumnInfo[] = ['subject', 'html', 'text', 'to_name'].map((name) => ({ name, type: 'text' as const, nullable: true }));
    cols.push({ name: 'attachments', type: 'jsonb', nullable: false });
    await replaceIdentifiers(m, 'messages', `id = ANY($1::uuid[])`, cols, ctx, [ids.map((r) => r.id)]);
    return ids.length;
  }

  /**
   * The audit log keeps who did what and when. Entries about the person (the candidate or one of
   * their applications) lose every free-text value of their body and changes; any other entry
   * loses the person's identifiers. Rewriting is allowed in this transaction only.
   */
  private async scrubAudit(m: EntityManager, ctx: Ctx, since: Date): Promise<number> {
    const exists: unknown[] = await m.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'audit_log'`,
    );
    if (!exists.length) return 0;
    const own: Array<{ id: string; body: unknown; changes: unknown }> = await m.query(
      `SELECT id, body, changes FROM audit_log WHERE entity_id = ANY($1::text[]) AND (body IS NOT NULL OR changes IS NOT NULL)`,
      [[ctx.candidateId, ...ctx.appIds]],
    );
    for (const r of own) {
      await m.query(`UPDATE audit_log SET body = $2, changes = $3 WHERE id = $1`, [
        r.id,
        r.body === null ? null : JSON.stringify(eraseStrings(r.body)),
        r.changes === null ? null : JSON.stringify(eraseStrings(r.changes)),
      ]);
    }
    if (!ctx.patterns.any) return own.length;
    const ids: Array<{ id: string }> = await m.query(
      `SELECT id FROM audit_log WHERE at >= $1::timestamptz - interval '1 day' AND (body::text ~* $2 OR changes::text ~* $2 OR error ~* $2)`,
      [since, ctx.patterns.any],
    );
    const cols: ColumnInfo[] = [
      { name: 'body', type: 'jsonb', nullable: true },
      { name: 'changes', type: 'jsonb', nullable: true },
      { name: 'error', type: 'text', nullable: true },
    ];
    if (ids.length) await replaceIdentifiers(m, 'audit_log', `id = ANY($1::bigint[])`, cols, ctx, [ids.map((r) => r.id)]);
    return own.length + ids.length;
  }

  /**
   * Chat deliveries (team webhooks and each user's own Slack/Teams) carry alert texts and daily
   * digests that name the person, with no link to the candidate: found by the person's
   * identifiers, which are removed from them (a delivery still pending is posted without them).
   */
  private async scrubChatDeliveries(m: EntityManager, ctx: Ctx, since: Date): Promise<number> {
    if (!ctx.patterns.any) return 0;
    const ids: Array<{ id: string }> = await m.query(
      `SELECT id FROM chat_deliveries WHERE created_at >= $1::timestamptz - interval '1 day' AND (text ~* $2 OR last_error ~* $2)`,
      [since, ctx.patterns.any],
    );
    const cols: ColumnInfo[] = [
      { name: 'text', type: 'text', nullable: false },
      { name: 'last_error', type: 'text', nullable: true },
    ];
    if (ids.length) await replaceIdentifiers(m, 'chat_deliveries', `id = ANY($1::uuid[])`, cols, ctx, [ids.map((r) => r.id)]);
    return ids.length;
  }

  /** Copies of sent mail written under DATA_DIR/mail (when no SMTP server is configured). */
  private async removeMailCopies(messageIds: string[]): Promise<number> {
    const dir = path.resolve(this.env.DATA_DIR, 'mail');
    let files: string[];
    try {
      files = await readdir(dir);
    } catch {
      return 0;
    }
    const ids = new Set(messageIds);
    let removed = 0;
    for (const f of files) {
      const m = /-([0-9a-f-]{36})\.eml$/i.exec(f);
      if (m && ids.has(m[1].toLowerCase())) {
        await unlink(path.join(dir, f)).then(
          () => removed++,
          () => undefined,
        );
      }
    }
    return removed;
  }
}
