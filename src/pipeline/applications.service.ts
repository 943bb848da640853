import { Inject, Injectable } from '@nestjs/common';
import type { AuditInStatement } from '../audit/audit.decorators';
import { teamFilterSql } from '../identity/team-scope';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Candidate } from '../candidates/candidate.entity';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, ErrorCode, conflict, notFound } from '../common/errors/application.exception';
import { OutboxService, PreparedMessage } from '../communications/outbox.service';
import { User } from '../identity/user.entity';
import { Opening } from '../openings/opening.entity';
import { Actor, ApplicationEvent, EventType } from '../timeline/timeline.entity';
import { Application, Exemption } from './application.entity';
import { decideTerminal, decideTransition, TerminalAction, TransitionFailure, TransitionSuccess } from './domain/transitions';
import { findStage } from './domain/stages';
import { candidateMessageContext } from './message-context';
import { recordEvent } from '../timeline/timeline.repository';
import './templates';
import { randomUUID } from 'node:crypto';
import { redactCandidateLinks } from '../communications/domain/redact-links';
import { entityReader, EntityReader } from '../common/database/hydrate';
import { preparedQuery } from '../common/database/prepared';
import { EventBus } from '../common/events/event-bus';
import './pipeline.events';
import { SqlParams, withCtes } from '../common/database/sql-params';
import { eventCtes, TimelineEventRow } from '../timeline/timeline.repository';

/** An application read with what a move needs (ApplicationsService.load). */
export interface Loaded {
  app: Application;
  opening: Opening;
  candidate: Candidate;
  recruiter: User;
}

/** create()'s first read, done ahead by the route's scope guard (readForCreate). */
export interface CreateRead {
  candidateId: string;
  openingId: string;
  row: Record<string, unknown>;
  /** The viewer is on the opening's team (always true without a viewer; false for an unknown opening). */
  onTeam: boolean;
}

/** Changed columns of a row, as the audit log records them. */
export type ColumnChanges = Record<string, { before: unknown; after: unknown }>;

/** A decided move: its instant, its timeline event, the candidate's rendered message and the columns it changes. */
interface Move {
  now: Date;
  changes: ColumnChanges;
  event: TimelineEventRow;
  message: PreparedMessage;
}

function refusal(f: TransitionFailure): ApplicationException {
  const code = f.httpStatus === 409 ? ErrorCode.Conflict : f.httpStatus === 422 ? ErrorCode.Unprocessable : ErrorCode.ValidationFailed;
  return new ApplicationException(code, f.reason, { reason: f.code });
}

/**
 * Application use cases. Each one locks the application row (SELECT … FOR UPDATE), decides with
 * the pure rules in domain/, and writes the change, its timeline event and the candidate's
 * message (outbox) in one transaction; the message is handed to the mail queue after commit.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
    private readonly bus: EventBus,
  ) {}

  /**
   * `source`: where this application came from (the careers page, a tracked link, a referral).
   *
   * One read (candidate, opening and recruiter in one round trip) and ONE statement: the INSERT
   * (ON CONFLICT DO NOTHING) and, as data-modifying CTEs gated on it returning its row, the
   * application.created event with its webhook deliveries, the first-contact message and its
   * message.queued event, so they commit together or not at all (as in one transaction). The id
   * is drawn here so the message's idempotency key can name it before the row exists.
   */
  async create(
    candidateId: string,
    openingId: string,
    actor: Actor,
    source?: { kind: string; detail?: string | null; referrerId?: string | null },
    audit?: AuditInStatement,
    preread?: CreateRead | null,
  ): Promise<Application> {
    const r = this.entityReaders();
    const row =
      preread && preread.candidateId === candidateId && preread.openingId === openingId
        ? preread.row
        : (await this.readForCreate(candidateId, openingId, null)).row;
    const candidate = r.candidate.read(row);
    if (!candidate.id || candidate.anonymizedAt) throw notFound('Candidate');
    const opening = r.opening.read(row);
    if (!opening.id) throw notFound('Opening');
    if (opening.closedAt) throw conflict('The opening is closed');
    const recruiter = r.recruiter.read(row);
    const now = this.clock.now();
    const id = randomUUID();
    const stage = opening.stages[0].key;
    const message = await this.outbox.prepare({
      idempotencyKey: `first-contact:${id}`,
      template: 'first_contact',
      context: candidateMessageContext(opening, candidate, stage, recruiter, publicUrl(this.env)),
      to: { address: candidate.email, name: candidate.name },
      applicationId: id,
      candidateId: candidate.id,
      openingId: opening.id,
      actor,
    });
    const p = new SqlParams();
    const at = p.add(now, '::timestamptz');
    const inserted = `ins AS (
       INSERT INTO applications (id, candidate_id, opening_id, stage, status, stage_entered_at, stage_visit, created_at, updated_at, source_kind, source_detail, referrer_id)
       VALUES (${p.add(id, '::uuid')}, ${p.add(candidateId, '::uuid')}, ${p.add(openingId, '::uuid')}, ${p.add(stage, '::text')}, 'active', ${at}, 1, ${at}, ${at},
               ${p.add(source?.kind ?? null, '::text')}, ${p.add(source?.detail ?? null, '::text')}, ${p.add(source?.referrerId ?? null, '::uuid')})
       ON CONFLICT (candidate_id, opening_id) DO NOTHING
       RETURNING opening_id, candidate_id, ${APPLICATION_COLUMNS}
     )`;
    const event: TimelineEventRow = {
      applicationId: id,
      type: EventType.ApplicationCreated,
      at: now,
      actorKind: actor.kind,
      actorId: actor.id ?? null,
      data: { openingId, candidateId, stage, ...(source ? { source } : {}) },
    };
    const rows = await preparedQuery<
      Application & { message_id: string | null; opening_id?: string; candidate_id?: string; events?: string }
    >(
      this.ds,
      withCtes(
        [
          inserted,
          ...eventCtes(p, event, 'created', 'ins', 'ins'),
          ...this.outbox.messageCtes(p, message, 'msg', 'ins'),
          // The request's audit entry (the audit module's statement), when the route offers it.
          ...(audit ? [audit.cte(p, 'ins', {}, id)] : []),
        ],
        // `created` is read before `msg`, so it runs first: the event precedes the message.queued event (ids in order).
        'SELECT ins.*, (SELECT count(*) FROM created) AS events, (SELECT id FROM msg) AS message_id FROM ins',
      ),
      p.values,
    );
    if (!rows.length) {
      const [existing] = await preparedQuery<{ id: string }>(
        this.ds,
        `SELECT id FROM applications WHERE candidate_id = $1 AND opening_id = $2`,
        [candidateId, openingId],
      );
      throw conflict('This candidate already has an application for this opening', { existingId: existing?.id });
    }
    const { message_id: messageId, opening_id: _o, candidate_id: _c, events: _e, ...columns } = rows[0];
    audit?.committed();
    await this.outbox.dispatch([messageId]);
    return Object.assign(new Application(), columns);
  }

  /**
   * What create() reads first (the candidate, the opening and its recruiter, each possibly absent);
   * with `viewer` (a user id limited by teams) also whether they are on the opening's team, in the
   * same round trip. Done by the route's scope guard (CreateScopeGuard) and handed to create().
   */
  async readForCreate(candidateId: string, openingId: string, viewer: string | null): Promise<CreateRead> {
    const r = this.entityReaders();
    const [row] = await preparedQuery<Record<string, unknown>>(
      this.ds,
      `SELECT ${r.opening.select}, ${r.candidate.select}, ${r.recruiter.select}${viewer === null ? '' : `, ${onTeamSql('o.id', '$3::uuid')} AS on_team`}
         FROM (SELECT 1) AS one
         LEFT JOIN candidates c ON c.id = $1
         LEFT JOIN openings o ON o.id = $2
         LEFT JOIN users u ON u.id = o.recruiter_id`,
      viewer === null ? [candidateId, openingId] : [candidateId, openingId, viewer],
    );
    return { candidateId, openingId, row, onTeam: viewer === null || row.on_team === true };
  }

  /** The hottest read of the API: one hand-written query, no entity hydration. */
  async get(id: string): Promise<Application> {
    const rows = await preparedQuery<Application>(this.ds, GET_SQL, [id]);
    if (!rows.length) throw notFound('Application');
    return Object.assign(new Application(), rows[0]);
  }

  /**
   * get() and, for a viewer limited by teams (`viewer`: their user id, null for an admin), whether
   * they are on the team of the application's opening, in the same round trip.
   */
  async getAs(id: string, viewer: string | null): Promise<{ app: Application; onTeam: boolean }> {
    if (viewer === null) return { app: await this.get(id), onTeam: true };
    const rows = await preparedQuery<Application & { onTeam?: boolean }>(this.ds, GET_AS_SQL, [id, viewer]);
    if (!rows.length) throw notFound('Application');
    const { onTeam, ...columns } = rows[0];
    return { app: Object.assign(new Application(), columns), onTeam: !!onTeam };
  }

  /**
   * Lock the row for this transaction; concurrent moves on one application take turns. The
   * opening, candidate and recruiter come in the same round trip (only the application row is locked).
   */
  private lock(m: EntityManager, id: string) {
    return this.load(m, id, true);
  }

  private entityReaders() {
    return (this.readers ??= {
      app: entityReader(this.ds, Application, 'a'),
      opening: entityReader(this.ds, Opening, 'o'),
      candidate: entityReader(this.ds, Candidate, 'c'),
      recruiter: entityReader(this.ds, User, 'u'),
    });
  }

  private async load(m: EntityManager, id: string, forUpdate: boolean): Promise<Loaded> {
    const loaded = await this.read(m, id, forUpdate, null);
    if (!loaded) throw notFound('Application');
    return loaded;
  }

  /**
   * The row load() reads, or null; with `viewer` (a user id limited by teams) also whether they are
   * on the team of its opening (`onTeam`), in the same round trip.
   */
  private async read(
    m: EntityManager,
    id: string,
    forUpdate: boolean,
    viewer: string | null,
  ): Promise<(Loaded & { onTeam: boolean }) | null> {
    const r = this.entityReaders();
    const rows = await preparedQuery<Record<string, unknown>>(
      m,
      `SELECT ${r.app.select}, ${r.opening.select}, ${r.candidate.select}, ${r.recruiter.select}${viewer === null ? '' : `, ${onTeamSql('a.opening_id', '$2::uuid')} AS on_team`}
         FROM applications a
         JOIN openings o ON o.id = a.opening_id
         JOIN candidates c ON c.id = a.candidate_id
         JOIN users u ON u.id = o.recruiter_id
        WHERE a.id = $1${forUpdate ? '\n          FOR UPDATE OF a' : ''}`,
      viewer === null ? [id] : [id, viewer],
    );
    if (!rows.length) return null;
    const row = rows[0];
    return {
      app: r.app.read(row),
      opening: r.opening.read(row),
      candidate: r.candidate.read(row),
      recruiter: r.recruiter.read(row),
      onTeam: viewer === null || row.on_team === true,
    };
  }

  /**
   * The read a stage move starts from, done by the route's scope guard (MoveScopeGuard) with the
   * team check in the same round trip; null for an unknown id. Handed to transitionWithChanges()
   * as `preloaded`, it saves the move one round trip (the version guard of the move's statement
   * makes it as good as a read in the handler).
   */
  readForMove(id: string, viewer: string | null): Promise<(Loaded & { onTeam: boolean }) | null> {
    return this.read(this.ds.manager, id, false, viewer);
  }
  private readers?: {
    app: EntityReader<Application>;
    opening: EntityReader<Opening>;
    candidate: EntityReader<Candidate>;
    recruiter: EntityReader<User>;
  };

  /** The rules of a move (pure, in domain/); only a skip over the take-home asks whether an exemption exists. */
  private async decideMove(
    m: EntityManager,
    app: Application,
    opening: Opening,
    to: string,
    note: string | undefined,
  ): Promise<TransitionSuccess> {
    const request = { stages: opening.stages, currentStage: app.stage, status: app.status, to, note, hasPublicCodeExemption: false };
    let decision = decideTransition(request);
    if (
      !decision.ok &&
      decision.code === 'SKIP_TAKE_HOME_REQUIRES_EXEMPTION' &&
      (await m.count(Exemption, { where: { applicationId: app.id, kind: 'public_code' } })) > 0
    ) {
      decision = decideTransition({ ...request, hasPublicCodeExemption: true });
    }
    if (!decision.ok) throw refusal(decision);
    return decision;
  }

  /** The move applied to `app` in memory, with its timeline event and the candidate's message. */
  private async applyMove(
    m: EntityManager | undefined,
    loaded: Loaded,
    to: string,
    decision: TransitionSuccess,
    actor: Actor,
  ): Promise<Move> {
    const { app, opening, candidate, recruiter } = loaded;
    const now = this.clock.now();
    const from = app.stage;
    const before = { stage: app.stage, stage_entered_at: app.stageEnteredAt, stage_visit: app.stageVisit, version: app.version };
    app.stage = to;
    app.stageEnteredAt = now;
    app.stageVisit += 1;
    app.version += 1;
    app.updatedAt = now;
    const after = { stage: app.stage, stage_entered_at: app.stageEnteredAt, stage_visit: app.stageVisit, version: app.version };
    const changes = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, { before: v, after: after[k as keyof typeof after] }]));
    const event = {
      applicationId: app.id,
      type: EventType.StageChanged,
      at: now,
      actorKind: actor.kind,
      actorId: actor.id ?? null,
      data: {
        from,
        to,
        kind: decision.kind,
        skipped: decision.skipped,
        note: decision.note ?? null,
        usedPublicCodeExemption: decision.usedPublicCodeExemption,
        stageVisit: app.stageVisit,
      },
    };
    const ctx = candidateMessageContext(opening, candidate, to, recruiter, publicUrl(this.env));
    const message = await this.outbox.prepare(
      {
        idempotencyKey: `stage:${app.id}:${app.stageVisit}`,
        template: 'stage_changed',
        context: { ...ctx, previousStage: ctx.stages.find((s) => s.key === from) },
        to: { address: candidate.email, name: candidate.name },
        applicationId: app.id,
        candidateId: candidate.id,
        openingId: opening.id,
        actor,
      },
      m,
    );
    return { now, event, message, changes };
  }

  /**
   * A stage move. Without stage hooks (which need a transaction) it is one read and ONE guarded
   * statement: the application UPDATE only matches the version that was read (and an active
   * status), and its stage.changed event, webhook deliveries, message and message.queued event
   * are CTEs gated on that UPDATE, so they commit together or not at all. If another move got
   * there first, the move is decided again under the row lock, exactly as if it had waited its
   * turn: of 20 simultaneous moves one wins and the others are refused by the rules.
   */
  async transition(id: string, to: string, note: string | undefined, actor: Actor): Promise<Application> {
    return (await this.transitionWithChanges(id, to, note, actor)).app;
  }

  /**
   * transition() that also returns the columns it changed, {column: {before, after}}, for the audit
   * entry (the values before are the row as it was read under the version guard or the lock).
   */
  async transitionWithChanges(
    id: string,
    to: string,
    note: string | undefined,
    actor: Actor,
    audit?: AuditInStatement,
    preloaded?: Loaded | null,
  ): Promise<{ app: Application; changes: ColumnChanges }> {
    // The short road: one guarded statement (see docs/architecture.md); on a lost race, the locked road below.
    {
      const loaded = preloaded && preloaded.app.id === id ? preloaded : await this.load(this.ds.manager, id, false);
      const decision = await this.decideMove(this.ds.manager, loaded.app, loaded.opening, to, note);
      const readVersion = loaded.app.version;
      const move = await this.applyMove(undefined, loaded, to, decision, actor);
      const rows = await preparedQuery<{ moved: number; message_id: string | null }>(
        this.ds,
        ...this.moveStatement(loaded.app, move, readVersion, audit),
      );
      if (rows[0].moved) {
        audit?.committed();
        await this.outbox.dispatch([rows[0].message_id]);
        return { app: loaded.app, changes: move.changes };
      }
    }
    const { app, changes, messageIds } = await this.ds.transaction(async (m) => {
      const loaded = await this.lock(m, id);
      const decision = await this.decideMove(m, loaded.app, loaded.opening, to, note);
      const move = await this.applyMove(m, loaded, to, decision, actor);
      const rows = await preparedQuery<{ message_id: string | null }>(m, ...this.moveStatement(loaded.app, move, undefined, audit));
      return { app: loaded.app, changes: move.changes, messageIds: [rows[0].message_id] };
    });
    audit?.committed();
    await this.outbox.dispatch(messageIds);
    return { app, changes };
  }

  /**
   * The UPDATE of a move and, gated on it, its stage.changed event (with webhook deliveries), the
   * candidate's message and its message.queued event: one statement. With `readVersion` the UPDATE
   * matches only the row as it was read (still active, same version); otherwise the caller holds the lock.
   */
  private moveStatement(app: Application, move: Move, readVersion?: number, audit?: AuditInStatement): [string, unknown[]] {
    const p = new SqlParams();
    const guard = readVersion === undefined ? '' : ` AND version = ${p.add(readVersion)} AND status = 'active'`;
    const moved = `moved AS (
       UPDATE applications SET stage = ${p.add(app.stage)}, stage_entered_at = ${p.add(move.now)}, stage_visit = ${p.add(app.stageVisit)}, version = version + 1, updated_at = ${p.add(move.now)}
        WHERE id = ${p.add(app.id)}${guard} RETURNING id
     )`;
    const sql = withCtes(
      [
        moved,
        ...eventCtes(p, move.event, 'changed', 'moved'),
        ...this.outbox.messageCtes(p, move.message, 'msg', 'moved'),
        // The request's audit entry (the audit module's statement), when the route offers it.
        ...(audit ? [audit.cte(p, 'moved', move.changes, app.id)] : []),
      ],
      'SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT id FROM msg) AS message_id',
    );
    return [sql, p.values];
  }

  async terminal(
    id: string,
    action: TerminalAction,
    opts: { reason?: string; candidateMessage?: string },
    actor: Actor,
  ): Promise<Application> {
    const template = { reject: 'rejection', withdraw: 'withdrawal', hire: 'hired' }[action];
    const eventType = { reject: EventType.ApplicationRejected, withdraw: EventType.ApplicationWithdrawn, hire: EventType.ApplicationHired }[
      action
    ];
    const { app, messageIds } = await this.ds.transaction(async (m) => {
      const { app, opening, candidate, recruiter } = await this.lock(m, id);
      const decision = decideTerminal({ status: app.status, action, currentStage: app.stage, stages: opening.stages });
      if (!decision.ok) throw refusal(decision);
      const now = this.clock.now();
      app.status = decision.status;
      app.closedAt = now;
      app.version += 1;
      await m.update(Application, { id }, { status: app.status, closedAt: now, version: app.version, updatedAt: now });
      await recordEvent(m, id, eventType, actor, now, { stage: app.stage, reason: opts.reason ?? null });
      const messageIds = [
        await this.outbox.queue(m, {
          idempotencyKey: `${action}:${id}`,
          template,
          context: {
            ...candidateMessageContext(opening, candidate, app.stage, recruiter, publicUrl(this.env)),
            message: opts.candidateMessage ?? null,
          },
          to: { address: candidate.email, name: candidate.name },
          applicationId: id,
          candidateId: candidate.id,
          openingId: opening.id,
          actor,
        }),
      ];
      messageIds.push(...(await this.bus.hooks('application.closed', m, { application: app, opening, candidate, action, actor, now })));
      return { app, messageIds };
    });
    await this.outbox.dispatch(messageIds);
    return app;
  }

  async addExemption(
    id: string,
    dto: { kind: 'public_code'; url: string; reason: string; language?: string },
    actor: Actor,
  ): Promise<Exemption> {
    const { saved, app, opening } = await this.ds.transaction(async (m) => {
      const { app, opening } = await this.lock(m, id);
      if (app.status !== 'active') throw conflict(`The application is ${app.status}; exemptions apply to active applications`);
      if (!opening.stages.some((s) => s.kind === 'take_home'))
        throw new ApplicationException(ErrorCode.Unprocessable, 'This opening has no take-home stage to be exempt from');
      const now = this.clock.now();
      const saved = await m.save(
        Exemption,
        m.create(Exemption, {
          applicationId: id,
          kind: dto.kind,
          url: dto.url,
          reason: dto.reason.trim(),
          language: dto.language?.toLowerCase() ?? null,
          createdBy: actor.id!,
        }),
      );
      await recordEvent(m, id, EventType.ExemptionRecorded, actor, now, {
        exemptionId: saved.id,
        kind: dto.kind,
        url: dto.url,
        reason: dto.reason,
        language: saved.language,
      });
      return { saved, app, opening };
    });
    // After commit: the code review of the public code gets scheduled (reviews module).
    await this.bus.emit('exemption.recorded', { application: app, opening, exemption: saved });
    return saved;
  }

  /**
   * A free-text message from the team to the candidate, through the outbox (its message.queued
   * event on the timeline, delivery by the mail queue, retries and the thread like any other).
   */
  async sendMessage(id: string, input: { text: string; subject?: string }, actor: Actor): Promise<{ id: string }> {
    const messageId = await this.ds.transaction(async (m) => {
      const { app, opening, candidate, recruiter } = await this.lock(m, id);
      if (candidate.anonymizedAt) throw conflict("The candidate's personal data was erased; there is no one to write to");
      const sender = actor.id ? await m.findOne(User, { where: { id: actor.id } }) : null;
      // An answer to the candidate's latest mail threads under it (src/inbox registers this).
      const thread = (await this.replyThreading?.before(m, app.id)) ?? null;
      const queued = await this.outbox.queue(m, {
        idempotencyKey: `staff-message:${app.id}:${randomUUID()}`,
        template: 'staff_message',
        context: {
          ...candidateMessageContext(opening, candidate, app.stage, recruiter, publicUrl(this.env)),
          messageSubject: input.subject?.trim() || thread?.subject || null,
          messageText: input.text.trim(),
          sender: { name: sender?.name ?? recruiter.name },
        },
        to: { address: candidate.email, name: candidate.name },
        applicationId: app.id,
        candidateId: candidate.id,
        openingId: opening.id,
        actor,
        inReplyTo: thread?.inReplyTo ?? null,
        references: thread?.references ?? null,
      });
      if (queued) await this.replyThreading?.after(m, app.id, queued, actor);
      return queued;
    });
    await this.outbox.dispatch([messageId]);
    return { id: messageId! };
  }

  private replyThreading?: ReplyThreading;
  /** Set by the inbox module: how a staff message threads under the candidate's mail and answers it. */
  setReplyThreading(t: ReplyThreading): void {
    this.replyThreading = t;
  }

  async addNote(id: string, text: string, actor: Actor): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.lock(m, id);
      await recordEvent(m, id, EventType.NoteAdded, actor, this.clock.now(), { text });
    });
  }

  async events(id: string) {
    await this.get(id);
    const rows = await this.ds.getRepository(ApplicationEvent).find({ where: { applicationId: id }, order: { id: 'ASC' } });
    return rows.map((e) => ({ id: Number(e.id), type: e.type, at: e.at, actor: { kind: e.actorKind, id: e.actorId }, data: e.data }));
  }

  async messages(id: string) {
    await this.get(id);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT id, template, subject, text, to_address, status, attempts, last_error, created_at, sent_at FROM messages WHERE application_id = $1 AND candidate_id IS NOT NULL ORDER BY created_at, id`,
      [id],
    );
    const inbound: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT i.id, i.from_address, i.from_name, i.subject, i.text_display, i.notes, i.received_at, i.answered_at,
              coalesce((SELECT json_agg(json_build_object('id', x.id, 'filename', x.filename, 'contentType', x.content_type, 'size', x.size) ORDER BY x.filename)
                          FROM inbound_attachments x WHERE x.inbound_id = i.id), '[]') AS attachments
         FROM inbound_messages i WHERE i.application_id = $1 ORDER BY i.received_at, i.created_at, i.id`,
      [id],
    );
    const outbound = rows.map((r) => ({
      id: r.id,
      direction: 'outbound' as const,
      template: r.template,
      subject: r.subject,
      text: redactCandidateLinks(r.text as string | null),
      to: r.to_address,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      queuedAt: r.created_at,
      sentAt: r.sent_at,
      at: r.created_at as Date,
    }));
    // The candidate's replies (src/inbox), in the same thread, oldest first: quoted history and
    // signatures trimmed (the original is kept), attachments listed.
    const replies = inbound.map((r) => ({
      id: r.id,
      direction: 'inbound' as const,
      subject: r.subject,
      text: r.text_display,
      from: r.from_address,
      fromName: r.from_name,
      notes: r.notes,
      receivedAt: r.received_at,
      answeredAt: r.answered_at,
      attachments: r.attachments,
      at: r.received_at as Date,
    }));
    // By time; a stable sort keeps each list's own order on a tie (replies' arrival dates have
    // whole seconds: two in one second stay in arrival order, not a random id's).
    return [...outbound, ...replies].sort((a, b) => a.at.getTime() - b.at.getTime()).map(({ at: _at, ...m }) => m);
  }

  /** `viewer` (a user id) limits the list to the openings whose team they are on; null: all. */
  async list(filter: {
    openingId?: string;
    candidateId?: string;
    stage?: string;
    status?: string;
    limit: number;
    after?: string;
    viewer?: string | null;
  }) {
    const q = this.ds.getRepository(Application).createQueryBuilder('a').orderBy('a.id').take(filter.limit);
    if (filter.viewer) q.andWhere(teamFilterSql('a.opening_id', ':viewer'), { viewer: filter.viewer });
    if (filter.openingId) q.andWhere('a.opening_id = :o', { o: filter.openingId });
    if (filter.candidateId) q.andWhere('a.candidate_id = :c', { c: filter.candidateId });
    if (filter.stage) q.andWhere('a.stage = :s', { s: filter.stage });
    if (filter.status) q.andWhere('a.status = :st', { st: filter.status });
    if (filter.after) q.andWhere('a.id > :after', { after: filter.after });
    return q.getMany();
  }
}

const APPLICATION_COLUMNS = `id, candidate_id AS "candidateId", opening_id AS "openingId", stage, status, stage_entered_at AS "stageEnteredAt",
  stage_visit AS "stageVisit", last_contact_at AS "lastContactAt", closed_at AS "closedAt", version, created_at AS "createdAt", updated_at AS "updatedAt",
  source_kind AS "sourceKind", source_detail AS "sourceDetail", referrer_id AS "referrerId"`;

/**
 * Whether user `userRef` is on the team of opening `column`, as TeamScope.assert asks it: the
 * view restricted by both the opening and the user (each branch of the view gets both), not the
 * list of every opening on the user's teams that an IN (…) filter would build per call.
 */
const onTeamSql = (column: string, userRef: string) =>
  `EXISTS (SELECT 1 FROM opening_team ot WHERE ot.opening_id = ${column} AND ot.user_id = ${userRef})`;

const GET_SQL = `SELECT ${APPLICATION_COLUMNS} FROM applications WHERE id = $1`;
const GET_AS_SQL = `SELECT ${APPLICATION_COLUMNS}, ${teamFilterSql('opening_id', '$2::uuid')} AS "onTeam" FROM applications WHERE id = $1`;

export function applicationDto(a: Application, opening?: Opening) {
  return {
    id: a.id,
    candidateId: a.candidateId,
    openingId: a.openingId,
    stage: a.stage,
    stageName: opening ? findStage(opening.stages, a.stage)?.name : undefined,
    status: a.status,
    stageEnteredAt: a.stageEnteredAt,
    lastContactAt: a.lastContactAt,
    closedAt: a.closedAt,
    createdAt: a.createdAt,
    version: a.version,
    source: a.sourceKind ? { kind: a.sourceKind, detail: a.sourceDetail ?? null, referrerId: a.referrerId ?? null } : null,
  };
}

/** Threading of a staff message under the candidate's latest mail (src/inbox/reply-threading.ts). */
export interface ReplyThreading {
  before(
    m: EntityManager,
    applicationId: string,
  ): Promise<{ inReplyTo: string | null; references: string | null; subject: string | null } | null>;
  after(m: EntityManager, applicationId: string, messageId: string, actor: Actor): Promise<void>;
}
