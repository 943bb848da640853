import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from '../communications/outbox.service';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { OnTxHook, TxHooks } from '../common/events/event-bus';
import { badRequest, notFound } from '../common/errors/application.exception';
import { candidateMessageContext } from '../pipeline/message-context';
import '../pipeline/pipeline.events';
import { Informed, SurveyOutcome } from './survey.entity';
import { readSurveyToken, surveyLink } from './survey-token';
import './templates';

/** Groups with fewer answers than this show counts only, never figures (anonymity). */
export const MIN_ANSWERS = 5;
export const INFORMED: Informed[] = ['yes', 'partly', 'no'];
const OUTCOME: Record<string, SurveyOutcome> = { hire: 'hired', reject: 'rejected', withdraw: 'withdrawn' };
const MAX_COMMENT = 2000;

export interface SurveyView {
  applicationId: string;
  candidateName: string;
  timezone: string;
  openingTitle: string;
  outcome: SurveyOutcome;
  score: number | null;
  informed: Informed | null;
  comment: string | null;
  answeredAt: Date | null;
}

export interface SurveyAnswer {
  score: number;
  informed: Informed | null;
  comment: string | null;
}

/** Figures of one group of answers; null figures below MIN_ANSWERS. */
export interface SurveyGroup {
  answers: number;
  enough: boolean;
  nps: number | null;
  promoters: number | null;
  passives: number | null;
  detractors: number | null;
  informed: { yes: number; partly: number; no: number } | null;
}

export interface SurveyReport {
  openingId: string;
  minimumAnswers: number;
  sent: number;
  overall: SurveyGroup;
  byStage: Array<{ stage: string; stageName: string } & SurveyGroup>;
  /** Comments without names, in alphabetical order (not the order they came in); empty below MIN_ANSWERS overall. */
  comments: string[];
}

/** Validates a submitted answer (form or JSON); a 400 naming the field otherwise. */
export function parseAnswer(body: Record<string, unknown> | undefined): SurveyAnswer {
  const b = body ?? {};
  const raw = typeof b.score === 'number' ? String(b.score) : typeof b.score === 'string' ? b.score.trim() : '';
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > 10) {
    throw badRequest('score: choose how likely you are to recommend us, a whole number from 0 to 10', { field: 'score' });
  }
  const informedRaw = typeof b.informed === 'string' ? b.informed.trim() : '';
  if (informedRaw && !INFORMED.includes(informedRaw as Informed)) {
    throw badRequest('informed: answer yes, partly or no (or leave it out)', { field: 'informed' });
  }
  const comment = typeof b.comment === 'string' ? b.comment.trim() : '';
  if (comment.length > MAX_COMMENT) throw badRequest(`comment: at most ${MAX_COMMENT} characters`, { field: 'comment' });
  return { score: Number(raw), informed: (informedRaw || null) as Informed | null, comment: comment || null };
}

function group(rows: Array<{ score: number; informed: Informed | null }>): SurveyGroup {
  const answers = rows.length;
  if (answers < MIN_ANSWERS) {
    return { answers, enough: false, nps: null, promoters: null, passives: null, detractors: null, informed: null };
  }
  const promoters = rows.filter((r) => r.score >= 9).length;
  const detractors = rows.filter((r) => r.score <= 6).length;
  const count = (v: Informed) => rows.filter((r) => r.informed === v).length;
  return {
    answers,
    enough: true,
    nps: Math.round(((promoters - detractors) / answers) * 100),
    promoters,
    passives: answers - promoters - detractors,
    detractors,
    informed: { yes: count('yes'), partly: count('partly'), no: count('no') },
  };
}

/**
 * The candidate experience survey (issue 22). When an application ends (hire, rejection,
 * withdrawal) the candidate is sent, through the outbox, a link to a one-page survey in the
 * portal: how likely they are to recommend applying here (0-10, the NPS question), whether we
 * kept them informed, a comment. One answer per application; answering again replaces it.
 * Reported per opening and per stage where the application ended, with no figures for a group
 * of fewer than five answers, and comments without names.
 */
@Injectable()
export class SurveyService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /** Inside the closing transaction: record the survey and queue its e-mail (once per application; never to an erased person). */
  @OnTxHook('application.closed')
  async onClosed(
    m: EntityManager,
    { application, opening, candidate, action, now }: TxHooks['application.closed'],
  ): Promise<Array<string | null>> {
    if (candidate.anonymizedAt) return [];
    const inserted: unknown[] = await m.query(
      `INSERT INTO candidate_surveys (application_id, candidate_id, opening_id, stage, outcome, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (application_id) DO NOTHING RETURNING application_id`,
      [application.id, candidate.id, opening.id, application.stage, OUTCOME[action], now],
    );
    if (!inserted.length) return [];
    const [recruiter]: Array<{ name: string; email: string }> = await m.query(`SELECT name, email FROM users WHERE id = $1`, [
      opening.recruiterId,
    ]);
    const base = publicUrl(this.env);
    return [
      await this.outbox.queue(m, {
        idempotencyKey: `survey:${application.id}`,
        template: 'experience_survey',
        context: {
          ...candidateMessageContext(opening, candidate, application.stage, recruiter ?? { name: '', email: '' }, base),
          survey: { url: surveyLink(base, application.id, this.env.SESSION_SECRET) },
        },
        to: { address: candidate.email, name: candidate.name },
        applicationId: application.id,
        candidateId: candidate.id,
        openingId: opening.id,
      }),
    ];
  }

  /** The survey behind a link; NotFound for a bad link, an application without a survey, or an erased person. */
  async view(token: string): Promise<SurveyView> {
    const id = readSurveyToken(this.env.SESSION_SECRET, token);
    if (!id) throw notFound('Survey');
    const [r]: Array<{
      application_id: string;
      outcome: SurveyOutcome;
      score: number | null;
      informed: Informed | null;
      comment: string | null;
      answered_at: Date | null;
      name: string;
      timezone: string | null;
      anonymized_at: Date | null;
      title: string;
    }> = await this.ds.query(
      `SELECT s.application_id, s.outcome, s.score, s.informed, s.comment, s.answered_at, c.name, c.timezone, c.anonymized_at, o.title
         FROM candidate_surveys s JOIN candidates c ON c.id = s.candidate_id JOIN openings o ON o.id = s.opening_id
        WHERE s.application_id = $1`,
      [id],
    );
    if (!r || r.anonymized_at) throw notFound('Survey');
    return {
      applicationId: r.application_id,
      candidateName: r.name,
      timezone: r.timezone || 'UTC',
      openingTitle: r.title,
      outcome: r.outcome,
      score: r.score,
      informed: r.informed,
      comment: r.comment,
      answeredAt: r.answered_at,
    };
  }

  /** Records (or replaces) the answer; returns whether it replaced an earlier one. */
  async answer(token: string, body: Record<string, unknown> | undefined): Promise<{ updated: boolean; view: SurveyView }> {
    const before = await this.view(token);
    const a = parseAnswer(body);
    const now = this.clock.now();
    await this.ds.query(
      `UPDATE candidate_surveys SET score = $2, informed = $3, comment = $4, answered_at = coalesce(answered_at, $5), updated_at = $5
        WHERE application_id = $1`,
      [before.applicationId, a.score, a.informed, a.comment, now],
    );
    return { updated: before.answeredAt !== null, view: await this.view(token) };
  }

  /** The opening's answers, overall and per stage where applications ended. */
  async report(openingId: string): Promise<SurveyReport> {
    const [opening]: Array<{ stages: Array<{ key: string; name?: string }> }> = await this.ds.query(
      `SELECT stages FROM openings WHERE id = $1`,
      [openingId],
    );
    if (!opening) throw notFound('Opening');
    const rows: Array<{ stage: string; score: number; informed: Informed | null; comment: string | null }> = await this.ds.query(
      `SELECT stage, score, informed, comment FROM candidate_surveys WHERE opening_id = $1 AND answered_at IS NOT NULL`,
      [openingId],
    );
    const [{ sent }]: Array<{ sent: number }> = await this.ds.query(
      `SELECT count(*)::int AS sent FROM candidate_surveys WHERE opening_id = $1`,
      [openingId],
    );
    const overall = group(rows);
    const order = opening.stages.map((s) => s.key);
    const keys = [...new Set(rows.map((r) => r.stage))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const nameOf = (key: string) => opening.stages.find((s) => s.key === key)?.name ?? key.replace(/_/g, ' ');
    return {
      openingId,
      minimumAnswers: MIN_ANSWERS,
      sent,
      overall,
      byStage: keys.map((k) => ({ stage: k, stageName: nameOf(k), ...group(rows.filter((r) => r.stage === k)) })),
      comments: overall.enough
        ? rows
            .map((r) => r.comment)
            .filter((c): c is string => !!c)
            .sort((a, b) => a.localeCompare(b))
        : [],
    };
  }
}
