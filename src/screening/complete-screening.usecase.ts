import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ApplicationException, ErrorCode, badRequest, conflict } from '../common/errors/application.exception';
import { OpeningsService } from '../openings/openings.service';
import { Actor, EventType } from '../timeline/timeline.entity';
import { Application } from '../pipeline/application.entity';
import { ApplicationsService } from '../pipeline/applications.service';
import { nextStage } from '../pipeline/domain/stages';
import { decideTerminal, decideTransition } from '../pipeline/domain/transitions';
import { recordEvent } from '../timeline/timeline.repository';
import { touchLastContact } from '../pipeline/applications.repository';
import { FORM_LIMITS, scoreScreening } from './domain';
import { MAX_SCREENING_TEXT } from './dto/screening.dto';
import { ScreeningChecklist, ScreeningSession, StoredScreeningAnswer } from './screening-session.entity';
import { ScreeningService, screeningRefusal, toDomainForm } from './screening.service';

export interface CompleteScreeningInput {
  answers: Array<{ questionId: string; given?: string | null; override?: boolean | null; note?: string | null }>;
  checklist?: { processExplained?: boolean; compensationDiscussed?: boolean; nextJobAnswer?: string | null };
  outcome?: 'advance' | 'reject';
  candidateMessage?: string;
  /** The version the recruiter read from; a different current version refuses the call (409). */
  formVersion?: number;
}

export const SCREENING_REJECTION_REASON = 'Did not pass the screening';

/** Every length limit, checked before anything is stored (the page posts forms the DTO pipe never sees). */
function checkLimits(input: CompleteScreeningInput): void {
  const problems: Array<{ field: string; errors: string[] }> = [];
  const text = (field: string, v: unknown) => {
    if (v === undefined || v === null) return;
    if (typeof v !== 'string') problems.push({ field, errors: [`${field} must be a string`] });
    else if (v.length > MAX_SCREENING_TEXT)
      problems.push({ field, errors: [`${field} must be at most ${MAX_SCREENING_TEXT} characters (got ${v.length})`] });
  };
  if (!Array.isArray(input.answers)) problems.push({ field: 'answers', errors: ['answers must be an array'] });
  else {
    if (input.answers.length > FORM_LIMITS.maxQuestions)
      problems.push({ field: 'answers', errors: [`answers must have at most ${FORM_LIMITS.maxQuestions} entries`] });
    input.answers.forEach((a, i) => {
      if (typeof a?.questionId !== 'string' || a.questionId === '')
        problems.push({ field: `answers.${i}.questionId`, errors: ['questionId is required'] });
      text(`answers.${i}.given`, a?.given);
      text(`answers.${i}.note`, a?.note);
    });
  }
  text('checklist.nextJobAnswer', input.checklist?.nextJobAnswer);
  text('candidateMessage', input.candidateMessage);
  if (problems.length) {
    throw badRequest(`Invalid fields: ${problems.map((p) => `${p.field} (${p.errors.join('; ')})`).join(', ')}`, { fields: problems });
  }
}

/**
 * Record a screening call: score the answers against the opening's CURRENT form version (pinned
 * on the session), store every answer verbatim with its automatic verdict and any override, and
 * write `screening.completed` on the timeline in the same transaction. Then, when the recruiter
 * decided, advance the application to its next stage or reject it; both send the candidate's
 * message through the outbox (ApplicationsService).
 */
@Injectable()
export class CompleteScreening {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly screening: ScreeningService,
    private readonly apps: ApplicationsService,
    private readonly openings: OpeningsService,
    private readonly clock: Clock,
  ) {}

  async execute(
    applicationId: string,
    input: CompleteScreeningInput,
    actor: Actor & { id: string },
  ): Promise<{ session: ScreeningSession; application: Application }> {
    checkLimits(input);
    const app = await this.apps.get(applicationId);
    const opening = await this.openings.get(app.openingId);
    const form = await this.screening.current(opening.id);
    if (input.formVersion !== undefined && input.formVersion !== form.version) {
      throw conflict(
        `The screening form changed (you read version ${input.formVersion}, the current one is ${form.version}); reload the page`,
        { currentVersion: form.version },
      );
    }
    if (app.status !== 'active') throw conflict(`The application is ${app.status}; screenings apply to active applications`);

    const result = scoreScreening(
      toDomainForm(form),
      input.answers.map((a) => ({
        questionId: a.questionId,
        given: a.given ?? '',
        override: a.override ?? undefined,
        note: a.note ?? undefined,
      })),
    );
    if (!result.ok) throw screeningRefusal(result.errors);

    // Check the decision can be carried out before recording anything.
    const next = nextStage(opening.stages, app.stage);
    if (input.outcome === 'advance') {
      if (!next)
        throw new ApplicationException(
          ErrorCode.Unprocessable,
          `The application is in the last stage "${app.stage}"; there is no next stage to advance to`,
        );
      const d = decideTransition({
        stages: opening.stages,
        currentStage: app.stage,
        status: app.status,
        to: next.key,
        hasPublicCodeExemption: false,
      });
      if (!d.ok) throw conflict(d.reason, { reason: d.code });
    } else if (input.outcome === 'reject') {
      const d = decideTerminal({ status: app.status, action: 'reject', currentStage: app.stage, stages: opening.stages });
      if (!d.ok) throw conflict(d.reason, { reason: d.code });
    }

    const prompts = new Map(form.questions.map((q) => [q.id, q.prompt]));
    const answers: StoredScreeningAnswer[] = result.answers.map((a) => ({
      questionId: a.questionId,
      prompt: prompts.get(a.questionId) ?? '',
      given: a.given,
      automatic: a.automatic,
      override: a.override ?? null,
      note: a.note ?? null,
      final: a.final,
      knockout: a.knockout,
      weight: a.weight,
      matchedAgainst: a.matchedAgainst ?? null,
    }));
    const nextJob = input.checklist?.nextJobAnswer?.trim();
    const checklist: ScreeningChecklist = {
      processExplained: input.checklist?.processExplained === true,
      compensationDiscussed: input.checklist?.compensationDiscussed === true,
      nextJobAnswer: nextJob ? nextJob : null,
    };

    const session = await this.ds.transaction(async (m) => {
      const locked: Array<{ status: string }> = await m.query(`SELECT status FROM applications WHERE id = $1 FOR UPDATE`, [applicationId]);
      if (locked[0]?.status !== 'active')
        throw conflict(`The application is ${locked[0]?.status}; screenings apply to active applications`);
      const now = this.clock.now();
      const saved = await m.save(
        m.create(ScreeningSession, {
          applicationId,
          formId: form.id,
          formVersion: form.version,
          score: result.score,
          passed: result.passed,
          knockoutFailed: result.knockoutFailed,
          failedKnockouts: result.failedKnockouts,
          answers,
          checklist,
          outcome: null,
          createdBy: actor.id,
          createdAt: now,
        }),
      );
      await recordEvent(m, applicationId, EventType.ScreeningCompleted, actor, now, {
        sessionId: saved.id,
        formVersion: form.version,
        score: result.score,
        passed: result.passed,
        knockoutFailed: result.knockoutFailed,
        failedKnockouts: result.failedKnockouts,
        overrides: answers.filter((a) => a.override !== null).length,
        checklist: {
          processExplained: checklist.processExplained,
          compensationDiscussed: checklist.compensationDiscussed,
          nextJobAnswerRecorded: checklist.nextJobAnswer !== null,
        },
        decision: input.outcome ?? null,
      });
      // A call with the candidate is a contact: it restarts the contact SLA clock.
      await touchLastContact(m, applicationId, now);
      return saved;
    });

    let application = await this.apps.get(applicationId);
    if (input.outcome === 'advance') {
      application = await this.apps.transition(
        applicationId,
        next!.key,
        `Screening: ${result.score}% (${result.passed ? 'passed' : 'did not pass'})`,
        actor,
      );
      session.outcome = 'advanced';
    } else if (input.outcome === 'reject') {
      application = await this.apps.terminal(
        applicationId,
        'reject',
        { reason: SCREENING_REJECTION_REASON, candidateMessage: input.candidateMessage?.trim() || undefined },
        actor,
      );
      session.outcome = 'rejected';
    }
    if (session.outcome) await this.ds.getRepository(ScreeningSession).update({ id: session.id }, { outcome: session.outcome });
    return { session, application };
  }
}
