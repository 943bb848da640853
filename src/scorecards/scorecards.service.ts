import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ApplicationException, ErrorCode, badRequest, conflict, forbidden, notFound } from '../common/errors/application.exception';
import { EventType } from '../timeline/timeline.entity';
import { recordEvent } from '../timeline/timeline.repository';
import { decisionFor, decisionsOf, expectedScorecards, templateOf } from './decision';
import {
  CODE_REVIEW,
  checkFiling,
  checkTemplate,
  competenciesFor,
  FilingInput,
  RECOMMENDATION_NAMES,
  RULE_NAMES,
  ScorecardTemplate,
  TemplateInput,
  Viewer,
  visibleScorecards,
} from './domain';
import { TeamScope } from '../identity/team-scope';
import { Scorecard, ScorecardTemplateRow, ScorecardVersion, SessionKind } from './scorecard.entity';

export interface ScorecardViewer {
  id: string;
  isAdmin: boolean;
}

/** A session somebody files a scorecard for: an interview or a code review. */
export interface SessionInfo {
  sessionKind: SessionKind;
  id: string;
  applicationId: string;
  openingId: string;
  /** Interview kind or `code_review`. */
  kind: string;
  participants: string[];
  status: string;
  startsAt: Date;
  endsAt: Date;
}

const KIND_NAMES: Record<string, string> = {
  pairing: 'Pairing',
  system_design: 'System design',
  team_conversation: 'Team conversation',
  cross_team_conversation: 'Cross-team conversation',
  manager_conversation: 'Conversation with the manager',
  code_review: 'Code review',
};
/** An interview kind in plain words (never the internal key). */
export function kindName(kind: string): string {
  return KIND_NAMES[kind] ?? kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/**
 * Scorecards: the opening's competencies and decision rule, filing by the people on a session
 * (amendments keep every version), the no-anchoring read, the decision, the debrief.
 */
@Injectable()
export class ScorecardsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly scope: TeamScope,
  ) {}

  /**
   * Sees every scorecard of the opening's applications: an admin, or a hiring manager on the
   * opening's hiring team (its owner or one named with the team), through the same TeamScope as
   * every other team check.
   */
  private async seesAllOf(openingId: string, me: ScorecardViewer): Promise<boolean> {
    if (me.isAdmin) return true;
    return (await this.scope.rolesOn(me.id, openingId)).includes('hiring_manager');
  }

  now(): Date {
    return this.clock.now();
  }

  get manager(): EntityManager {
    return this.ds.manager;
  }

  async template(openingId: string): Promise<ScorecardTemplate & { openingId: string; ruleName: string }> {
    await this.openingOrFail(this.ds.manager, openingId);
    const t = await templateOf(this.ds.manager, openingId);
    return { openingId, ...t, ruleName: RULE_NAMES[t.decisionRule] };
  }

  async setTemplate(openingId: string, input: TemplateInput, userId: string) {
    await this.openingOrFail(this.ds.manager, openingId);
    const current = await templateOf(this.ds.manager, openingId);
    const check = checkTemplate(input, current);
    if (!check.ok) {
      const details = { rule: check.rule, fields: [{ field: check.field, errors: [check.message] }] };
      throw check.status === 422
        ? new ApplicationException(ErrorCode.Unprocessable, check.message, details)
        : badRequest(check.message, details);
    }
    const t = check.template;
    await this.ds.getRepository(ScorecardTemplateRow).upsert(
      {
        openingId,
        competencies: t.competencies,
        decisionRule: t.decisionRule,
        feedbackDueBusinessHours: t.feedbackDueBusinessHours,
        anonymousReview: t.anonymousReview,
        updatedBy: userId,
        updatedAt: this.clock.now(),
      },
      ['openingId'],
    );
    return { openingId, ...t, ruleName: RULE_NAMES[t.decisionRule] };
  }

  private async openingOrFail(m: EntityManager, openingId: string) {
    const rows: Array<{ id: string; hiring_manager_id: string }> = await m.query(
      `SELECT id, hiring_manager_id FROM openings WHERE id = $1`,
      [openingId],
    );
    if (!rows.length) throw notFound('Opening');
    return rows[0];
  }

  /** The interview or code review, with who sits on it. */
  async session(sessionKind: SessionKind, id: string, m: EntityManager = this.ds.manager): Promise<SessionInfo> {
    const rows: Array<{
      id: string;
      application_id: string;
      opening_id: string;
      kind: string;
      participants: string[];
      status: string;
      starts_at: Date;
      ends_at: Date;
    }> =
      sessionKind === 'interview'
        ? await m.query(
            `SELECT s.id, s.application_id, a.opening_id, s.kind, s.interviewer_ids AS participants, s.status, s.starts_at, s.ends_at
               FROM interview_sessions s JOIN applications a ON a.id = s.application_id WHERE s.id = $1`,
            [id],
          )
        : await m.query(
            `SELECT r.id, r.application_id, a.opening_id, 'code_review' AS kind, ARRAY[r.reviewer_id] AS participants, r.status, r.starts_at, r.ends_at
               FROM review_sessions r JOIN applications a ON a.id = r.application_id WHERE r.id = $1`,
            [id],
          );
    if (!rows.length) throw notFound(sessionKind === 'interview' ? 'Interview' : 'Review');
    const r = rows[0];
    return {
      sessionKind,
      id: r.id,
      applicationId: r.application_id,
      openingId: r.opening_id,
      kind: r.kind,
      participants: r.participants,
      status: r.status,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
    };
  }

  /** What the filing form needs: the session, its competencies with rubrics, and the filer's current scorecard. */
  async form(sessionKind: SessionKind, id: string, me: ScorecardViewer) {
    const s = await this.session(sessionKind, id);
    this.assertOnSession(s, me);
    const template = await templateOf(this.ds.manager, s.openingId);
    const mine = await this.ds.getRepository(Scorecard).findOneBy({ sessionKind, sessionId: id, authorId: me.id });
    const [app]: Array<{ name: string; title: string; status: string }> = await this.ds.query(
      `SELECT c.name, o.title, a.status FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN openings o ON o.id = a.opening_id WHERE a.id = $1`,
      [s.applicationId],
    );
    // The code reviewer of an anonymous review learns the name once their scorecard is in.
    const anonymous = sessionKind === 'review' && template.anonymousReview && !mine;
    return {
      session: s,
      kindName: kindName(s.kind),
      candidateName: anonymous ? 'the anonymous candidate' : app.name,
      openingTitle: app.title,
      competencies: competenciesFor(template, s.kind),
      mine: mine ? scorecardDto(mine) : null,
    };
  }

  private assertOnSession(s: SessionInfo, me: ScorecardViewer) {
    if (!s.participants.includes(me.id)) {
      throw forbidden(
        s.sessionKind === 'interview'
          ? 'Only the interviewers of this interview can file its scorecard'
          : 'Only the reviewer of this code review can file its scorecard',
      );
    }
  }

  /**
   * File (or amend) the caller's scorecard for a session. Under the application's row lock (the
   * offer takes the same lock): refused once the decision is made (an offer, a hire, a rejection).
   */
  async file(sessionKind: SessionKind, sessionId: string, input: FilingInput, me: ScorecardViewer) {
    const result = await this.ds.transaction(async (m) => {
      const s0 = await this.session(sessionKind, sessionId, m);
      this.assertOnSession(s0, me);
      const [app]: Array<{ status: string }> = await m.query(`SELECT status FROM applications WHERE id = $1 FOR UPDATE`, [
        s0.applicationId,
      ]);
      const s = await this.session(sessionKind, sessionId, m);
      if (s.status === 'cancelled')
        throw conflict(`The ${sessionKind === 'interview' ? 'interview' : 'code review'} was cancelled; there is nothing to score`);
      const now = this.clock.now();
      if (s.startsAt > now)
        throw conflict(`The ${sessionKind === 'interview' ? 'interview' : 'code review'} has not started yet; file the scorecard after it`);
      if (app.status !== 'active')
        throw conflict(`The application is ${app.status}: the decision is made and scorecards can no longer change`);
      const [offer]: unknown[] = await m.query(`SELECT 1 FROM offers WHERE application_id = $1 LIMIT 1`, [s.applicationId]);
      if (offer) throw conflict('An offer has been made: the decision is made and scorecards can no longer change');
      const template = await templateOf(m, s.openingId);
      const check = checkFiling(input, competenciesFor(template, s.kind));
      if (!check.ok) throw badRequest(check.message, { fields: [{ field: check.field, errors: [check.message] }] });
      const repo = m.getRepository(Scorecard);
      let card = await repo.findOneBy({ sessionKind, sessionId, authorId: me.id });
      const amended = !!card;
      if (card) {
        card.version += 1;
        Object.assign(card, { ratings: check.ratings, recommendation: check.recommendation, notes: check.notes, updatedAt: now });
      } else {
        card = repo.create({
          applicationId: s.applicationId,
          sessionKind,
          sessionId,
          authorId: me.id,
          ratings: check.ratings,
          recommendation: check.recommendation,
          notes: check.notes,
          version: 1,
          filedAt: now,
          updatedAt: now,
        });
      }
      card = await repo.save(card);
      await m.getRepository(ScorecardVersion).insert({
        scorecardId: card.id,
        version: card.version,
        ratings: card.ratings,
        recommendation: card.recommendation,
        notes: card.notes,
        filedAt: now,
      });
      // The timeline says who filed for which session, never the recommendation (no anchoring through the timeline).
      await recordEvent(
        m,
        s.applicationId,
        amended ? EventType.ScorecardAmended : EventType.ScorecardFiled,
        { kind: 'user', id: me.id },
        now,
        {
          scorecardId: card.id,
          sessionKind,
          sessionId,
          kind: s.kind,
          version: card.version,
        },
      );
      return { card, amended };
    });
    return { ...scorecardDto(result.card), amended: result.amended };
  }

  /** No anchoring: see domain/visibility.ts. */
  async forApplication(applicationId: string, me: ScorecardViewer) {
    const [app]: Array<{ opening_id: string; hiring_manager_id: string }> = await this.ds.query(
      `SELECT a.opening_id, o.hiring_manager_id FROM applications a JOIN openings o ON o.id = a.opening_id WHERE a.id = $1`,
      [applicationId],
    );
    if (!app) throw notFound('Application');
    const viewer: Viewer = { id: me.id, isAdmin: me.isAdmin, isHiringManagerOfOpening: await this.seesAllOf(app.opening_id, me) };
    const all = await this.ds.getRepository(Scorecard).find({ where: { applicationId }, order: { filedAt: 'ASC' } });
    const { cards, hidden, seesAll } = visibleScorecards(viewer, all);
    const history = cards.length
      ? await this.ds
          .getRepository(ScorecardVersion)
          .createQueryBuilder('v')
          .where('v.scorecard_id IN (:...ids)', { ids: cards.map((c) => c.id) })
          .orderBy('v.version', 'ASC')
          .getMany()
      : [];
    const names = await this.names(cards.map((c) => c.authorId));
    const sessions = new Map(
      (await expectedScorecards(this.ds.manager, applicationId)).map((e) => [`${e.sessionKind}:${e.sessionId}`, e.kind]),
    );
    return {
      applicationId,
      seesAll,
      hiddenCount: hidden,
      scorecards: cards.map((c) => ({
        ...scorecardDto(c),
        authorName: names.get(c.authorId) ?? null,
        kind: sessions.get(`${c.sessionKind}:${c.sessionId}`) ?? null,
        history: history
          .filter((v) => v.scorecardId === c.id)
          .map((v) => ({ version: v.version, ratings: v.ratings, recommendation: v.recommendation, notes: v.notes, filedAt: v.filedAt })),
      })),
    };
  }

  /**
   * The decision as this viewer may see it: someone who still owes a scorecard for the application
   * (and is neither its hiring manager nor an admin) gets no counts and no reason, so the decision
   * cannot anchor them either.
   */
  async decision(applicationId: string, me: ScorecardViewer) {
    const d = await decisionFor(this.ds.manager, applicationId);
    const owes = d.waitingFor.some((x) => x.authorId === me.id);
    if (!owes || (await this.seesAllOf(d.openingId, me))) return { ...d, redacted: false };
    return {
      ...d,
      counts: null,
      reason: "File your scorecard first: until then the team's feedback stays hidden from you.",
      redacted: true,
    };
  }

  /** Decisions of the active applications of an opening (for the board). */
  async decisionsForOpening(openingId: string) {
    const apps: Array<{ id: string; name: string; stage: string }> = await this.ds.query(
      `SELECT a.id, c.name, a.stage FROM applications a JOIN candidates c ON c.id = a.candidate_id
        WHERE a.opening_id = $1 AND a.status = 'active'
          AND (EXISTS (SELECT 1 FROM interview_sessions s WHERE s.application_id = a.id AND s.status = 'scheduled')
               OR EXISTS (SELECT 1 FROM review_sessions r WHERE r.application_id = a.id AND r.status <> 'cancelled'))
        ORDER BY c.name, a.id LIMIT 200`,
      [openingId],
    );
    const decisions = await decisionsOf(
      this.ds.manager,
      openingId,
      apps.map((a) => a.id),
    );
    return apps.map((a, i) => ({ applicationId: a.id, candidateName: a.name, decision: decisions[i] }));
  }

  /** Interviews and reviews the user sat on for this application, with whether they filed. */
  async sessionsOf(applicationId: string, userId: string) {
    const expected = (await expectedScorecards(this.ds.manager, applicationId)).filter((e) => e.authorId === userId);
    const filed = new Set(
      (await this.ds.getRepository(Scorecard).findBy({ applicationId, authorId: userId })).map((c) => `${c.sessionKind}:${c.sessionId}`),
    );
    return expected.map((e) => ({ ...e, kindName: kindName(e.kind), filed: filed.has(`${e.sessionKind}:${e.sessionId}`) }));
  }

  /**
   * The hiring manager's debrief: every scorecard side by side per competency, with the take-home
   * result and the code review. The hiring manager of the opening and admins only.
   */
  async debrief(applicationId: string, me: ScorecardViewer) {
    const [app]: Array<{
      id: string;
      opening_id: string;
      hiring_manager_id: string;
      title: string;
      name: string;
      stage: string;
      status: string;
    }> = await this.ds.query(
      `SELECT a.id, a.opening_id, o.hiring_manager_id, o.title, c.name, a.stage, a.status
         FROM applications a JOIN openings o ON o.id = a.opening_id JOIN candidates c ON c.id = a.candidate_id WHERE a.id = $1`,
      [applicationId],
    );
    if (!app) throw notFound('Application');
    if (!(await this.seesAllOf(app.opening_id, me))) throw forbidden('The debrief is for the hiring manager of this opening');
    const template = await templateOf(this.ds.manager, app.opening_id);
    const cards = await this.ds.getRepository(Scorecard).find({ where: { applicationId }, order: { filedAt: 'ASC' } });
    const names = await this.names(cards.map((c) => c.authorId));
    const kinds = new Map(
      (await expectedScorecards(this.ds.manager, applicationId)).map((e) => [`${e.sessionKind}:${e.sessionId}`, e.kind]),
    );
    const columns = cards.map((c) => ({
      id: c.id,
      authorName: names.get(c.authorId) ?? 'Someone',
      session: kindName(kinds.get(`${c.sessionKind}:${c.sessionId}`) ?? (c.sessionKind === 'review' ? CODE_REVIEW : 'interview')),
      recommendation: c.recommendation,
      recommendationName: RECOMMENDATION_NAMES[c.recommendation],
      notes: c.notes,
      version: c.version,
      filedAt: c.filedAt,
    }));
    const rows = template.competencies.map((comp) => ({
      key: comp.key,
      name: comp.name,
      scores: cards.map((c) => {
        const score = c.ratings.find((r) => r.competency === comp.key)?.score ?? null;
        return { score, meaning: score ? comp.rubric[score - 1] : null };
      }),
    }));
    const [takeHome]: Array<{ status: string; result: { passed?: number; total?: number; status?: string } | null; submitted_at: Date }> =
      await this.ds
        .query(
          `SELECT status, result, created_at AS submitted_at FROM submissions WHERE application_id = $1 ORDER BY created_at DESC LIMIT 1`,
          [applicationId],
        )
        .catch(() => []);
    const reviews: Array<{ id: string; decision: string | null; notes: string | null; reviewer: string; status: string }> =
      await this.ds.query(
        `SELECT r.id, r.decision, r.notes, u.name AS reviewer, r.status FROM review_sessions r JOIN users u ON u.id = r.reviewer_id
        WHERE r.application_id = $1 AND r.status <> 'cancelled' ORDER BY r.starts_at`,
        [applicationId],
      );
    return {
      application: { id: app.id, candidateName: app.name, openingTitle: app.title, stage: app.stage, status: app.status },
      columns,
      rows,
      takeHome: takeHome
        ? {
            status: takeHome.status,
            passed: takeHome.result?.passed ?? null,
            total: takeHome.result?.total ?? null,
            resultStatus: takeHome.result?.status ?? null,
          }
        : null,
      reviews,
      decision: await decisionFor(this.ds.manager, applicationId),
    };
  }

  async names(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.ds.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [
      [...new Set(ids)],
    ]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * The scorecards a person still owes: sessions they sit on that have started, not cancelled, on
   * active applications without an offer, with no scorecard of theirs. Soonest ended first.
   */
  async owedBy(userId: string, now: Date = this.clock.now()) {
    const rows: Array<{
      session_kind: SessionKind;
      session_id: string;
      kind: string;
      ends_at: Date;
      starts_at: Date;
      application_id: string;
      opening_id: string;
      candidate_name: string;
      title: string;
      anonymous: boolean;
      due_hours: number;
      holidays: string[];
    }> = await this.ds.query(
      `WITH mine AS (
         SELECT 'interview'::text AS session_kind, s.id AS session_id, s.kind, s.starts_at, s.ends_at, s.application_id
           FROM interview_sessions s WHERE $1 = ANY(s.interviewer_ids) AND s.status = 'scheduled' AND s.starts_at <= $2
         UNION ALL
         SELECT 'review', r.id, 'code_review', r.starts_at, r.ends_at, r.application_id
           FROM review_sessions r WHERE r.reviewer_id = $1 AND r.status <> 'cancelled' AND r.starts_at <= $2
       )
       SELECT e.*, a.opening_id, c.name AS candidate_name, o.title, o.holidays,
              (e.session_kind = 'review' AND coalesce(t.anonymous_review, false)) AS anonymous, coalesce(t.feedback_due_business_hours, 24) AS due_hours
         FROM mine e
         JOIN applications a ON a.id = e.application_id AND a.status = 'active'
         JOIN openings o ON o.id = a.opening_id JOIN candidates c ON c.id = a.candidate_id
         LEFT JOIN scorecard_templates t ON t.opening_id = a.opening_id
        WHERE NOT EXISTS (SELECT 1 FROM scorecards sc WHERE sc.session_kind = e.session_kind AND sc.session_id = e.session_id AND sc.author_id = $1)
          AND NOT EXISTS (SELECT 1 FROM offers f WHERE f.application_id = e.application_id)
        ORDER BY e.ends_at, e.session_id LIMIT 200`,
      [userId, now],
    );
    return rows.map((r) => ({
      sessionKind: r.session_kind,
      sessionId: r.session_id,
      kind: r.kind,
      kindName: kindName(r.kind),
      applicationId: r.application_id,
      candidateName: r.anonymous ? 'Anonymous candidate' : r.candidate_name,
      openingTitle: r.title,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      dueBusinessHours: r.due_hours,
      holidays: r.holidays ?? [],
      formUrl: `/${r.session_kind === 'interview' ? 'interviews' : 'reviews'}/${r.session_id}/scorecard`,
    }));
  }

  /** Has the review's scorecard been filed by its reviewer? (The anonymous packet's condition.) */
  async reviewScorecardFiled(reviewId: string, reviewerId: string): Promise<boolean> {
    return (await this.ds.getRepository(Scorecard).countBy({ sessionKind: 'review', sessionId: reviewId, authorId: reviewerId })) > 0;
  }
}

export function scorecardDto(c: Scorecard) {
  return {
    id: c.id,
    applicationId: c.applicationId,
    sessionKind: c.sessionKind,
    sessionId: c.sessionId,
    authorId: c.authorId,
    ratings: c.ratings,
    recommendation: c.recommendation,
    notes: c.notes,
    version: c.version,
    filedAt: c.filedAt,
    updatedAt: c.updatedAt,
  };
}
