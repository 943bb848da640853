import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ApplicationException, ErrorCode, conflict } from '../common/errors/application.exception';
import { OutboxService } from '../communications/outbox.service';
import { Actor, EventType } from '../timeline/timeline.entity';
import { recordEvent } from '../timeline/timeline.repository';
import { STAFF_CALENDAR_LOCK } from '../common/database/locks';
import {
  Commitment,
  describeConflict,
  interviewerConflicts,
  isCultureFitKind,
  LoopRule,
  LoopSession,
  LoopViolation,
  normalizeKind,
  validateLoop,
} from './domain';
import { InterviewSession } from './interview.entity';
import { LockedApplication, lockApplication, parseInstant, staffByIds } from './interview-context';
import { InterviewsService } from './interviews.service';
import { CalendarsService } from '../calendars/calendars.service';

/** The loop rules, plus two checks that need the database or the clock. */
export type LoopRefusalRule = LoopRule | 'unknown_interviewer' | 'in_past' | 'interviewer_busy' | 'calendar_unreadable';
type Refusal = Omit<LoopViolation, 'rule'> & { rule: LoopRefusalRule };

export interface ProposedSession {
  kind: string;
  interviewerIds: string[];
  startsAt: string;
  endsAt: string;
}

/**
 * Propose sessions for an application's interview loop. The whole loop (the new sessions plus the
 * ones already scheduled) is checked with validateLoop in the candidate's time zone, and every
 * interviewer's other commitments (interviews of other applications, code reviews, busy blocks)
 * under the staff-calendar lock, so two bookings never take the same person twice; any refusal is
 * a 422 naming every rule broken. Accepted: sessions, one interview.scheduled event each, and an
 * invitation with ICS to every interviewer and the candidate, in one transaction; mail after commit.
 */
@Injectable()
export class ScheduleLoop {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly interviews: InterviewsService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly calendars: CalendarsService,
  ) {}

  /**
   * `within`: runs in the booking transaction once the loop is accepted (a self-scheduling offer
   * closes there); `booked`: runs in it after the sessions are written (with them, in order).
   */
  async execute(
    applicationId: string,
    proposed: ProposedSession[],
    actor: Actor,
    within?: (m: EntityManager) => Promise<void>,
    booked?: (m: EntityManager, sessions: InterviewSession[]) => Promise<void>,
  ) {
    await this.refreshAsked(proposed);
    const { created, messageIds, dtos } = await this.ds.transaction(async (m) => {
      const ctx = await this.lock(m, applicationId);
      const { people, now } = await this.check(m, applicationId, ctx, proposed, []);
      if (within) await within(m);

      const byId = new Map(people.map((p) => [p.id, p]));
      const created: InterviewSession[] = [];
      const messageIds: Array<string | null> = [];
      for (const p of proposed) {
        const session = await m.save(
          m.create(InterviewSession, {
            applicationId,
            kind: normalizeKind(p.kind),
            interviewerIds: [...new Set(p.interviewerIds)],
            startsAt: parseInstant(p.startsAt),
            endsAt: parseInstant(p.endsAt),
            status: 'scheduled',
            sequence: 0,
            createdBy: actor.id ?? null,
            createdAt: now,
          }),
        );
        created.push(session);
        await recordEvent(m, applicationId, EventType.InterviewScheduled, actor, now, {
          sessionId: session.id,
          kind: session.kind,
          interviewerIds: session.interviewerIds,
          startsAt: session.startsAt,
          endsAt: session.endsAt,
          sequence: 0,
        });
        messageIds.push(
          ...(await this.interviews.queueSessionMessages(m, {
            session,
            method: 'REQUEST',
            ...ctx,
            actor,
            now,
            interviewers: session.interviewerIds.map((id) => byId.get(id)!),
          })),
        );
      }
      if (booked) await booked(m, created);
      return { created, messageIds, dtos: await this.interviews.toDtos(m, created) };
    });
    await this.outbox.dispatch(messageIds);
    await this.calendars.flushWriteBacks(created.map((c) => this.interviews.uid(c.id))).catch(() => 0);
    return { sessions: dtos, count: created.length };
  }

  /**
   * Moves scheduled sessions of one application to new times (same kind and interviewers), each
   * only if it is still scheduled at the SEQUENCE the caller saw: otherwise someone changed it
   * meanwhile and the move is a 409, with nothing written. The moved loop passes the same checks as
   * a booking (the sessions' old times do not count against them); each session keeps its UID with
   * SEQUENCE + 1, so every invitee's calendar and the interviewers' CalDAV copies are updated.
   */
  async move(
    applicationId: string,
    moves: Array<{ sessionId: string; sequence: number; startsAt: string; endsAt: string }>,
    actor: Actor,
    within?: (m: EntityManager) => Promise<void>,
  ) {
    const { moved, messageIds, dtos } = await this.ds.transaction(async (m) => {
      const ctx = await this.lock(m, applicationId);
      const current = await m.find(InterviewSession, { where: { id: In(moves.map((x) => x.sessionId)), applicationId } });
      const sessions = moves.map((mv) => {
        const s = current.find((c) => c.id === mv.sessionId);
        if (!s || s.status !== 'scheduled' || s.sequence !== mv.sequence)
          throw conflict('These interviews were just changed (moved or cancelled) by someone else; open the page again to see them', {
            sessionId: mv.sessionId,
          });
        return s;
      });
      if (within) await within(m);
      const proposed = sessions.map((s, i) => ({
        id: s.id,
        kind: s.kind,
        interviewerIds: s.interviewerIds,
        startsAt: moves[i].startsAt,
        endsAt: moves[i].endsAt,
      }));
      const { people, now } = await this.check(
        m,
        applicationId,
        ctx,
        proposed,
        sessions.map((s) => s.id),
      );
      const byId = new Map(people.map((p) => [p.id, p]));
      const messageIds: Array<string | null> = [];
      for (const [i, s] of sessions.entries()) {
        const from = { startsAt: s.startsAt, endsAt: s.endsAt };
        s.startsAt = parseInstant(moves[i].startsAt);
        s.endsAt = parseInstant(moves[i].endsAt);
        s.sequence += 1;
        await m.update(InterviewSession, { id: s.id }, { startsAt: s.startsAt, endsAt: s.endsAt, sequence: s.sequence, updatedAt: now });
        await recordEvent(m, applicationId, EventType.InterviewScheduled, actor, now, {
          sessionId: s.id,
          kind: s.kind,
          interviewerIds: s.interviewerIds,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          sequence: s.sequence,
          rescheduled: true,
          byCandidate: actor.kind === 'candidate',
          previousStartsAt: from.startsAt,
          previousEndsAt: from.endsAt,
        });
        messageIds.push(
          ...(await this.interviews.queueSessionMessages(m, {
            session: s,
            method: 'REQUEST',
            ...ctx,
            actor,
            now,
            interviewers: s.interviewerIds.map((id) => byId.get(id)!).filter(Boolean),
            moved: true,
          })),
        );
      }
      return { moved: sessions, messageIds, dtos: await this.interviews.toDtos(m, sessions) };
    });
    await this.outbox.dispatch(messageIds);
    await this.calendars.flushWriteBacks(moved.map((c) => this.interviews.uid(c.id))).catch(() => 0);
    return { sessions: dtos, count: moved.length };
  }

  /** Calendars of the people asked for, read now if not read lately (outside the lock). */
  private async refreshAsked(proposed: Array<{ interviewerIds: string[] }>) {
    const asked = [...new Set(proposed.flatMap((p) => (Array.isArray(p.interviewerIds) ? p.interviewerIds : [])))].filter((id) =>
      /^[0-9a-f-]{36}$/i.test(String(id)),
    );
    if (asked.length) await this.calendars.refreshDue(this.clock.now(), asked).catch(() => 0);
  }

  /**
   * Serialise with other bookings of staff time (review slot searches take the same lock), then
   * lock the application row: taken in the same order as the review scheduler, so the two never deadlock.
   */
  private async lock(m: EntityManager, applicationId: string): Promise<LockedApplication> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [STAFF_CALENDAR_LOCK]);
    const ctx = await lockApplication(m, applicationId);
    if (ctx.app.status !== 'active') throw conflict(`The application is ${ctx.app.status}; interviews are for active applications`);
    return ctx;
  }

  /**
   * The whole loop (the proposed sessions plus the other scheduled ones, minus `replacing`) against
   * the loop rules in the candidate's zone, and every interviewer's other commitments; a 422 naming
   * every rule broken.
   */
  private async check(
    m: EntityManager,
    applicationId: string,
    ctx: LockedApplication,
    proposed: Array<ProposedSession & { id?: string }>,
    replacing: string[],
  ) {
    const { candidate } = ctx;
    const now = this.clock.now();
    const existing = (await m.find(InterviewSession, { where: { applicationId, status: 'scheduled' }, order: { startsAt: 'ASC' } })).filter(
      (s) => !replacing.includes(s.id),
    );
    const allowed = await this.interviews.kinds(m);
    // Sessions already booked keep their kind even if the list changed since (culture fit never).
    const kinds = [...new Set([...allowed, ...existing.map((s) => s.kind).filter((k) => !isCultureFitKind(k))])];
    // New sessions first, so "Session 1" in a message is the first session of the request.
    const loop: LoopSession[] = [
      ...proposed.map((p) => ({ id: p.id, kind: p.kind, interviewerIds: p.interviewerIds, startsAt: p.startsAt, endsAt: p.endsAt })),
      ...existing.map((s) => ({ id: s.id, kind: s.kind, interviewerIds: s.interviewerIds, startsAt: s.startsAt, endsAt: s.endsAt })),
    ];
    const violations: Refusal[] = [];
    const result = validateLoop({ candidateTz: candidate.timezone, sessions: loop, settings: { kinds } });
    if (!result.ok) violations.push(...result.violations);

    const ids = [...new Set(proposed.flatMap((p) => p.interviewerIds))];
    const people = await staffByIds(m, ids);
    const usable = new Set(people.filter((p) => !p.disabledAt).map((p) => p.id));
    const unknown = ids.filter((id) => !usable.has(id));
    if (unknown.length) {
      violations.push({ rule: 'unknown_interviewer', message: `Unknown or disabled interviewer(s): ${unknown.join(', ')}.` });
    }
    const past = proposed.map((p, i) => ({ i, start: parseInstant(p.startsAt) })).filter((x) => x.start.getTime() < now.getTime());
    if (past.length) {
      violations.push({
        rule: 'in_past',
        sessionIds: past.map((x) => `#${x.i + 1}`),
        message: `${past.map((x) => `Session ${x.i + 1}`).join(', ')} would start in the past.`,
      });
    }
    const slots = proposed.map((p) => ({
      interviewerIds: p.interviewerIds,
      start: parseInstant(p.startsAt),
      end: parseInstant(p.endsAt),
    }));
    const valid = slots.filter((x) => !Number.isNaN(x.start.getTime()) && !Number.isNaN(x.end.getTime()) && x.start < x.end);
    if (ids.length && valid.length) {
      const from = new Date(Math.min(...valid.map((x) => x.start.getTime())));
      const to = new Date(Math.max(...valid.map((x) => x.end.getTime())));
      const rows: Array<{ user_id: string; what: Commitment['what']; starts_at: Date; ends_at: Date }> = await m.query(
        `SELECT u.user_id, 'interview' AS what, s.starts_at, s.ends_at
           FROM interview_sessions s CROSS JOIN LATERAL unnest(s.interviewer_ids) AS u(user_id)
          WHERE s.status = 'scheduled' AND s.application_id <> $1 AND s.interviewer_ids && $2::uuid[] AND s.ends_at > $3 AND s.starts_at < $4
         UNION ALL
         SELECT reviewer_id, 'code_review', starts_at, ends_at FROM review_sessions
          WHERE status = 'scheduled' AND reviewer_id = ANY($2::uuid[]) AND ends_at > $3 AND starts_at < $4
         UNION ALL
         SELECT user_id, 'busy_block', starts_at, ends_at FROM busy_blocks
          WHERE user_id = ANY($2::uuid[]) AND ends_at > $3 AND starts_at < $4`,
        [applicationId, ids, from, to],
      );
      const commitments: Commitment[] = rows.map((r) => ({
        userId: r.user_id,
        what: r.what,
        startsAt: new Date(r.starts_at),
        endsAt: new Date(r.ends_at),
      }));
      for (const b of await this.calendars.busy(m, ids, from, to)) commitments.push({ ...b, what: 'calendar' });
      const problems = await this.calendars.problems(m, ids, now);
      if (problems.length) {
        const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? id;
        violations.push({
          rule: 'calendar_unreadable',
          message: problems.map((p) => `${nameOf(p.userId)} cannot be booked: ${p.message}.`).join(' '),
        });
      }
      const conflicts = interviewerConflicts(
        valid.map((x) => ({ interviewerIds: x.interviewerIds, startsAt: x.start, endsAt: x.end })),
        commitments,
      ).map((c) => ({ ...c, session: slots.indexOf(valid[c.session]) }));
      if (conflicts.length) {
        const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? id;
        violations.push({
          rule: 'interviewer_busy',
          sessionIds: [...new Set(conflicts.map((c) => `#${c.session + 1}`))],
          message: conflicts.map((c) => describeConflict(c, nameOf)).join(' '),
        });
      }
    }
    if (violations.length) {
      const rules = [...new Set(violations.map((v) => v.rule))];
      throw new ApplicationException(ErrorCode.Unprocessable, violations.map((v) => v.message).join(' '), { rules, violations });
    }
    return { people, now };
  }
}
