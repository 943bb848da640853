import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { AppEvents, OnEvent } from '../common/events/event-bus';
import '../openings/openings.events';
import { ApplicationException, ErrorCode, badRequest, notFound } from '../common/errors/application.exception';
import { OpeningsService } from '../openings/openings.service';
import { ApplicationsService } from '../pipeline/applications.service';
import {
  LintIssue,
  ScreeningAnswerInput,
  ScreeningError,
  ScreeningForm,
  ScreeningQuestion,
  ScreeningResult,
  defaultScreeningForm,
  hasLintErrors,
  lintForm,
  matchAnswer,
  scoreScreening,
  validateForm,
} from './domain';
import { ScreeningFormVersion } from './screening-form.entity';
import { ScreeningSession } from './screening-session.entity';

const QUESTION_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/** Keep an author's id when it is a usable slug and unique in the form; number the rest q1, q2, ... */
export function assignQuestionIds<T extends { id?: string }>(questions: readonly T[]): Array<T & { id: string }> {
  const taken = new Set<string>();
  const kept = questions.map((q) => {
    const id = typeof q.id === 'string' ? q.id.trim() : '';
    if (id && QUESTION_ID.test(id) && !taken.has(id)) {
      taken.add(id);
      return id;
    }
    return undefined;
  });
  return questions.map((q, i) => {
    let id = kept[i];
    if (!id) {
      id = `q${i + 1}`;
      for (let n = 2; taken.has(id); n++) id = `q${i + 1}-${n}`;
      taken.add(id);
    }
    return { ...q, id };
  });
}

export function formDto(f: ScreeningFormVersion) {
  return {
    id: f.id,
    openingId: f.openingId,
    version: f.version,
    passThreshold: f.passThreshold,
    questions: f.questions.map((q) => ({
      id: q.id,
      prompt: q.prompt,
      answer: q.answer,
      acceptedAnswers: q.acceptedAnswers,
      knockout: q.knockout,
      weight: q.weight,
    })),
    lint: f.lint.map((l) => ({ questionIndex: l.questionIndex, severity: l.severity, message: l.message, rule: l.rule })),
    createdBy: f.createdBy,
    createdAt: f.createdAt,
  };
}

export function sessionDto(s: ScreeningSession) {
  return {
    id: s.id,
    applicationId: s.applicationId,
    formId: s.formId,
    formVersion: s.formVersion,
    score: s.score,
    passed: s.passed,
    knockoutFailed: s.knockoutFailed,
    failedKnockouts: s.failedKnockouts,
    answers: s.answers.map((a) => ({
      questionId: a.questionId,
      prompt: a.prompt,
      given: a.given,
      matched: a.final,
      automatic: a.automatic,
      override: a.override,
      note: a.note,
      knockout: a.knockout,
      weight: a.weight,
      matchedAgainst: a.matchedAgainst,
    })),
    checklist: s.checklist,
    outcome: s.outcome,
    createdBy: s.createdBy,
    createdAt: s.createdAt,
  };
}

export function previewDto(r: ScreeningResult) {
  return {
    score: r.score,
    passed: r.passed,
    knockoutFailed: r.knockoutFailed,
    failedKnockouts: r.failedKnockouts,
    answers: r.answers.map((a) => ({
      questionId: a.questionId,
      given: a.given,
      matched: a.matched,
      automatic: a.automatic,
      override: a.override ?? null,
      note: a.note ?? null,
      matchedAgainst: a.matchedAgainst ?? null,
    })),
  };
}

/** 400 naming each offending question (an override without a note, an unknown or repeated question). */
export function screeningRefusal(errors: ScreeningError[]): ApplicationException {
  return badRequest(`The screening was not recorded: ${errors.map((e) => e.message).join('; ')}`, {
    fields: errors.map((e) => ({
      field: `answers[questionId=${e.questionId}]`,
      questionId: e.questionId,
      code: e.code,
      errors: [e.message],
    })),
  });
}

export const toDomainForm = (f: ScreeningFormVersion): ScreeningForm => ({ passThreshold: f.passThreshold, questions: f.questions });

/**
 * Screening forms (a versioned question bank per opening: every save is a new version, linted on
 * the way in) and reads of past sessions. Recording a session is CompleteScreening's job.
 */
@Injectable()
export class ScreeningService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectRepository(ScreeningFormVersion) private readonly forms: Repository<ScreeningFormVersion>,
    @InjectRepository(ScreeningSession) private readonly sessions: Repository<ScreeningSession>,
    private readonly openings: OpeningsService,
    private readonly apps: ApplicationsService,
    private readonly clock: Clock,
  ) {}

  /** Every new opening starts with the default question bank as version 1. */
  @OnEvent('opening.created')
  async onOpeningCreated({ opening }: AppEvents['opening.created']): Promise<void> {
    await this.seedDefault(opening.id);
  }

  /** Version 1 = the default bank; a no-op when the opening already has a form. */
  async seedDefault(openingId: string): Promise<void> {
    const form = defaultScreeningForm();
    await this.ds.query(
      `INSERT INTO screening_forms (opening_id, version, pass_threshold, questions, lint, created_by, created_at)
       SELECT $1, 1, $2, $3, $4, NULL, $5 WHERE NOT EXISTS (SELECT 1 FROM screening_forms WHERE opening_id = $1)
       ON CONFLICT (opening_id, version) DO NOTHING`,
      [openingId, form.passThreshold, JSON.stringify(form.questions), JSON.stringify(lintForm(form.questions)), this.clock.now()],
    );
  }

  /** The opening's current (latest) form; an opening from before screening existed gets the default bank. */
  async current(openingId: string): Promise<ScreeningFormVersion> {
    await this.openings.get(openingId);
    const latest = () => this.forms.findOne({ where: { openingId }, order: { version: 'DESC' } });
    let f = await latest();
    if (!f) {
      await this.seedDefault(openingId);
      f = await latest();
    }
    return f!;
  }

  async version(openingId: string, version: number): Promise<ScreeningFormVersion> {
    const f = await this.forms.findOne({ where: { openingId, version } });
    if (!f) throw notFound(`Screening form version ${version} of this opening`);
    return f;
  }

  async formById(id: string): Promise<ScreeningFormVersion> {
    return this.forms.findOneOrFail({ where: { id } });
  }

  /**
   * Save a new version: structural validation (400 naming the fields), then lint. Errors refuse
   * the save (422 with the findings); warnings are saved and returned with the form.
   */
  async save(openingId: string, input: unknown, actorId: string): Promise<ScreeningFormVersion> {
    await this.openings.get(openingId);
    const v = validateForm(input);
    if (!v.ok) {
      throw badRequest(`Invalid fields: ${v.errors.map((e) => `${e.path} (${e.message})`).join(', ')}`, {
        fields: v.errors.map((e) => ({ field: e.path, errors: [e.message] })),
      });
    }
    const questions: ScreeningQuestion[] = assignQuestionIds(v.form.questions).map((q) => ({
      id: q.id,
      prompt: q.prompt.trim(),
      answer: q.answer.trim(),
      acceptedAnswers: q.acceptedAnswers.map((a) => a.trim()),
      knockout: q.knockout,
      weight: q.weight,
    }));
    const lint: LintIssue[] = lintForm(questions);
    if (hasLintErrors(lint)) {
      const errors = lint.filter((l) => l.severity === 'error');
      throw new ApplicationException(
        ErrorCode.Unprocessable,
        `The screening form was not saved: ${errors.map((e) => e.message).join('; ')}`,
        { lint },
      );
    }
    return this.ds.transaction(async (m) => {
      // One writer per opening at a time, so versions are consecutive.
      await m.query(`SELECT id FROM openings WHERE id = $1 FOR UPDATE`, [openingId]);
      const [{ max }] = await m.query(`SELECT coalesce(max(version), 0)::int AS max FROM screening_forms WHERE opening_id = $1`, [
        openingId,
      ]);
      const saved = m.create(ScreeningFormVersion, {
        openingId,
        version: Number(max) + 1,
        passThreshold: v.form.passThreshold,
        questions,
        lint,
        createdBy: actorId,
        createdAt: this.clock.now(),
      });
      return m.save(saved);
    });
  }

  /** The one matching function, for the page's live verdict. */
  async match(openingId: string, formVersion: number, questionId: string, given: string) {
    const form = await this.version(openingId, formVersion);
    const q = form.questions.find((x) => x.id === questionId);
    if (!q)
      throw badRequest(`question "${questionId}" is not part of version ${formVersion} of this screening form`, {
        fields: [{ field: 'questionId', errors: ['unknown question'] }],
      });
    const m = matchAnswer(given, q.answer, q.acceptedAnswers);
    return { questionId, matched: m.matched, matchedAgainst: m.matchedAgainst ?? null };
  }

  /** Score without recording anything (the page's summary before the recruiter decides). */
  async preview(openingId: string, formVersion: number, answers: ScreeningAnswerInput[]) {
    const form = await this.version(openingId, formVersion);
    const r = scoreScreening(toDomainForm(form), answers);
    if (!r.ok) throw screeningRefusal(r.errors);
    return previewDto(r);
  }

  async listSessions(applicationId: string): Promise<ScreeningSession[]> {
    await this.apps.get(applicationId);
    return this.sessions.find({ where: { applicationId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  async getSession(applicationId: string, sessionId: string): Promise<ScreeningSession> {
    const s = await this.sessions.findOne({ where: { id: sessionId, applicationId } });
    if (!s) throw notFound('Screening session');
    return s;
  }
}
