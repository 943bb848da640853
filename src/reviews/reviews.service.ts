import { closeOffer, insertReviewOffer } from '../calendars/slot-offers.repository';
import { Principal } from '../identity/decorators';
import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { PACKET_ANONYMITY, PacketAnonymity } from './packet-anonymity';
import { TeamScope, teamFilterSql } from '../identity/team-scope';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service';
import { Candidate } from '../candidates/candidate.entity';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { ApplicationException, ErrorCode, badRequest, conflict, notFound, forbidden } from '../common/errors/application.exception';
import { buildInvite, formatInZone, stableUid } from '../communications/ics';
import { OutboxService } from '../communications/outbox.service';
import { User } from '../identity/user.entity';
import { Opening } from '../openings/opening.entity';
import { Actor, EventType } from '../timeline/timeline.entity';
import { Application } from '../pipeline/application.entity';
import { ApplicationsService } from '../pipeline/applications.service';
import { afterCodeReview, codeReviewEntry } from '../pipeline/domain/stages';
import { recordEvent } from '../timeline/timeline.repository';
import {
  displayLanguage,
  findEarliestSlot,
  findFocusExcerpt,
  findReviewSlot,
  FocusExcerpt,
  listFreeSlots,
  ReviewerProfile,
  SlotSearchResult,
} from './domain';
import { FallbackExcerpt, largestChangedFunction } from './domain/focus-fallback';
import { BusyBlock, ReviewSession } from './review.entity';
import './templates';
import { STAFF_CALENDAR_LOCK } from '../common/database/locks';
import { privacyLink } from '../privacy/privacy-token';
import '../assessments/assessments.events';
import '../pipeline/pipeline.events';
import { AppEvents, OnEvent } from '../common/events/event-bus';
import { SubmissionsService } from '../assessments/submissions.service';
import { hashPortalToken, looksLikePortalToken, newPortalToken } from '../assessments/domain/tokens';
import { addBusinessDays } from '../common/domain/business-days';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { CalendarProblem, CalendarsService } from '../calendars/calendars.service';

/** A self-scheduling offer row (slot_offers). */
interface OfferRow {
  id: string;
  application_id: string;
  base_key: string;
  round: number;
  status: 'open' | 'booked' | 'expired' | 'withdrawn';
  language: string;
  submission_id: string | null;
  exemption_id: string | null;
  expires_at: Date;
}

/** What the reviews module needs to know about a submission (provided by the take-home module). */
export interface SubmissionView {
  id: string;
  applicationId: string;
  language: string;
  files: Array<{ path: string; content: string }>;
  starterFiles?: Array<{ path: string; content: string }>;
  result: unknown;
}

const SOURCE_NAMES: Record<string, string> = {
  referral: 'Referral',
  internship: 'Internship',
  partner: 'Partner organisation',
  job_board: 'Job board',
  direct: 'Direct',
  other: 'Other',
};

/** Runtime → the language a reviewer profile lists (compared with aliases folded: "C++" lists cpp). */
export function languageOfRuntime(runtime: string): string {
  const byRuntime: Record<string, string> = {
    node: 'javascript',
    python: 'python',
    java: 'java',
    go: 'go',
    ruby: 'ruby',
    rust: 'rust',
    cpp: 'cpp',
    php: 'php',
  };
  return byRuntime[runtime] ?? runtime;
}

/**
 * Code-review sessions: every graded submission (or public-code exemption) gets a session with
 * one qualified engineer, found by the pure slot search; both parties get an ICS invitation in
 * their own time zone. When no slot exists in the search window, the hiring manager is alerted
 * with the reason; nothing is dropped silently.
 */
@Injectable()
export class ReviewsService implements OnModuleInit {
  private readonly logger = new Logger(ReviewsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly alerts: AlertsService,
    private readonly apps: ApplicationsService,
    private readonly submissions: SubmissionsService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
    private readonly scope: TeamScope,
    private readonly calendars: CalendarsService,
    @Optional() @Inject(PACKET_ANONYMITY) private readonly anonymity?: PacketAnonymity,
    @Optional() private readonly sweeps?: SweepRegistry,
  ) {}

  onModuleInit(): void {
    this.sweeps?.register({ name: 'review-slot-offers', run: (now) => this.expireOffers(now) });
  }

  private isAnonymous(review: { id: string; reviewerId: string }, openingId: string): Promise<boolean> {
    return this.anonymity ? this.anonymity.isAnonymous(review, openingId) : Promise.resolve(false);
  }

  /** Accepted public code: its code review, as for a graded take-home. */
  @OnEvent('exemption.recorded')
  async onExemption({ application, exemption }: AppEvents['exemption.recorded']): Promise<void> {
    await this.enterCodeReview(application.id, 'Public code accepted instead of the take-home');
    await this.schedule({ applicationId: application.id, exemptionId: exemption.id, language: exemption.language ?? 'javascript' });
  }

  /** In the worker after a grading result commits (at least once: schedule() is keyed by submission). */
  @OnEvent('submission.graded')
  async onGraded({ submission, application }: AppEvents['submission.graded']): Promise<void> {
    const [{ runtime }] = await this.ds.query(
      `SELECT a.runtime FROM assignment_versions v JOIN assignments a ON a.id = v.assignment_id WHERE v.id = $1`,
      [submission.versionId],
    );
    await this.enterCodeReview(application.id, 'Take-home graded');
    await this.schedule({ applicationId: application.id, submissionId: submission.id, language: languageOfRuntime(runtime) });
  }

  /** A submission's files and result for the review packet. */
  private async readSubmission(submissionId: string): Promise<SubmissionView | null> {
    const s = await this.submissions.get(submissionId).catch(() => null);
    if (!s) return null;
    const { files } = await this.submissions.files(submissionId);
    return {
      id: s.id,
      applicationId: s.applicationId,
      language: '',
      files: files.filter((f) => f.encoding === 'utf8').map((f) => ({ path: f.path, content: f.content })),
      result: s.result,
    };
  }

  /**
   * A graded take-home (or accepted public code) puts the application in the code-review stage,
   * so the candidate hears "next: the review" now and the review's outcome moves on from there.
   * Runs again harmlessly (at least once hooks): an application already there is left alone.
   */
  private async enterCodeReview(applicationId: string, note: string): Promise<void> {
    const app = await this.apps.get(applicationId);
    if (app.status !== 'active') return;
    const opening = await this.ds.getRepository(Opening).findOneByOrFail({ id: app.openingId });
    const target = codeReviewEntry(opening.stages, app.stage);
    if (!target) return;
    try {
      await this.apps.transition(app.id, target.key, note, { kind: 'system' });
    } catch (e) {
      // Someone moved it meanwhile (or closed it): their move stands.
      if (!(e instanceof ApplicationException)) throw e;
      this.logger.warn({ applicationId, err: (e as Error).message }, 'could not move the application to code review');
    }
  }

  /**
   * Books the review automatically, or (self-scheduling offers on, and not `automatic`) first
   * offers the candidate a choice of times: automatic booking is then the fallback when there is
   * no free time to offer, or when nobody picks within the configured rounds (see expireOffers).
   */
  async schedule(input: {
    applicationId: string;
    submissionId?: string;
    exemptionId?: string;
    language: string;
    automatic?: boolean;
    dedupeKey?: string;
  }): Promise<ReviewSession | null> {
    const dedupeKey = input.dedupeKey ?? (input.submissionId ? `submission:${input.submissionId}` : `exemption:${input.exemptionId}`);
    // The stored setting at this moment (an admin may have changed it since the last submission).
    if (!input.automatic && (await this.calendars.scheduling()).selfScheduleOffers) {
      const offered = await this.offerTimes({ ...input, baseKey: dedupeKey, round: 1 }, true);
      if (offered !== 'none') return null;
    }
    // Calendars not read lately are read now (outside the lock); one still unreadable keeps its owner out.
    await this.calendars.refreshDue(this.clock.now(), null).catch((e) => this.logger.warn({ err: e }, 'calendar refresh failed'));
    const outcome = await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [STAFF_CALENDAR_LOCK]);
      const existing = await m.findOne(ReviewSession, { where: { dedupeKey } });
      if (existing) return { session: existing, messageIds: [] as string[] };
      const app = await m.findOneByOrFail(Application, { id: input.applicationId });
      if (app.status !== 'active') return { session: null, messageIds: [] };
      const opening = await m.findOneByOrFail(Opening, { id: app.openingId });
      const candidate = await m.findOneByOrFail(Candidate, { id: app.candidateId });
      const now = this.clock.now();
      const { reviewers, calendarProblems } = await this.bookableReviewers(m, now);
      const found = await this.earliestSlot(m, { reviewers, calendarProblems }, candidate, input.language, opening, now);
      if (!found.ok) return { session: null, messageIds: [], failure: { ...found, app, opening, candidate } };
      const session = await m.save(
        ReviewSession,
        m.create(ReviewSession, {
          dedupeKey,
          applicationId: app.id,
          submissionId: input.submissionId ?? null,
          exemptionId: input.exemptionId ?? null,
          reviewerId: found.reviewerId,
          language: input.language,
          startsAt: found.startsAt,
          endsAt: found.endsAt,
          status: 'scheduled',
          sequence: 0,
          createdAt: now,
        }),
      );
      await recordEvent(m, app.id, EventType.ReviewScheduled, { kind: 'system' }, now, {
        reviewId: session.id,
        reviewerId: session.reviewerId,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        submissionId: input.submissionId ?? null,
      });
      const messageIds = await this.invite(m, session, app, opening, candidate, 'REQUEST', false);
      await this.queueCalendarEvent(m, session, opening, candidate, false);
      return { session, messageIds };
    });
    await this.outbox.dispatch(outcome.messageIds);
    if (outcome.session) await this.flushCalendarEvent(outcome.session);
    if ('failure' in outcome && outcome.failure) {
      const f = outcome.failure;
      await this.alerts.raiseOnce({
        kind: 'review_unschedulable',
        dedupeKey: `review-unschedulable:${dedupeKey}`,
        recipientId: f.opening.hiringManagerId,
        applicationId: f.app.id,
        openingId: f.opening.id,
        stage: f.app.stage,
        message: `No code review could be scheduled for ${f.candidate.name} (${f.opening.title}) in the next 10 business days: ${f.message}`,
        data: { reason: f.reason, language: input.language, submissionId: input.submissionId ?? null },
      });
      this.logger.warn({ applicationId: input.applicationId, reason: f.reason }, 'review not schedulable');
    }
    return outcome.session;
  }

  private async reviewerProfiles(m: EntityManager, now: Date): Promise<ReviewerProfile[]> {
    const since = new Date(now.getTime() - 15 * 86_400_000);
    const rows: Array<{
      id: string;
      languages: string[];
      timezone: string;
      working_hours: ReviewerProfile['workingHours'];
      last_booked: Date | null;
    }> = await m.query(
      `SELECT u.id, p.languages, p.timezone, p.working_hours,
              (SELECT max(created_at) FROM review_sessions r WHERE r.reviewer_id = u.id AND r.status <> 'cancelled') AS last_booked
         FROM reviewer_profiles p JOIN users u ON u.id = p.user_id
        WHERE 'engineer' = ANY(u.roles) AND u.disabled_at IS NULL`,
    );
    const sessions: Array<{ reviewer_id: string; starts_at: Date; ends_at: Date }> = await m.query(
      `SELECT reviewer_id, starts_at, ends_at FROM review_sessions WHERE status <> 'cancelled' AND ends_at >= $1`,
      [since],
    );
    // Busy: calendar blocks and the interviews the engineer sits on (any application).
    const busy: Array<{ user_id: string; starts_at: Date; ends_at: Date }> = await m.query(
      `SELECT user_id, starts_at, ends_at FROM busy_blocks WHERE ends_at >= $1
       UNION ALL
       SELECT u.user_id, s.starts_at, s.ends_at FROM interview_sessions s CROSS JOIN LATERAL unnest(s.interviewer_ids) AS u(user_id)
        WHERE s.status = 'scheduled' AND s.ends_at >= $1`,
      [now],
    );
    for (const b of await this.calendars.busy(m, null, now, new Date(now.getTime() + 60 * 86_400_000)))
      busy.push({ user_id: b.userId, starts_at: b.startsAt, ends_at: b.endsAt });
    return rows.map((r) => ({
      id: r.id,
      languages: r.languages,
      timezone: r.timezone,
      workingHours: r.working_hours,
      lastBookedAt: r.last_booked,
      sessions: sessions.filter((s) => s.reviewer_id === r.id).map((s) => ({ startsAt: s.starts_at, endsAt: s.ends_at })),
      busy: busy.filter((b) => b.user_id === r.id).map((b) => ({ startsAt: b.starts_at, endsAt: b.ends_at })),
    }));
  }

  /** Reviewer profiles minus those whose calendar cannot be read (never treated as free), with why. */
  private async bookableReviewers(
    m: EntityManager,
    now: Date,
  ): Promise<{ reviewers: ReviewerProfile[]; calendarProblems: CalendarProblem[] }> {
    const all = await this.reviewerProfiles(m, now);
    const calendarProblems = await this.calendars.problems(
      m,
      all.map((r) => r.id),
      now,
    );
    const out = new Set(calendarProblems.map((p) => p.userId));
    return { reviewers: all.filter((r) => !out.has(r.id)), calendarProblems };
  }

  /** The earliest free review slot, or why there is none (the unreadable calendars named in the message). */
  private async earliestSlot(
    m: EntityManager,
    bookable: { reviewers: ReviewerProfile[]; calendarProblems: CalendarProblem[] },
    candidate: Candidate,
    language: string,
    opening: Opening,
    now: Date,
  ): Promise<SlotSearchResult> {
    const found = findReviewSlot({
      reviewers: bookable.reviewers,
      candidate: { timezone: candidate.timezone, referrerId: candidate.referrerId },
      language,
      durationMinutes: opening.reviewDurationMinutes,
      now,
    });
    if (found.ok) return found;
    const unreadable = await this.describeProblems(m, bookable.calendarProblems);
    return unreadable ? { ...found, message: `${found.message} ${unreadable}` } : found;
  }

  private async describeProblems(m: EntityManager, problems: CalendarProblem[]): Promise<string> {
    if (!problems.length) return '';
    const names: Array<{ id: string; name: string }> = await m.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [
      problems.map((p) => p.userId),
    ]);
    const nameOf = (id: string) => names.find((n) => n.id === id)?.name ?? id;
    return `Not offered because their calendar cannot be read: ${problems.map((p) => `${nameOf(p.userId)} (${p.message.replace(/^their calendar cannot be read \(|\)$/g, '')})`).join('; ')}.`;
  }

  /** The review in the reviewer's connected CalDAV calendar (queued in the booking transaction, sent after commit). */
  private async queueCalendarEvent(
    m: EntityManager,
    s: ReviewSession,
    opening: Opening,
    candidate: Candidate,
    cancel: boolean,
  ): Promise<void> {
    const base = publicUrl(this.env);
    const [profile]: Array<{ meeting_url: string | null }> = await m.query(`SELECT meeting_url FROM reviewer_profiles WHERE user_id = $1`, [
      s.reviewerId,
    ]);
    await this.calendars.queueWriteBack(m, {
      userIds: cancel ? [] : [s.reviewerId],
      sessionKind: 'review',
      sessionId: s.id,
      cancel,
      event: {
        uid: stableUid('review', s.id, new URL(base).hostname),
        sequence: s.sequence,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        summary: `Code review: ${candidate.name} (${opening.title})`,
        description: `A ${opening.reviewDurationMinutes}-minute review of the take-home. Packet: ${base}/reviews/${s.id}`,
        location: profile?.meeting_url ?? null,
        url: `${base}/reviews/${s.id}`,
        dtstamp: this.clock.now(),
      },
    });
  }

  private async flushCalendarEvent(s: ReviewSession): Promise<void> {
    await this.calendars
      .flushWriteBacks([stableUid('review', s.id, new URL(publicUrl(this.env)).hostname)])
      .catch((e) => this.logger.warn({ err: e, reviewId: s.id }, 'calendar write-back failed; the sweep retries'));
  }

  /** Invitations (or cancellations) with ICS to the reviewer and the candidate, each in their own time zone. */
  private async invite(
    m: EntityManager,
    s: ReviewSession,
    app: Application,
    opening: Opening,
    candidate: Candidate,
    method: 'REQUEST' | 'CANCEL',
    rescheduled: boolean,
    reason?: string,
    audience: 'both' | 'reviewer' = 'both',
  ): Promise<string[]> {
    const reviewer = await m.findOneByOrFail(User, { id: s.reviewerId });
    const [profile]: Array<{ timezone: string; meeting_url: string | null }> = await m.query(
      `SELECT timezone, meeting_url FROM reviewer_profiles WHERE user_id = $1`,
      [s.reviewerId],
    );
    const meetingUrl = profile?.meeting_url ?? null;
    const base = publicUrl(this.env);
    const domain = new URL(base).hostname;
    const company = process.env.COMPANY_NAME ?? 'Our company';
    // Anonymous review (the opening's scorecard setting): the reviewer's e-mail and calendar entry
    // name no candidate and carry no address of theirs, like the packet, until the scorecard is in.
    const anonymous = await this.isAnonymous(s, opening.id);
    const shownCandidate = anonymous
      ? { name: 'an anonymous candidate', firstName: 'the candidate' }
      : { name: candidate.name, firstName: candidate.name.split(/\s+/)[0] };
    const calendar = (forReviewer: boolean) => {
      const ics = buildInvite({
        uid: stableUid('review', s.id, domain),
        sequence: s.sequence,
        method,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        dtstamp: this.clock.now(),
        // Each side's own title; the candidate's never names the candidate and never links to the staff-only packet.
        summary: forReviewer
          ? `Code review: ${anonymous ? 'anonymous candidate' : candidate.name} (${opening.title})`
          : `Code review with ${reviewer.name} (${company}, ${opening.title})`,
        description: `A ${opening.reviewDurationMinutes}-minute review of the take-home with an engineer.${meetingUrl ? `\nJoin: ${meetingUrl}` : ''}`,
        organizer: { name: 'Hiring', email: this.env.MAIL_FROM.replace(/^.*<|>$/g, '') },
        attendees: [
          { name: reviewer.name, email: reviewer.email },
          ...(forReviewer && anonymous ? [] : [{ name: candidate.name, email: candidate.email }]),
        ],
        ...(meetingUrl ? { location: meetingUrl } : {}),
        ...(forReviewer ? { url: `${base}/reviews/${s.id}` } : meetingUrl ? { url: meetingUrl } : {}),
      });
      return { filename: 'invite.ics', contentType: `text/calendar; method=${method}`, content: ics, method };
    };
    const common = {
      candidate: { name: candidate.name, firstName: candidate.name.split(/\s+/)[0] },
      opening: { title: opening.title },
      reviewer: { name: reviewer.name, firstName: reviewer.name.split(/\s+/)[0] },
      meetingUrl,
      duration: opening.reviewDurationMinutes,
      language: displayLanguage(s.language),
      packetUrl: `${base}/reviews/${s.id}`,
      rescheduled,
      reason: reason ?? null,
      links: { status: null, privacy: privacyLink(base, candidate.id, this.env.SESSION_SECRET) },
    };
    const tag = `${method}:${s.sequence}`;
    const ids = [
      await this.outbox.queue(m, {
        idempotencyKey: `review:${s.id}:${tag}:reviewer`,
        template: method === 'CANCEL' ? 'review_cancelled' : 'review_invitation',
        context: {
          ...common,
          person: { name: reviewer.name },
          candidate: shownCandidate,
          anonymous,
          links: { status: null, privacy: null },
          forReviewer: true,
          when: formatInZone(s.startsAt, profile?.timezone ?? reviewer.timezone, s.endsAt),
        },
        to: { address: reviewer.email, name: reviewer.name },
        recipientUserId: reviewer.id,
        applicationId: app.id,
        attachments: [calendar(true)],
      }),
      audience === 'reviewer'
        ? null
        : await this.outbox.queue(m, {
            idempotencyKey: `review:${s.id}:${tag}:candidate`,
            template: method === 'CANCEL' ? 'review_cancelled' : 'review_invitation_candidate',
            context: {
              ...common,
              packetUrl: null,
              person: { name: candidate.name },
              forReviewer: false,
              when: formatInZone(s.startsAt, candidate.timezone, s.endsAt),
            },
            to: { address: candidate.email, name: candidate.name },
            candidateId: candidate.id,
            applicationId: app.id,
            openingId: opening.id,
            attachments: [calendar(false)],
          }),
    ];
    return ids.filter((x): x is string => !!x);
  }

  private async lockSession(m: EntityManager, id: string) {
    const s = await m
      .getRepository(ReviewSession)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id })
      .getOne();
    if (!s) throw notFound('Review');
    const app = await m.findOneByOrFail(Application, { id: s.applicationId });
    const opening = await m.findOneByOrFail(Opening, { id: app.openingId });
    const candidate = await m.findOneByOrFail(Candidate, { id: app.candidateId });
    return { s, app, opening, candidate };
  }

  /** Same reviewer, the next slot after the current one; the invitation keeps its UID with SEQUENCE+1. */
  async reschedule(id: string, actor: Actor): Promise<ReviewSession> {
    const { session, ids } = await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [STAFF_CALENDAR_LOCK]);
      const { s, app, opening, candidate } = await this.lockSession(m, id);
      if (s.status !== 'scheduled') throw conflict(`The review is ${s.status}`);
      const now = this.clock.now();
      const [reviewer] = (await this.reviewerProfiles(m, now)).filter((r) => r.id === s.reviewerId);
      const [problem] = await this.calendars.problems(m, [s.reviewerId], now);
      if (problem)
        throw new ApplicationException(ErrorCode.Unprocessable, `The reviewer cannot be booked: ${problem.message}`, {
          rules: ['calendar_unreadable'],
        });
      if (!reviewer) throw new ApplicationException(ErrorCode.Unprocessable, 'The reviewer no longer has a reviewer profile');
      // The current slot stays busy so the new one differs from it.
      const slot = findEarliestSlot({
        reviewer,
        candidate: { timezone: candidate.timezone, referrerId: candidate.referrerId },
        durationMinutes: opening.reviewDurationMinutes,
        now,
      });
      if (!slot) throw new ApplicationException(ErrorCode.Unprocessable, 'No other slot in the next 10 business days for this reviewer');
      s.startsAt = slot.startsAt;
      s.endsAt = slot.endsAt;
      s.sequence += 1;
      await m.save(s);
      await recordEvent(m, app.id, EventType.ReviewScheduled, actor, now, {
        reviewId: s.id,
        rescheduled: true,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        sequence: s.sequence,
      });
      await this.queueCalendarEvent(m, s, opening, candidate, false);
      return { session: s, ids: await this.invite(m, s, app, opening, candidate, 'REQUEST', true) };
    });
    await this.outbox.dispatch(ids);
    await this.flushCalendarEvent(session);
    return session;
  }

  /** The application's review still ahead, if any. */
  private async upcomingReview(m: EntityManager, applicationId: string): Promise<ReviewSession | null> {
    return m
      .getRepository(ReviewSession)
      .createQueryBuilder('r')
      .where('r.application_id = :applicationId AND r.status = :st', { applicationId, st: 'scheduled' })
      .orderBy('r.starts_at', 'DESC')
      .getOne();
  }

  /** Free slots the candidate may move their review to (across the qualified reviewers), and whether moving is still allowed. */
  private async slotChoices(m: EntityManager, review: ReviewSession, now: Date) {
    const app = await m.findOneByOrFail(Application, { id: review.applicationId });
    const opening = await m.findOneByOrFail(Opening, { id: app.openingId });
    const candidate = await m.findOneByOrFail(Candidate, { id: app.candidateId });
    const { reviewers } = await this.bookableReviewers(m, now);
    // The review's own slot does not count as busy for its reviewer (moving frees it).
    const freed = reviewers.map((r) =>
      r.id === review.reviewerId
        ? {
            ...r,
            sessions: r.sessions.filter(
              (x) =>
                !(new Date(x.startsAt).getTime() === review.startsAt.getTime() && new Date(x.endsAt).getTime() === review.endsAt.getTime()),
            ),
          }
        : r,
    );
    const slots = listFreeSlots({
      reviewers: freed,
      candidate: { timezone: candidate.timezone, referrerId: candidate.referrerId },
      language: review.language,
      durationMinutes: opening.reviewDurationMinutes,
      now,
    }).filter((x) => x.startsAt.getTime() !== review.startsAt.getTime());
    return { app, opening, candidate, slots };
  }

  /**
   * What the candidate's portal offers: their booked review, the times to move it to and until when
   * they may (or cancel it); or, before a review is booked, the open offer's times to pick from.
   */
  async candidateSlots(applicationId: string) {
    const now = this.clock.now();
    await this.calendars.refreshDue(now, null).catch(() => 0);
    const review = await this.upcomingReview(this.ds.manager, applicationId);
    const noticeMs = (await this.calendarsNoticeHours()) * 3_600_000;
    if (!review) {
      const offer = await this.openOffer(this.ds.manager, applicationId, false);
      const choices = offer ? await this.offerChoices(this.ds.manager, offer, now) : null;
      return {
        review: null,
        offer: offer ? { expiresAt: offer.expires_at, round: offer.round } : null,
        slots: (choices?.slots ?? []).map((x) => ({ startsAt: x.startsAt, endsAt: x.endsAt })),
        canPick: !!offer && choices?.app.status === 'active',
        canMove: false,
        canCancel: false,
        movableUntil: null,
        candidateTimezone: await this.candidateZone(applicationId),
      };
    }
    const movableUntil = new Date(review.startsAt.getTime() - noticeMs);
    const canMove = now < movableUntil;
    const { slots, candidate } = canMove ? await this.slotChoices(this.ds.manager, review, now) : { slots: [], candidate: null };
    return {
      review: { startsAt: review.startsAt, endsAt: review.endsAt, status: review.status },
      offer: null,
      slots: slots.map((x) => ({ startsAt: x.startsAt, endsAt: x.endsAt })),
      canPick: false,
      canMove,
      canCancel: canMove,
      movableUntil,
      candidateTimezone: candidate?.timezone ?? (await this.candidateZone(applicationId)),
    };
  }

  private async candidateZone(applicationId: string): Promise<string> {
    const [r] = await this.ds.query(`SELECT c.timezone FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.id = $1`, [
      applicationId,
    ]);
    return r?.timezone ?? 'UTC';
  }

  /** Read through `m` inside a transaction (no second pooled connection while the calendar lock is held). */
  private async calendarsNoticeHours(m?: EntityManager): Promise<number> {
    return (await this.calendars.scheduling(m)).noticeHours;
  }

  /**
   * The candidate moves their review to one of the offered slots. Under the staff-calendar lock the
   * choices are computed again: a slot someone else just took (or no longer free) is a 409. The
   * invitation keeps its UID with SEQUENCE+1; when the slot goes to another reviewer, the first one
   * gets the cancellation and the new one the invitation.
   */
  async candidatePick(applicationId: string, startsAt: string): Promise<{ startsAt: Date; endsAt: Date; status: string }> {
    const wanted = new Date(startsAt);
    if (Number.isNaN(wanted.getTime())) throw badRequest('startsAt must be an ISO 8601 instant');
    const now0 = this.clock.now();
    await this.calendars.refreshDue(now0, null).catch(() => 0);
    const { session, ids } = await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [STAFF_CALENDAR_LOCK]);
      const now = this.clock.now();
      const current = await this.upcomingReview(m, applicationId);
      if (!current) {
        // No review yet: the first pick books one of the open offer's times.
        const offer = await this.openOffer(m, applicationId, true);
        if (!offer) throw conflict('There is no review to schedule for this application');
        return this.bookOffer(m, offer, wanted, { kind: 'candidate' }, now);
      }
      const { s } = await this.lockSession(m, current.id);
      const notice = await this.calendarsNoticeHours(m);
      if (now.getTime() >= s.startsAt.getTime() - notice * 3_600_000)
        throw conflict(`The review can no longer be moved here: it starts within ${notice} hours. Reply to our e-mail and we will help.`);
      const { app, opening, candidate, slots } = await this.slotChoices(m, s, now);
      const slot = slots.find((x) => x.startsAt.getTime() === wanted.getTime());
      if (!slot) throw conflict('That time was just taken or is no longer free; please choose another one');
      const ids: string[] = [];
      if (slot.reviewerId !== s.reviewerId) {
        // The first reviewer is released: their invitation is cancelled (the candidate's is replaced below).
        const released = { ...s, sequence: s.sequence + 1 } as ReviewSession;
        ids.push(
          ...(await this.invite(m, released, app, opening, candidate, 'CANCEL', false, 'The candidate chose another time', 'reviewer')),
        );
        s.sequence += 1;
        s.reviewerId = slot.reviewerId;
      }
      s.startsAt = slot.startsAt;
      s.endsAt = slot.endsAt;
      s.sequence += 1;
      await m.save(s);
      await recordEvent(m, app.id, EventType.ReviewScheduled, { kind: 'candidate' }, now, {
        reviewId: s.id,
        rescheduled: true,
        byCandidate: true,
        reviewerId: s.reviewerId,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        sequence: s.sequence,
      });
      ids.push(...(await this.invite(m, s, app, opening, candidate, 'REQUEST', true)));
      await this.queueCalendarEvent(m, s, opening, candidate, false);
      return { session: s, ids };
    });
    await this.outbox.dispatch(ids);
    await this.flushCalendarEvent(session);
    return { startsAt: session.startsAt, endsAt: session.endsAt, status: session.status };
  }

  // ---- Self-scheduling offers: the candidate's first pick -------------------------------------

  /** The application's open offer (locked for update when `lock`). */
  private async openOffer(m: EntityManager, applicationId: string, lock: boolean): Promise<OfferRow | null> {
    const [row]: OfferRow[] = await m.query(
      `SELECT * FROM slot_offers WHERE application_id = $1 AND status = 'open' AND kind = 'review' ORDER BY round DESC LIMIT 1${lock ? ' FOR UPDATE' : ''}`,
      [applicationId],
    );
    return row ?? null;
  }

  /** The application a self-scheduling link (an offer's token) opens, or null. */
  async offerLinkApplication(token: string): Promise<string | null> {
    if (typeof token !== 'string' || !looksLikePortalToken(token)) return null;
    const [row]: Array<{ application_id: string }> = await this.ds.query(`SELECT application_id FROM slot_offers WHERE token_hash = $1`, [
      hashPortalToken(token),
    ]);
    return row?.application_id ?? null;
  }

  /** The times an offer may be booked at now: free across every qualified reviewer, by the automatic booking's rules. */
  private async offerChoices(m: EntityManager, offer: OfferRow, now: Date) {
    const app = await m.findOneByOrFail(Application, { id: offer.application_id });
    const opening = await m.findOneByOrFail(Opening, { id: app.openingId });
    const candidate = await m.findOneByOrFail(Candidate, { id: app.candidateId });
    const { reviewers, calendarProblems } = await this.bookableReviewers(m, now);
    const slots = listFreeSlots({
      reviewers,
      candidate: { timezone: candidate.timezone, referrerId: candidate.referrerId },
      language: offer.language,
      durationMinutes: opening.reviewDurationMinutes,
      now,
    });
    return { app, opening, candidate, reviewers, calendarProblems, slots };
  }

  /**
   * Offers the candidate a choice of review times (round `round` for `baseKey`): a row with its own
   * link token and the e-mail listing the first times, in one transaction. 'exists' when this round
   * (or, for round 1, the review itself) is already there; 'none' when there is no time to offer.
   */
  private async offerTimes(
    input: { applicationId: string; submissionId?: string; exemptionId?: string; language: string; baseKey: string; round: number },
    email: boolean,
  ): Promise<'offered' | 'exists' | 'none' | 'closed'> {
    await this.calendars.refreshDue(this.clock.now(), null).catch((e) => this.logger.warn({ err: e }, 'calendar refresh failed'));
    const out = await this.ds.transaction((m) => this.offerIn(m, input, email, this.clock.now()));
    await this.outbox.dispatch(out.ids);
    return out.result;
  }

  private async offerIn(
    m: EntityManager,
    input: {
      applicationId: string;
      submissionId?: string | null;
      exemptionId?: string | null;
      language: string;
      baseKey: string;
      round: number;
    },
    email: boolean,
    now: Date,
  ): Promise<{ result: 'offered' | 'exists' | 'none' | 'closed'; ids: string[] }> {
    const [dupe] = await m.query(
      `SELECT 1 FROM slot_offers WHERE base_key = $1 AND round = $2
       UNION ALL SELECT 1 FROM review_sessions WHERE dedupe_key = $1 AND $2 = 1 LIMIT 1`,
      [input.baseKey, input.round],
    );
    if (dupe) return { result: 'exists', ids: [] };
    const app = await m.findOneByOrFail(Application, { id: input.applicationId });
    if (app.status !== 'active') return { result: 'closed', ids: [] };
    const probe = { application_id: app.id, language: input.language } as OfferRow;
    const { opening, candidate, slots } = await this.offerChoices(m, probe, now);
    if (!slots.length) return { result: 'none', ids: [] };
    const { offerDays: days } = await this.calendars.scheduling(m);
    const expiresAt = addBusinessDays(now, days, candidate.timezone, opening.holidays ?? []);
    const token = newPortalToken();
    const shown = slots.slice(0, 6);
    const offerId = await insertReviewOffer(m, {
      applicationId: app.id,
      baseKey: input.baseKey,
      round: input.round,
      tokenHash: hashPortalToken(token),
      language: input.language,
      submissionId: input.submissionId,
      exemptionId: input.exemptionId,
      slots: shown,
      offeredAt: now,
      expiresAt,
    });
    if (!offerId) return { result: 'exists', ids: [] };
    const zone = candidate.timezone;
    await recordEvent(m, app.id, EventType.NoteAdded, { kind: 'system' }, now, {
      text: `Code review times offered to the candidate${input.round > 1 ? ' again' : ''} (open until ${formatInZone(expiresAt, zone)})`,
      offerId,
      round: input.round,
    });
    if (!email) return { result: 'offered', ids: [] };
    const base = publicUrl(this.env);
    const id = await this.outbox.queue(m, {
      idempotencyKey: `review-offer:${offerId}`,
      template: 'review_times_offered',
      context: {
        person: { name: candidate.name },
        candidate: { name: candidate.name, firstName: candidate.name.split(/\s+/)[0] },
        opening: { title: opening.title },
        duration: opening.reviewDurationMinutes,
        language: displayLanguage(input.language),
        times: shown.map((x) => formatInZone(x.startsAt, zone, x.endsAt)),
        zone,
        again: input.round > 1,
        pickUrl: `${base}/portal/${token}/review-time`,
        expires: formatInZone(expiresAt, zone),
        links: { status: null, privacy: privacyLink(base, candidate.id, this.env.SESSION_SECRET) },
      },
      to: { address: candidate.email, name: candidate.name },
      candidateId: candidate.id,
      applicationId: app.id,
      openingId: opening.id,
    });
    return { result: 'offered', ids: id ? [id] : [] };
  }

  /**
   * Books an open offer (locked by the caller, under the staff-calendar lock): at `wanted` when it is
   * still one of the free times (else 409), or at the earliest free time when a recruiter books
   * without choosing. The offer is closed with the session; both parties get the invitation.
   */
  private async bookOffer(
    m: EntityManager,
    offer: OfferRow,
    wanted: Date | null,
    actor: Actor,
    now: Date,
  ): Promise<{ session: ReviewSession; ids: string[] }> {
    if (offer.status !== 'open') throw conflict('These times were already booked or have expired; open the link again');
    const { app, opening, candidate, reviewers, slots, calendarProblems } = await this.offerChoices(m, offer, now);
    if (app.status !== 'active') throw conflict('This application is closed');
    let slot: { reviewerId: string; startsAt: Date; endsAt: Date };
    if (wanted) {
      const hit = slots.find((x) => x.startsAt.getTime() === wanted.getTime());
      if (!hit) throw conflict('That time was just taken or is no longer free; please choose another one');
      slot = hit;
    } else {
      const found = await this.earliestSlot(m, { reviewers, calendarProblems }, candidate, offer.language, opening, now);
      if (!found.ok) throw new ApplicationException(ErrorCode.Unprocessable, `No time can be booked: ${found.message}`);
      slot = found;
    }
    const session = await m.save(
      ReviewSession,
      m.create(ReviewSession, {
        dedupeKey: `offer:${offer.id}`,
        applicationId: app.id,
        submissionId: offer.submission_id,
        exemptionId: offer.exemption_id,
        reviewerId: slot.reviewerId,
        language: offer.language,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        status: 'scheduled',
        sequence: 0,
        createdAt: now,
      }),
    );
    await closeOffer(m, offer.id, 'booked', actor.kind === 'candidate' ? 'candidate' : 'staff', now, session.id);
    await recordEvent(m, app.id, EventType.ReviewScheduled, actor, now, {
      reviewId: session.id,
      reviewerId: session.reviewerId,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      submissionId: offer.submission_id,
      offerId: offer.id,
      byCandidate: actor.kind === 'candidate',
    });
    const ids = await this.invite(m, session, app, opening, candidate, 'REQUEST', false);
    await this.queueCalendarEvent(m, session, opening, candidate, false);
    return { session, ids };
  }

  /** A recruiter books an offer directly (the candidate's pick is no longer needed): at `startsAt` or the earliest free time. */
  async bookOfferAsStaff(offerId: string, startsAt: string | undefined, actor: Actor, viewer: Pick<Principal, 'id' | 'roles'>) {
    let wanted: Date | null = null;
    if (startsAt !== undefined && startsAt !== '') {
      wanted = new Date(startsAt);
      if (typeof startsAt !== 'string' || Number.isNaN(wanted.getTime())) throw badRequest('startsAt must be an ISO 8601 instant');
    }
    await this.calendars.refreshDue(this.clock.now(), null).catch(() => 0);
    const { session, ids } = await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [STAFF_CALENDAR_LOCK]);
      const params: unknown[] = [offerId];
      const [offer]: OfferRow[] = await m.query(
        `SELECT o.* FROM slot_offers o JOIN applications a ON a.id = o.application_id
          WHERE o.id = $1 AND o.kind = 'review' AND ${this.scope.sql(viewer, 'a.opening_id', params)} FOR UPDATE OF o`,
        params,
      );
      if (!offer) throw notFound('Offer');
      return this.bookOffer(m, offer, wanted, actor, this.clock.now());
    });
    await this.outbox.dispatch(ids);
    await this.flushCalendarEvent(session);
    return session;
  }

  /**
   * The candidate cancels their booked review (until the notice): both get the cancellation and the
   * candidate is offered times again (a new round, open for the configured business days).
   */
  async candidateCancel(applicationId: string): Promise<{ status: string }> {
    const { session, ids } = await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [STAFF_CALENDAR_LOCK]);
      const now = this.clock.now();
      const current = await this.upcomingReview(m, applicationId);
      if (!current) throw conflict('There is no booked review to cancel');
      const { s, app, opening, candidate } = await this.lockSession(m, current.id);
      const notice = await this.calendarsNoticeHours(m);
      if (now.getTime() >= s.startsAt.getTime() - notice * 3_600_000)
        throw conflict(
          `The review can no longer be cancelled here: it starts within ${notice} hours. Reply to our e-mail and we will help.`,
        );
      s.status = 'cancelled';
      s.sequence += 1;
      await m.save(s);
      await recordEvent(m, app.id, EventType.NoteAdded, { kind: 'candidate' }, now, {
        text: 'The candidate cancelled their code review; times are offered again',
        reviewId: s.id,
      });
      await this.queueCalendarEvent(m, s, opening, candidate, true);
      const ids = await this.invite(m, s, app, opening, candidate, 'CANCEL', false, 'The candidate cancelled');
      const [last]: Array<{ base_key: string; round: number }> = await m.query(
        `SELECT base_key, round FROM slot_offers WHERE application_id = $1 AND kind = 'review' ORDER BY round DESC LIMIT 1`,
        [app.id],
      );
      await this.offerIn(
        m,
        {
          applicationId: app.id,
          submissionId: s.submissionId,
          exemptionId: s.exemptionId,
          language: s.language,
          // A review booked automatically (no offer before) counts as round 1 of its own key.
          baseKey: last?.base_key ?? s.dedupeKey,
          round: (last?.round ?? 1) + 1,
        },
        false,
        now,
      );
      return { session: s, ids };
    });
    await this.outbox.dispatch(ids);
    await this.flushCalendarEvent(session);
    return { status: session.status };
  }

  /**
   * Sweep: offers nobody picked from within their business days expire. The recruiter owes the
   * candidate contact (an SLA alert), and the candidate is offered new times by e-mail, or, after
   * the configured rounds, the review is booked automatically (they may still move it).
   */
  async expireOffers(now: Date): Promise<Record<string, number>> {
    const due: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM slot_offers WHERE status = 'open' AND kind = 'review' AND expires_at <= $1 ORDER BY expires_at LIMIT 500`,
      [now],
    );
    let expired = 0,
      reoffered = 0,
      booked = 0,
      withdrawn = 0;
    if (!due.length) return { expired, reoffered, booked, withdrawn };
    await this.calendars.refreshDue(now, null).catch(() => 0);
    const { offerRounds: rounds, offerDays: days } = await this.calendars.scheduling();
    for (const { id } of due) {
      const step = await this.ds.transaction(async (m) => {
        const [offer]: OfferRow[] = await m.query(`SELECT * FROM slot_offers WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id]);
        if (!offer || offer.status !== 'open' || new Date(offer.expires_at) > now) return null;
        const app = await m.findOneByOrFail(Application, { id: offer.application_id });
        if (app.status !== 'active') {
          await closeOffer(m, id, 'withdrawn', 'expiry', now);
          return { offer, app, kind: 'withdrawn' as const, ids: [] as string[] };
        }
        await closeOffer(m, id, 'expired', 'expiry', now);
        const next =
          offer.round < rounds
            ? await this.offerIn(
                m,
                {
                  applicationId: app.id,
                  submissionId: offer.submission_id,
                  exemptionId: offer.exemption_id,
                  language: offer.language,
                  baseKey: offer.base_key,
                  round: offer.round + 1,
                },
                true,
                now,
              )
            : { result: 'none' as const, ids: [] };
        return { offer, app, kind: next.result === 'offered' ? ('reoffered' as const) : ('automatic' as const), ids: next.ids };
      });
      if (!step) continue;
      if (step.kind === 'withdrawn') {
        withdrawn++;
        continue;
      }
      expired++;
      await this.outbox.dispatch(step.ids);
      let outcome: string;
      if (step.kind === 'reoffered') {
        reoffered++;
        outcome = 'new times were offered by e-mail';
      } else {
        const session = await this.schedule({
          applicationId: step.app.id,
          submissionId: step.offer.submission_id ?? undefined,
          exemptionId: step.offer.exemption_id ?? undefined,
          language: step.offer.language,
          automatic: true,
          dedupeKey: `offer:${step.offer.id}`,
        });
        if (session) booked++;
        outcome = session ? 'the review was booked automatically (they may still move it)' : 'no time could be booked automatically either';
      }
      const opening = await this.ds.getRepository(Opening).findOneByOrFail({ id: step.app.openingId });
      const [c]: Array<{ name: string }> = await this.ds.query(`SELECT name FROM candidates WHERE id = $1`, [step.app.candidateId]);
      await this.alerts.raiseOnce({
        kind: 'sla_breached',
        dedupeKey: `sla:slot-offer:${step.offer.id}`,
        recipientId: opening.recruiterId,
        applicationId: step.app.id,
        openingId: opening.id,
        stage: step.app.stage,
        message: `${c?.name ?? 'The candidate'} has not picked a code review time within ${days} business days (${opening.title}); ${outcome}. Please get in touch with them.`,
        data: { offerId: step.offer.id, round: step.offer.round },
      });
    }
    return { expired, reoffered, booked, withdrawn };
  }

  /** Offers for the staff view (open first), limited to the viewer's teams. */
  async listOffers(viewer: Pick<Principal, 'id' | 'roles'>, status?: string) {
    const params: unknown[] = [status ?? null];
    const rows: Array<{
      id: string;
      application_id: string;
      round: number;
      status: string;
      offered_at: Date;
      expires_at: Date;
      closed_at: Date | null;
      closed_by: string | null;
      candidate_name: string;
      opening_title: string;
      session_id: string | null;
      kind: 'review' | 'interview';
    }> = await this.ds.query(
      `SELECT o.id, o.kind, o.application_id, o.round, o.status, o.offered_at, o.expires_at, o.closed_at, o.closed_by, o.session_id,
              c.name AS candidate_name, op.title AS opening_title
         FROM slot_offers o JOIN applications a ON a.id = o.application_id
         JOIN candidates c ON c.id = a.candidate_id JOIN openings op ON op.id = a.opening_id
        WHERE ($1::text IS NULL OR o.status = $1) AND ${this.scope.sql(viewer, 'a.opening_id', params)}
        ORDER BY (o.status = 'open') DESC, o.expires_at DESC LIMIT 200`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      applicationId: r.application_id,
      candidateName: r.candidate_name,
      openingTitle: r.opening_title,
      round: r.round,
      status: r.status,
      offeredAt: r.offered_at,
      expiresAt: r.expires_at,
      closedAt: r.closed_at,
      bookedBy: r.closed_by === 'candidate' || r.closed_by === 'staff' ? r.closed_by : null,
      reviewId: r.session_id,
    }));
  }

  async cancel(id: string, reason: string | undefined, actor: Actor): Promise<ReviewSession> {
    const { session, ids } = await this.ds.transaction(async (m) => {
      const { s, app, opening, candidate } = await this.lockSession(m, id);
      if (s.status !== 'scheduled') throw conflict(`The review is ${s.status}`);
      s.status = 'cancelled';
      s.sequence += 1;
      await m.save(s);
      await recordEvent(m, app.id, EventType.NoteAdded, actor, this.clock.now(), {
        text: `Code review cancelled${reason ? `: ${reason}` : ''}`,
        reviewId: s.id,
      });
      await this.queueCalendarEvent(m, s, opening, candidate, true);
      return { session: s, ids: await this.invite(m, s, app, opening, candidate, 'CANCEL', false, reason) };
    });
    await this.outbox.dispatch(ids);
    await this.flushCalendarEvent(session);
    return session;
  }

  /** Decision and notes; advancing or rejecting the application sends the candidate's message. */
  async outcome(
    id: string,
    dto: { decision: 'advance' | 'reject'; notes: string; candidateMessage?: string },
    actor: Actor,
  ): Promise<ReviewSession> {
    const session = await this.ds.transaction(async (m) => {
      const { s, app } = await this.lockSession(m, id);
      if (s.status === 'cancelled') throw conflict('The review was cancelled');
      if (s.decision) throw conflict(`The outcome was already recorded: ${s.decision}`);
      s.status = 'completed';
      s.decision = dto.decision;
      s.notes = dto.notes;
      s.decidedAt = this.clock.now();
      await m.save(s);
      await recordEvent(m, app.id, EventType.ReviewCompleted, actor, s.decidedAt, {
        reviewId: s.id,
        decision: dto.decision,
        notes: dto.notes,
      });
      return s;
    });
    const app = await this.apps.get(session.applicationId);
    if (app.status === 'active') {
      if (dto.decision === 'reject') {
        await this.apps.terminal(app.id, 'reject', { reason: `Code review: ${dto.notes}`, candidateMessage: dto.candidateMessage }, actor);
      } else {
        const opening = await this.ds.getRepository(Opening).findOneByOrFail({ id: app.openingId });
        // From the code-review stage (entered when the take-home was graded) to the stage after it;
        // an application still before it (graded before this rule) passes through it first. One
        // with other stages still to go (public code accepted at the recruiter screen, before the
        // manager call) stays where it is: the decision is recorded and its next moves are the team's.
        const entry = codeReviewEntry(opening.stages, app.stage);
        if (entry) await this.apps.transition(app.id, entry.key, 'Take-home graded', actor);
        const next = afterCodeReview(opening.stages, entry?.key ?? app.stage);
        if (next) await this.apps.transition(app.id, next.key, undefined, actor);
      }
    }
    return session;
  }

  /** `viewer` (a user id) limits the list to reviews of the openings whose team they are on; null: all. */
  async list(filter: { reviewerId?: string; applicationId?: string; viewer?: string | null }) {
    const q = this.ds.getRepository(ReviewSession).createQueryBuilder('r').orderBy('r.starts_at', 'ASC').take(500);
    if (filter.viewer)
      q.andWhere(`r.application_id IN (SELECT ap.id FROM applications ap WHERE ${teamFilterSql('ap.opening_id', ':viewer')})`, {
        viewer: filter.viewer,
      });
    if (filter.reviewerId) q.andWhere('r.reviewer_id = :rid', { rid: filter.reviewerId });
    if (filter.applicationId) q.andWhere('r.application_id = :aid', { aid: filter.applicationId });
    return q.getMany();
  }

  /**
   * Who may decide a review: its assigned reviewer, the hiring manager of its opening (owner or
   * named on the team), or an admin. Everyone else who can see it gets 403.
   */
  async assertDecider(id: string, me: Pick<Principal, 'id' | 'roles'>): Promise<ReviewSession> {
    const s = await this.get(id);
    if (s.reviewerId === me.id || this.scope.unrestricted(me)) return s;
    const [app]: Array<{ opening_id: string }> = await this.ds.query(`SELECT opening_id FROM applications WHERE id = $1`, [
      s.applicationId,
    ]);
    if (app && (await this.scope.teamRoleOn(me, app.opening_id, ['hiring_manager']))) return s;
    throw forbidden("Only the assigned reviewer or the opening's hiring manager can record the outcome");
  }

  async get(id: string): Promise<ReviewSession> {
    const s = await this.ds.getRepository(ReviewSession).findOneBy({ id });
    if (!s) throw notFound('Review');
    return s;
  }

  /** The review packet: grading result, files, and the focus excerpt (where the style differs most). */
  async packet(id: string) {
    const s = await this.get(id);
    const app = await this.ds.getRepository(Application).findOneByOrFail({ id: s.applicationId });
    const candidate = await this.ds.getRepository(Candidate).findOneByOrFail({ id: app.candidateId });
    const opening = await this.ds.getRepository(Opening).findOneByOrFail({ id: app.openingId });
    const submission = s.submissionId ? await this.readSubmission(s.submissionId) : null;
    const exemption = s.exemptionId ? (await this.ds.query(`SELECT url, reason FROM exemptions WHERE id = $1`, [s.exemptionId]))[0] : null;
    const files = submission?.files ?? [];
    // Styles are compared for JavaScript/TypeScript and Python; otherwise the largest function written.
    const focus: FocusExcerpt | FallbackExcerpt | null = files.length
      ? (findFocusExcerpt(files, { starter: submission?.starterFiles }) ??
        largestChangedFunction(files, { starter: submission?.starterFiles }))
      : null;
    // Anonymous review: no name, e-mail, source or referrer until the review's scorecard is filed.
    const anonymous = await this.isAnonymous(s, opening.id);
    const referrer = !anonymous && candidate.referrerId ? await this.ds.getRepository(User).findOneBy({ id: candidate.referrerId }) : null;
    return {
      ...reviewDto(s),
      candidate: anonymous
        ? { anonymous: true, name: 'Anonymous candidate', email: null, source: null, referrer: null, timezone: candidate.timezone }
        : {
            anonymous: false,
            name: candidate.name,
            email: candidate.email,
            timezone: candidate.timezone,
            source: [SOURCE_NAMES[candidate.sourceKind] ?? candidate.sourceKind, candidate.sourceDetail].filter(Boolean).join(': '),
            referrer: referrer?.name ?? null,
          },
      opening: { id: opening.id, title: opening.title },
      result: submission?.result ?? null,
      /** What the grading run observed (report checks, test ids against the reference run, a scan of the submission): observations, not verdicts. */
      integrityNotes: ((submission?.result as { integrity?: { notes?: unknown[] } } | null)?.integrity?.notes ?? []) as Array<{
        kind: string;
        detail: string;
        where?: string | null;
      }>,
      files,
      publicCode: exemption,
      focus: focus
        ? {
            file: focus.file,
            startLine: focus.startLine,
            endLine: focus.endLine,
            name: focus.name,
            score: focus.score,
            reasons: focus.reasons,
          }
        : null,
    };
  }

  /**
   * One reviewer's reviews for their "My reviews" page: scheduled ones soonest first, then the
   * decided or cancelled ones, latest first.
   */
  async forReviewer(reviewerId: string): Promise<
    Array<{
      id: string;
      startsAt: Date;
      endsAt: Date;
      status: ReviewSession['status'];
      decision: ReviewSession['decision'];
      language: string;
      candidateName: string;
      openingTitle: string;
    }>
  > {
    const rows: Array<{
      id: string;
      startsAt: Date;
      endsAt: Date;
      status: ReviewSession['status'];
      decision: ReviewSession['decision'];
      language: string;
      candidateName: string;
      openingTitle: string;
      openingId: string;
      reviewerId: string;
    }> = await this.ds.query(
      `SELECT r.id, r.starts_at AS "startsAt", r.ends_at AS "endsAt", r.status, r.decision, r.language, c.name AS "candidateName",
              o.title AS "openingTitle", o.id AS "openingId", r.reviewer_id AS "reviewerId"
         FROM review_sessions r
         JOIN applications a ON a.id = r.application_id
         JOIN candidates c ON c.id = a.candidate_id
         JOIN openings o ON o.id = a.opening_id
        WHERE r.reviewer_id = $1
        ORDER BY (r.status = 'scheduled') DESC,
                 CASE WHEN r.status = 'scheduled' THEN r.starts_at END ASC,
                 r.starts_at DESC, r.id
        LIMIT 500`,
      [reviewerId],
    );
    // The list names no candidate the packet would not name (anonymous review).
    return Promise.all(
      rows.map(async ({ openingId, reviewerId: _r, ...r }) =>
        (await this.isAnonymous({ id: r.id, reviewerId } as ReviewSession, openingId)) ? { ...r, candidateName: 'Anonymous candidate' } : r,
      ),
    );
  }

  async addBusy(userId: string, dto: { startsAt: string; endsAt: string; reason?: string }): Promise<BusyBlock> {
    const startsAt = new Date(dto.startsAt),
      endsAt = new Date(dto.endsAt);
    if (!(endsAt > startsAt)) throw badRequest('endsAt must be after startsAt');
    if (endsAt.getTime() - startsAt.getTime() > 60 * 86_400_000) throw badRequest('a busy block may span at most 60 days');
    return this.ds.getRepository(BusyBlock).save({ userId, startsAt, endsAt, reason: dto.reason ?? null, createdAt: this.clock.now() });
  }

  listBusy(userId: string) {
    return this.ds.getRepository(BusyBlock).find({ where: { userId }, order: { startsAt: 'ASC' }, take: 500 });
  }

  /**
   * Everything that makes a person busy in [from, to): their connected calendar, the blocks they
   * typed in (with id and reason, to remove them) and the platform's own sessions, with the state
   * of their calendar (an unreadable one is said, never shown as free time).
   */
  async busyView(userId: string, from: Date, to: Date) {
    if (!(to > from)) throw badRequest('to must be after from');
    if (to.getTime() - from.getTime() > 120 * 86_400_000) throw badRequest('from and to may span at most 120 days');
    const manual: Array<{ id: string; starts_at: Date; ends_at: Date; reason: string | null }> = await this.ds.query(
      `SELECT id, starts_at, ends_at, reason FROM busy_blocks WHERE user_id = $1 AND ends_at > $2 AND starts_at < $3`,
      [userId, from, to],
    );
    const platform: Array<{ starts_at: Date; ends_at: Date; what: string }> = await this.ds.query(
      `SELECT starts_at, ends_at, 'review' AS what FROM review_sessions WHERE reviewer_id = $1 AND status = 'scheduled' AND ends_at > $2 AND starts_at < $3
       UNION ALL
       SELECT starts_at, ends_at, 'interview' FROM interview_sessions WHERE $1 = ANY(interviewer_ids) AND status = 'scheduled' AND ends_at > $2 AND starts_at < $3`,
      [userId, from, to],
    );
    // The platform's own events (its UIDs: write-backs, accepted invitations) are left out when the
    // calendar is read, so each session shows once, as platform time.
    const calendar = await this.calendars.busy(this.ds, [userId], from, to);
    const items = [
      ...calendar.map((b) => ({ startsAt: b.startsAt, endsAt: b.endsAt, source: 'calendar' as const })),
      ...manual.map((b) => ({
        id: b.id,
        startsAt: new Date(b.starts_at),
        endsAt: new Date(b.ends_at),
        source: 'manual' as const,
        reason: b.reason,
      })),
      ...platform.map((b) => ({ startsAt: new Date(b.starts_at), endsAt: new Date(b.ends_at), source: 'platform' as const, what: b.what })),
    ].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    return items;
  }

  async removeBusy(userId: string, id: string): Promise<void> {
    const r = await this.ds.getRepository(BusyBlock).delete({ id, userId });
    if (!r.affected) throw notFound('Busy block');
  }
}

export function reviewDto(s: ReviewSession) {
  return {
    id: s.id,
    reviewerId: s.reviewerId,
    applicationId: s.applicationId,
    submissionId: s.submissionId,
    exemptionId: s.exemptionId,
    language: s.language,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    status: s.status,
    sequence: s.sequence,
    decision: s.decision,
    notes: s.notes,
  };
}
