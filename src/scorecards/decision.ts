import { EntityManager } from 'typeorm';
import { notFound } from '../common/errors/application.exception';
import { Decision, defaultTemplate, evaluateDecision, Recommendation, ScorecardTemplate } from './domain';

/** One scorecard somebody owes (or has filed): a person on a session that was not cancelled. */
export interface ExpectedScorecard {
  sessionKind: 'interview' | 'review';
  sessionId: string;
  /** The interview kind, or `code_review`. */
  kind: string;
  authorId: string;
  startsAt: Date;
  endsAt: Date;
}

/** The opening's scorecard settings, or the defaults. Read-only: usable in any transaction. */
export async function templateOf(m: EntityManager, openingId: string): Promise<ScorecardTemplate> {
  const rows: Array<{
    competencies: ScorecardTemplate['competencies'];
    decision_rule: ScorecardTemplate['decisionRule'];
    feedback_due_business_hours: number;
    anonymous_review: boolean;
  }> = await m.query(
    `SELECT competencies, decision_rule, feedback_due_business_hours, anonymous_review FROM scorecard_templates WHERE opening_id = $1`,
    [openingId],
  );
  if (!rows.length) return defaultTemplate();
  const r = rows[0];
  return {
    competencies: r.competencies,
    decisionRule: r.decision_rule,
    feedbackDueBusinessHours: r.feedback_due_business_hours,
    anonymousReview: r.anonymous_review,
  };
}

/** Everyone on the applications' interviews and code reviews that were not cancelled. */
export async function expectedScorecardsOf(
  m: EntityManager,
  applicationIds: string[],
): Promise<Array<ExpectedScorecard & { applicationId: string }>> {
  if (!applicationIds.length) return [];
  const rows: Array<{
    application_id: string;
    session_kind: 'interview' | 'review';
    session_id: string;
    kind: string;
    author_id: string;
    starts_at: Date;
    ends_at: Date;
  }> = await m.query(
    `SELECT s.application_id, 'interview' AS session_kind, s.id AS session_id, s.kind, u.user_id AS author_id, s.starts_at, s.ends_at
       FROM interview_sessions s CROSS JOIN LATERAL unnest(s.interviewer_ids) AS u(user_id)
      WHERE s.application_id = ANY($1::uuid[]) AND s.status = 'scheduled'
     UNION ALL
     SELECT r.application_id, 'review', r.id, 'code_review', r.reviewer_id, r.starts_at, r.ends_at
       FROM review_sessions r WHERE r.application_id = ANY($1::uuid[]) AND r.status <> 'cancelled'
     ORDER BY starts_at, session_id, author_id`,
    [applicationIds],
  );
  return rows.map((r) => ({
    applicationId: r.application_id,
    sessionKind: r.session_kind,
    sessionId: r.session_id,
    kind: r.kind,
    authorId: r.author_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  }));
}

export async function expectedScorecards(m: EntityManager, applicationId: string): Promise<ExpectedScorecard[]> {
  return (await expectedScorecardsOf(m, [applicationId])).map(({ applicationId: _a, ...e }) => e);
}

export interface ApplicationDecision extends Decision {
  applicationId: string;
  openingId: string;
  /** Who still owes a scorecard, and for which session. */
  waitingFor: Array<{ sessionKind: 'interview' | 'review'; sessionId: string; kind: string; authorId: string }>;
}

/**
 * The decision rule of the application's opening, evaluated now on the current scorecards. The
 * offer use case calls this inside its transaction, after locking the application row (filing
 * takes the same lock), so an offer never races a scorecard.
 */
export async function decisionFor(m: EntityManager, applicationId: string): Promise<ApplicationDecision> {
  const [app]: Array<{ opening_id: string }> = await m.query(`SELECT opening_id FROM applications WHERE id = $1`, [applicationId]);
  if (!app) throw notFound('Application');
  return (await decisionsOf(m, app.opening_id, [applicationId]))[0];
}

/** The decisions of several applications of one opening, in three queries (the board). */
export async function decisionsOf(m: EntityManager, openingId: string, applicationIds: string[]): Promise<ApplicationDecision[]> {
  if (!applicationIds.length) return [];
  const template = await templateOf(m, openingId);
  const expected = await expectedScorecardsOf(m, applicationIds);
  const filed: Array<{
    application_id: string;
    session_kind: string;
    session_id: string;
    author_id: string;
    recommendation: Recommendation;
  }> = await m.query(
    `SELECT application_id, session_kind, session_id, author_id, recommendation FROM scorecards WHERE application_id = ANY($1::uuid[])`,
    [applicationIds],
  );
  const has = new Set(filed.map((f) => `${f.session_kind}:${f.session_id}:${f.author_id}`));
  return applicationIds.map((applicationId) => {
    const mine = filed.filter((f) => f.application_id === applicationId);
    const waitingFor = expected.filter(
      (e) => e.applicationId === applicationId && !has.has(`${e.sessionKind}:${e.sessionId}:${e.authorId}`),
    );
    const decision = evaluateDecision({
      rule: template.decisionRule,
      expected: mine.length + waitingFor.length,
      recommendations: mine.map((f) => f.recommendation),
    });
    return {
      ...decision,
      applicationId,
      openingId,
      waitingFor: waitingFor.map(({ sessionKind, sessionId, kind, authorId }) => ({ sessionKind, sessionId, kind, authorId })),
    };
  });
}
