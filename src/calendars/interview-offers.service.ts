import { closeOffer, insertInterviewOffer, setOfferSessions, withdrawOpenOffers } from './slot-offers.repository';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service';
import { hashPortalToken, newPortalToken } from '../assessments/domain/tokens';
import { Candidate } from '../candidates/candidate.entity';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { addBusinessDays } from '../common/domain/business-days';
import { ApplicationException, badRequest, conflict, ErrorCode } from '../common/errors/application.exception';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { formatInZone } from '../communications/ics';
import { OutboxService } from '../communications/outbox.service';
import { Commitment, InterviewerHours, listLoopStarts, LoopOption, LoopPlanSession, normalizeKind } from '../interviews/domain';
import { InterviewsService } from '../interviews/interviews.service';
import { ScheduleLoop } from '../interviews/schedule-loop.usecase';
import { CancelInterview } from '../interviews/cancel-interview.usecase';
import { InterviewSession } from '../interviews/interview.entity';
import { lockApplication, staffByIds } from '../interviews/interview-context';
import { STAFF_CALENDAR_LOCK } from '../common/database/locks';
import { Opening } from '../openings/opening.entity';
import { Application } from '../pipeline/application.entity';
import { privacyLink } from '../privacy/privacy-token';
import { Actor, EventType } from '../timeline/timeline.entity';
import { recordEvent } from '../timeline/timeline.repository';
import { CalendarsService } from './calendars.service';

export interface InterviewPlan {
  sessions: LoopPlanSession[];
  breakMinutes: number;
}

interface InterviewOfferRow {
  id: string;
  application_id: string;
  base_key: string;
  round: number;
  status: string;
  plan: InterviewPlan;
  expires_at: Date;
  offered_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
  slots: Array<{ startsAt: string; endsAt: string }>;
  session_ids: string[] | null;
}

/** The loop a candidate booked from an offer: its sessions (plan order) and whether all are still as booked. */
interface BookedLoop {
  offer: InterviewOfferRow;
  sessions: Array<{
    id: string;
    kind: string;
    interviewer_ids: string[];
    starts_at: Date;
    ends_at: Date;
    status: string;
    sequence: number;
  }>;
  /** Every session still scheduled (nobody on the team cancelled one since). */
  intact: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const kindText = (k: string) => {
  const t = normalizeKind(k).replace(/_/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
};

/**
 * Interview self-scheduling: the recruiter sets the loop (who, what, how long, the break) and the
 * candidate chooses when it starts from their link; times fit everyone's working hours, never a
 * Friday afternoon, keep the break between interviewers and skip anyone busy. The pick books the
 * loop through ScheduleLoop (the same checks as a recruiter's booking, under the staff-calendar
 * lock), so a time someone else just took is a 409. Unanswered offers expire like review offers.
 */
@Injectable()
export class InterviewOffersService implements OnModuleInit {
  private readonly logger = new Logger(InterviewOffersService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly interviews: InterviewsService,
    private readonly loop: ScheduleLoop,
    private readonly cancelInterview: CancelInterview,
    private readonly outbox: OutboxService,
    private readonly alerts: AlertsService,
    private readonly calendars: CalendarsService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
    private readonly sweeps: SweepRegistry,
  ) {}

  onModuleInit(): void {
    this.sweeps.register({ name: 'interview-slot-offers', run: (now) => this.expire(now) });
  }

  /** `{sessions:[{kind, interviewerIds, durationMinutes}], breakMinutes?}` checked, with a 400 naming the problem. */
  parsePlan(body: unknown): InterviewPlan {
    const b = (body ?? {}) as { sessions?: unknown; breakMinutes?: unknown };
    if (!Array.isArray(b.sessions) || b.sessions.length < 1 || b.sessions.length > 6)
      throw badRequest('sessions must be a list of 1 to 6 sessions');
    const sessions = b.sessions.map((raw, i) => {
      const s = (raw ?? {}) as { kind?: unknown; interviewerIds?: unknown; durationMinutes?: unknown };
      if (typeof s.kind !== 'string' || !s.kind.trim()) throw badRequest(`sessions[${i}].kind is required`);
      if (
        !Array.isArray(s.interviewerIds) ||
        !s.interviewerIds.length ||
        !s.interviewerIds.every((x) => typeof x === 'string' && UUID.test(x))
      )
        throw badRequest(`sessions[${i}].interviewerIds must be a non-empty list of user ids`);
      const d = s.durationMinutes;
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 15 || d > 240)
        throw badRequest(`sessions[${i}].durationMinutes must be a whole number from 15 to 240`);
      return { kind: normalizeKind(s.kind), interviewerIds: [...new Set(s.interviewerIds as string[])], durationMinutes: d };
    });
    const br = b.breakMinutes ?? 15;
    if (typeof br !== 'number' || !Number.isInteger(br) || br < 15 || br > 120)
      throw badRequest('breakMinutes must be a whole number from 15 to 120');
    return { sessions, breakMinutes: br };
  }

  /** Loop start times that fit now (nobody with an unreadable calendar is ever treated as free). */
  private async options(
    m: EntityManager,
    applicationId: string,
    plan: InterviewPlan,
    now: Date,
    exclude: string[] = [],
  ): Promise<LoopOption[]> {
    const app = await m.findOneByOrFail(Application, { id: applicationId });
    const candidate = await m.findOneByOrFail(Candidate, { id: app.candidateId });
    const ids = [...new Set(plan.sessions.flatMap((s) => s.interviewerIds))];
    const people: Array<{
      id: string;
      timezone: string | null;
      working_hours: InterviewerHours['workingHours'] | null;
      p_tz: string | null;
    }> = await m.query(
      `SELECT u.id, u.timezone, p.working_hours, p.timezone AS p_tz FROM users u LEFT JOIN reviewer_profiles p ON p.user_id = u.id
          WHERE u.id = ANY($1::uuid[]) AND u.disabled_at IS NULL`,
      [ids],
    );
    if (people.length !== ids.length) return [];
    if ((await this.calendars.problems(m, ids, now)).length) return [];
    const interviewers = new Map<string, InterviewerHours>(
      people.map((p) => [
        p.id,
        {
          timezone: p.p_tz || p.timezone || 'UTC',
          workingHours: p.working_hours ?? { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
        },
      ]),
    );
    const to = new Date(now.getTime() + 15 * 86_400_000);
    const rows: Array<{ user_id: string; what: Commitment['what']; starts_at: Date; ends_at: Date }> = await m.query(
      `SELECT u.user_id, 'interview' AS what, s.starts_at, s.ends_at
         FROM interview_sessions s CROSS JOIN LATERAL unnest(s.interviewer_ids) AS u(user_id)
        WHERE s.status = 'scheduled' AND s.interviewer_ids && $1::uuid[] AND s.ends_at > $2 AND s.starts_at < $3 AND NOT (s.id = ANY($4::uuid[]))
       UNION ALL
       SELECT reviewer_id, 'code_review', starts_at, ends_at FROM review_sessions
        WHERE status = 'scheduled' AND reviewer_id = ANY($1::uuid[]) AND ends_at > $2 AND starts_at < $3
       UNION ALL
       SELECT user_id, 'busy_block', starts_at, ends_at FROM busy_blocks WHERE user_id = ANY($1::uuid[]) AND ends_at > $2 AND starts_at < $3`,
      [ids, now, to, exclude],
    );
    const commitments: Commitment[] = rows.map((r) => ({
      userId: r.user_id,
      what: r.what,
      startsAt: new Date(r.starts_at),
      endsAt: new Date(r.ends_at),
    }));
    for (const b of await this.calendars.busy(m, ids, now, to)) commitments.push({ ...b, what: 'calendar' });
    return listLoopStarts({
      plan: plan.sessions,
      breakMinutes: plan.breakMinutes,
      candidateTz: candidate.timezone,
      interviewers,
      commitments,
      now,
      kinds: await this.interviews.kinds(m),
      // At least an hour beyond the move/cancel notice, so a loop just booked can still be moved for a while.
      noticeHours: Math.max(24, (await this.calendars.scheduling(m)).noticeHours + 1),
    });
  }

  /** Staff: offer the candidate start times for this loop (any earlier open interview offer is withdrawn). */
  async offer(applicationId: string, plan: InterviewPlan, actor: Actor) {
    const now = this.clock.now();
    const ids = [...new Set(plan.sessions.flatMap((s) => s.interviewerIds))];
    await this.calendars.refreshDue(now, ids).catch(() => 0);
    const out = await this.ds.transaction((m) => this.offerIn(m, applicationId, plan, `interview:${randomUUID()}`, 1, actor, now, true));
    await this.outbox.dispatch(out.ids);
    return { id: out.id, expiresAt: out.expiresAt, options: out.options };
  }

  private async offerIn(
    m: EntityManager,
    applicationId: string,
    plan: InterviewPlan,
    baseKey: string,
    round: number,
    actor: Actor,
    now: Date,
    email: boolean,
  ) {
    const app = await m.findOneByOrFail(Application, { id: applicationId });
    if (app.status !== 'active') throw conflict(`The application is ${app.status}; interviews are for active applications`);
    const options = await this.options(m, applicationId, plan, now);
    if (!options.length)
      throw new ApplicationException(
        ErrorCode.Unprocessable,
        'No start time in the next two weeks fits everyone on the panel (working hours, breaks, busy times or an unreadable calendar); change the panel or book the interviews directly',
      );
    const opening = await m.findOneByOrFail(Opening, { id: app.openingId });
    const candidate = await m.findOneByOrFail(Candidate, { id: app.candidateId });
    await withdrawOpenOffers(m, app.id, 'interview', 'staff', now);
    const { offerDays: days } = await this.calendars.scheduling(m);
    const expiresAt = addBusinessDays(now, days, candidate.timezone, opening.holidays ?? []);
    const token = newPortalToken();
    const shown = options.slice(0, 6);
    const id = await insertInterviewOffer(m, {
      applicationId: app.id,
      baseKey,
      round,
      tokenHash: hashPortalToken(token),
      plan,
      slots: shown,
      offeredAt: now,
      expiresAt,
    });

    const zone = candidate.timezone;
    await recordEvent(m, app.id, EventType.NoteAdded, actor, now, {
      text: `Interview times offered to the candidate${round > 1 ? ' again' : ''} (open until ${formatInZone(expiresAt, zone)})`,
      offerId: id,
    });
    if (!email) return { id, expiresAt, options: shown.length, ids: [] as string[] };
    const base = publicUrl(this.env);
    const messageId = await this.outbox.queue(m, {
      idempotencyKey: `interview-offer:${id}`,
      template: 'interview_times_offered',
      context: {
        person: { name: candidate.name },
        candidate: { name: candidate.name, firstName: candidate.name.split(/\s+/)[0] },
        opening: { title: opening.title },
        sessions: plan.sessions.map((s) => ({ kind: kindText(s.kind), duration: s.durationMinutes })),
        times: shown.map((o) => formatInZone(o.startsAt, zone, o.endsAt)),
        zone,
        again: round > 1,
        pickUrl: `${base}/portal/${token}/interview-time`,
        expires: formatInZone(expiresAt, zone),
        links: { status: null, privacy: privacyLink(base, candidate.id, this.env.SESSION_SECRET) },
      },
      to: { address: candidate.email, name: candidate.name },
      candidateId: candidate.id,
      applicationId: app.id,
      openingId: opening.id,
    });
    return { id, expiresAt, options: shown.length, ids: messageId ? [messageId] : [] };
  }

  private async openOffer(m: EntityManager, applicationId: string): Promise<InterviewOfferRow | null> {
    const [row]: InterviewOfferRow[] = await m.query(
      `SELECT * FROM slot_offers WHERE application_id = $1 AND kind = 'interview' AND status = 'open' ORDER BY offered_at DESC LIMIT 1`,
      [applicationId],
    );
    return row ?? null;
  }

  /**
   * The loop the candidate booked that still stands: from their latest booked interview offer with a
   * session still scheduled (a loop cancelled since, e.g. before booking new times, does not count), or null.
   */
  private async bookedLoop(m: EntityManager, applicationId: string, lock = false): Promise<BookedLoop | null> {
    const offers: InterviewOfferRow[] = await m.query(
      `SELECT * FROM slot_offers WHERE application_id = $1 AND kind = 'interview' AND status = 'booked' AND session_ids IS NOT NULL
        ORDER BY closed_at DESC, offered_at DESC, round DESC LIMIT 20${lock ? ' FOR UPDATE' : ''}`,
      [applicationId],
    );
    const ids = offers.flatMap((o) => o.session_ids ?? []);
    if (!ids.length) return null;
    const rows: BookedLoop['sessions'] = await m.query(
      `SELECT id, kind, interviewer_ids, starts_at, ends_at, status, sequence FROM interview_sessions WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const offer of offers) {
      const wanted = offer.session_ids ?? [];
      const sessions = wanted.map((id) => rows.find((r) => r.id === id)).filter((r): r is BookedLoop['sessions'][0] => !!r);
      if (!sessions.some((x) => x.status === 'scheduled')) continue;
      return { offer, sessions, intact: sessions.length === wanted.length && sessions.every((x) => x.status === 'scheduled') };
    }
    return null;
  }

  /**
   * The standing loop's sessions still to come (scheduled, not over), first one first: new times
   * offered while there are any give the candidate a second loop, so the page asks first.
   */
  async upcomingSessions(applicationId: string, loop?: BookedLoop | null): Promise<Array<{ startsAt: Date; endsAt: Date }>> {
    const now = this.clock.now().getTime();
    return ((loop === undefined ? await this.bookedLoop(this.ds.manager, applicationId) : loop)?.sessions ?? [])
      .filter((x) => x.status === 'scheduled' && new Date(x.ends_at).getTime() > now)
      .map((x) => ({ startsAt: new Date(x.starts_at), endsAt: new Date(x.ends_at) }))
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  }

  /** The move/cancel notice in ms: an admin's saved scheduling setting, else the environment's. */
  private async noticeMs(m?: EntityManager): Promise<number> {
    return (await this.calendars.scheduling(m)).noticeHours * 3_600_000;
  }

  /** Whom the candidate writes to when the page can no longer move their interviews: the opening's recruiter. */
  private async contact(m: EntityManager, applicationId: string): Promise<{ name: string; email: string }> {
    const [r]: Array<{ name: string; email: string }> = await m.query(
      `SELECT u.name, u.email FROM applications a JOIN openings o ON o.id = a.opening_id JOIN users u ON u.id = o.recruiter_id WHERE a.id = $1`,
      [applicationId],
    );
    return r ?? { name: 'the hiring team', email: '' };
  }

  /**
   * The candidate's view: the open offer's start times (with each session); or, once they booked,
   * the loop, until when they may move or cancel it (`SELF_SCHEDULE_NOTICE_HOURS` before the first
   * session) and the start times it may move to; whom to contact after that.
   */
  async candidateView(applicationId: string) {
    const now = this.clock.now();
    const m = this.ds.manager;
    const offer = await this.openOffer(m, applicationId);
    const loop = offer ? null : await this.bookedLoop(m, applicationId);
    const plan = offer?.plan ?? loop?.offer.plan;
    if (plan) await this.calendars.refreshDue(now, [...new Set(plan.sessions.flatMap((s) => s.interviewerIds))]).catch(() => 0);
    const movableUntil = loop ? new Date(new Date(loop.sessions[0].starts_at).getTime() - (await this.noticeMs())) : null;
    const canMove = !!loop && loop.intact && now < movableUntil!;
    const [{ timezone, status }] = await this.ds.query(
      `SELECT c.timezone, a.status FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.id = $1`,
      [applicationId],
    );
    const active = status === 'active';
    let options: LoopOption[] = [];
    if (offer) options = await this.options(m, applicationId, offer.plan, now);
    else if (loop && canMove && active) {
      const current = new Date(loop.sessions[0].starts_at).getTime();
      options = (
        await this.options(
          m,
          applicationId,
          loop.offer.plan,
          now,
          loop.sessions.map((x) => x.id),
        )
      ).filter((o) => o.startsAt.getTime() !== current);
    }
    const booked: Array<{ kind: string; starts_at: Date; ends_at: Date }> = await this.ds.query(
      `SELECT kind, starts_at, ends_at FROM interview_sessions WHERE application_id = $1 AND status = 'scheduled' AND ends_at > $2 ORDER BY starts_at`,
      [applicationId, now],
    );
    return {
      offer: offer ? { expiresAt: offer.expires_at } : null,
      canPick: !!offer,
      options: options.map((o) => ({
        startsAt: o.startsAt,
        endsAt: o.endsAt,
        sessions: o.sessions.map((s) => ({ kind: s.kind, kindText: kindText(s.kind), startsAt: s.startsAt, endsAt: s.endsAt })),
      })),
      booked: booked.map((b) => ({ kind: b.kind, kindText: kindText(b.kind), startsAt: b.starts_at, endsAt: b.ends_at })),
      canMove: canMove && active,
      canCancel: canMove && active,
      movableUntil: loop?.intact ? movableUntil : null,
      contact: await this.contact(m, applicationId),
      candidateTimezone: timezone as string,
    };
  }

  /**
   * The candidate books the loop starting at `startsAt` (from the open offer), or moves the loop
   * they booked to start then (until the notice). It must still be one of the times that fit;
   * ScheduleLoop checks it again under the staff-calendar lock and the offer closes (or the move is
   * written) in that same transaction, so of two picks of one time (or a pick and a recruiter's
   * booking, or two moves at once) one wins and the other gets 409.
   */
  async pick(applicationId: string, startsAt: string): Promise<{ sessions: unknown[]; count: number; status: 'booked' | 'moved' }> {
    const wanted = new Date(startsAt);
    if (typeof startsAt !== 'string' || Number.isNaN(wanted.getTime())) throw badRequest('startsAt must be an ISO 8601 instant');
    const now = this.clock.now();
    const offer = await this.openOffer(this.ds.manager, applicationId);
    if (!offer) return { ...(await this.move(applicationId, wanted, now)), status: 'moved' };
    const options = await this.options(this.ds.manager, applicationId, offer.plan, now);
    const option = options.find((o) => o.startsAt.getTime() === wanted.getTime());
    if (!option) throw conflict('That time was just taken or is no longer free; please choose another one');
    const booked = await this.taken(() =>
      this.loop.execute(
        applicationId,
        option.sessions.map((s) => ({
          kind: s.kind,
          interviewerIds: s.interviewerIds,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
        })),
        { kind: 'candidate' },
        async (m) => {
          const [row]: Array<{ status: string }> = await m.query(`SELECT status FROM slot_offers WHERE id = $1 FOR UPDATE`, [offer.id]);
          if (row?.status !== 'open') throw conflict('These interview times were already booked or have expired; open the link again');
          await closeOffer(m, offer.id, 'booked', 'candidate', this.clock.now());
        },
        (m, sessions) =>
          setOfferSessions(
            m,
            offer.id,
            sessions.map((x) => x.id),
          ),
      ),
    );
    return { ...booked, status: 'booked' };
  }

  /** A clash found under the lock is "just taken" for the candidate (409), like a time no longer offered. */
  private async taken<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (
        e instanceof ApplicationException &&
        e.code === ErrorCode.Unprocessable &&
        ((e.details?.rules as string[]) ?? []).includes('interviewer_busy')
      )
        throw conflict('That time was just taken or is no longer free; please choose another one');
      throw e;
    }
  }

  private tooLate(contact: { name: string; email: string }, what: 'moved' | 'cancelled', noticeMs: number) {
    return conflict(
      `Your interviews can no longer be ${what} here: they start within ${Math.round(noticeMs / 3_600_000)} hours. Please contact ${contact.name}${contact.email ? ` (${contact.email})` : ''} and they will help.`,
    );
  }

  /** The candidate moves the loop they booked (every session keeps its UID; SEQUENCE + 1 for everyone invited). */
  private async move(applicationId: string, wanted: Date, now: Date) {
    const loop = await this.bookedLoop(this.ds.manager, applicationId);
    if (!loop) throw conflict('There are no interview times to choose or move for this application');
    const contact = await this.contact(this.ds.manager, applicationId);
    if (!loop.intact)
      throw conflict(
        `Your interviews were changed by the team, so they cannot be moved here; please contact ${contact.name}${contact.email ? ` (${contact.email})` : ''}`,
      );
    const first = new Date(loop.sessions[0].starts_at).getTime();
    const notice = await this.noticeMs();
    if (now.getTime() >= first - notice) throw this.tooLate(contact, 'moved', notice);
    await this.calendars.refreshDue(now, [...new Set(loop.offer.plan.sessions.flatMap((s) => s.interviewerIds))]).catch(() => 0);
    const options = await this.options(
      this.ds.manager,
      applicationId,
      loop.offer.plan,
      now,
      loop.sessions.map((x) => x.id),
    );
    const option = options.find((o) => o.startsAt.getTime() === wanted.getTime() && wanted.getTime() !== first);
    if (!option) throw conflict('That time was just taken or is no longer free; please choose another one');
    return this.taken(() =>
      this.loop.move(
        applicationId,
        loop.sessions.map((x, i) => ({
          sessionId: x.id,
          sequence: x.sequence,
          startsAt: option.sessions[i].startsAt.toISOString(),
          endsAt: option.sessions[i].endsAt.toISOString(),
        })),
        { kind: 'candidate' },
        async (m) => {
          // Under the lock: still the loop of that offer, and still before the notice.
          const [row]: Array<{ status: string }> = await m.query(`SELECT status FROM slot_offers WHERE id = $1 FOR UPDATE`, [
            loop.offer.id,
          ]);
          if (row?.status !== 'booked') throw conflict('These interviews were just changed; open the page again to see them');
          const noticeNow = await this.noticeMs(m);
          if (this.clock.now().getTime() >= first - noticeNow) throw this.tooLate(contact, 'moved', noticeNow);
        },
      ),
    );
  }

  /**
   * The candidate cancels the loop they booked (until the notice): every session is cancelled
   * (METHOD:CANCEL to everyone invited, the CalDAV copies removed), and the same plan is offered again
   * at once on the same link (a new round, no e-mail: the page shows the times).
   */
  async candidateCancel(applicationId: string): Promise<{ status: 'cancelled'; reoffered: boolean }> {
    const out = await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [STAFF_CALENDAR_LOCK]);
      const ctx = await lockApplication(m, applicationId);
      if (ctx.app.status !== 'active') throw conflict(`The application is ${ctx.app.status}; there are no interviews to cancel`);
      const loop = await this.bookedLoop(m, applicationId, true);
      if (!loop) throw conflict('There are no booked interviews to cancel here');
      const contact = await this.contact(m, applicationId);
      if (!loop.intact)
        throw conflict(
          `Your interviews were changed by the team, so they cannot be cancelled here; please contact ${contact.name}${contact.email ? ` (${contact.email})` : ''}`,
        );
      const now = this.clock.now();
      const notice = await this.noticeMs(m);
      if (now.getTime() >= new Date(loop.sessions[0].starts_at).getTime() - notice) throw this.tooLate(contact, 'cancelled', notice);
      const sessions = await m.find(InterviewSession, { where: { id: In(loop.sessions.map((x) => x.id)) } });
      const ids: Array<string | null> = [];
      for (const s of sessions)
        ids.push(
          ...(await this.cancelInterview.cancelLocked(
            m,
            s,
            ctx,
            { reason: 'The candidate cancelled their interviews' },
            { kind: 'candidate' },
            now,
          )),
        );
      await recordEvent(m, applicationId, EventType.NoteAdded, { kind: 'candidate' }, now, {
        text: 'The candidate cancelled their interviews from their link; times are offered again',
        offerId: loop.offer.id,
      });
      let reoffered = false;
      await m.query('SAVEPOINT reoffer');
      try {
        await this.offerIn(m, applicationId, loop.offer.plan, loop.offer.base_key, loop.offer.round + 1, { kind: 'candidate' }, now, false);
        await m.query('RELEASE SAVEPOINT reoffer');
        reoffered = true;
      } catch (e) {
        await m.query('ROLLBACK TO SAVEPOINT reoffer');
        if (!(e instanceof ApplicationException)) throw e;
        await recordEvent(m, applicationId, EventType.NoteAdded, { kind: 'system' }, now, {
          text: 'No new interview times fit the panel right now; please arrange the interviews with the candidate',
        });
      }
      return { ids, uids: sessions.map((s) => this.interviews.uid(s.id)), reoffered };
    });
    await this.outbox.dispatch(out.ids);
    await this.calendars.flushWriteBacks(out.uids).catch(() => 0);
    return { status: 'cancelled', reoffered: out.reoffered };
  }

  /**
   * The staff's view of an application's interview offers: the latest offer (its state, the times
   * e-mailed, when it expires or closed, its round), the loop the candidate booked from it with the
   * interviewers' names, and the earlier rounds.
   */
  async staffView(applicationId: string) {
    const rows: InterviewOfferRow[] = await this.ds.query(
      `SELECT * FROM slot_offers WHERE application_id = $1 AND kind = 'interview' ORDER BY offered_at DESC, round DESC`,
      [applicationId],
    );
    const latest = rows[0] ?? null;
    // Why a later round exists: the earlier one expired unanswered, or the candidate cancelled what they booked.
    const previous = latest && rows.find((r) => r.base_key === latest.base_key && r.round === latest.round - 1);
    const loop = await this.bookedLoop(this.ds.manager, applicationId);
    const upcoming = await this.upcomingSessions(applicationId, loop);
    const people = new Map(
      (
        await staffByIds(this.ds.manager, [
          ...new Set([
            ...(loop?.sessions.flatMap((x) => x.interviewer_ids) ?? []),
            ...(latest?.plan.sessions.flatMap((x) => x.interviewerIds) ?? []),
          ]),
        ])
      ).map((p) => [p.id, p.name]),
    );
    const names = (ids: string[]) => ids.map((id) => people.get(id) ?? 'someone no longer here');
    return {
      latest: latest && {
        id: latest.id,
        status: latest.status,
        round: latest.round,
        after: previous ? (previous.status === 'booked' ? 'cancelled' : 'expired') : null,
        closedBy: latest.closed_by,
        offeredAt: latest.offered_at,
        expiresAt: latest.expires_at,
        closedAt: latest.closed_at,
        slots: latest.slots ?? [],
        plan: {
          breakMinutes: latest.plan.breakMinutes,
          sessions: latest.plan.sessions.map((x) => ({
            kind: x.kind,
            kindText: kindText(x.kind),
            durationMinutes: x.durationMinutes,
            interviewers: names(x.interviewerIds),
          })),
        },
      },
      upcoming,
      loop: loop && {
        intact: loop.intact,
        sessions: loop.sessions.map((x) => ({
          id: x.id,
          kind: x.kind,
          kindText: kindText(x.kind),
          interviewers: names(x.interviewer_ids),
          startsAt: x.starts_at,
          endsAt: x.ends_at,
          status: x.status,
          sequence: x.sequence,
        })),
      },
      history: rows.map((r) => ({
        round: r.round,
        status: r.status,
        closedBy: r.closed_by,
        offeredAt: r.offered_at,
        expiresAt: r.expires_at,
        closedAt: r.closed_at,
      })),
    };
  }

  /** Sweep: interview offers nobody answered expire; the recruiter owes contact and the candidate gets new times (up to the rounds). */
  async expire(now: Date): Promise<Record<string, number>> {
    const due: InterviewOfferRow[] = await this.ds.query(
      `SELECT * FROM slot_offers WHERE status = 'open' AND kind = 'interview' AND expires_at <= $1 ORDER BY expires_at LIMIT 500`,
      [now],
    );
    let expired = 0,
      reoffered = 0;
    const { offerRounds: rounds, offerDays: days } = await this.calendars.scheduling();
    for (const o of due) {
      const r = await this.ds.transaction(async (m) => {
        const [row]: Array<{ status: string }> = await m.query(`SELECT status FROM slot_offers WHERE id = $1 FOR UPDATE SKIP LOCKED`, [
          o.id,
        ]);
        if (row?.status !== 'open') return null;
        const app = await m.findOneByOrFail(Application, { id: o.application_id });
        const closed = app.status !== 'active';
        await closeOffer(m, o.id, closed ? 'withdrawn' : 'expired', 'expiry', now);
        if (closed) return null;
        let ids: string[] = [];
        if (o.round < rounds) {
          await m.query('SAVEPOINT reoffer');
          try {
            ids = (await this.offerIn(m, app.id, o.plan, o.base_key, o.round + 1, { kind: 'system' }, now, true)).ids;
            await m.query('RELEASE SAVEPOINT reoffer');
          } catch (e) {
            await m.query('ROLLBACK TO SAVEPOINT reoffer');
            if (!(e instanceof ApplicationException)) throw e;
          }
        }
        return { app, ids };
      });
      if (!r) continue;
      expired++;
      if (r.ids.length) reoffered++;
      await this.outbox.dispatch(r.ids);
      const opening = await this.ds.getRepository(Opening).findOneByOrFail({ id: r.app.openingId });
      const [c]: Array<{ name: string }> = await this.ds.query(`SELECT name FROM candidates WHERE id = $1`, [r.app.candidateId]);
      await this.alerts.raiseOnce({
        kind: 'sla_breached',
        dedupeKey: `sla:slot-offer:${o.id}`,
        recipientId: opening.recruiterId,
        applicationId: r.app.id,
        openingId: opening.id,
        stage: r.app.stage,
        message: `${c?.name ?? 'The candidate'} has not picked interview times within ${days} business days (${opening.title}); ${r.ids.length ? 'new times were offered by e-mail' : 'please book the interviews with them'}.`,
        data: { offerId: o.id, round: o.round },
      });
    }
    this.logger.debug({ expired, reoffered }, 'interview offers swept');
    return { expired, reoffered };
  }
}
