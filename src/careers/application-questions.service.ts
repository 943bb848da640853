import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationException, ErrorCode, badRequest } from '../common/errors/application.exception';
import {
  DEFAULT_PASS_THRESHOLD,
  hasLintErrors,
  LintIssue,
  lintForm,
  scoreScreening,
  ScreeningForm,
  validateForm,
} from '../screening/domain';

/** At most this many questions on the public form (the screening engine allows 50 for a call). */
export const MAX_APPLICATION_QUESTIONS = 20;
export const MAX_ANSWER_CHARS = 500;

export interface ApplicationQuestionsView {
  passThreshold: number;
  questions: ScreeningForm['questions'];
  lint: LintIssue[];
}

export interface StoredAnswers {
  score: number | null;
  passed: boolean | null;
  knockoutFailed: boolean;
  answers: Array<{ questionId: string; prompt: string; given: string; matched: boolean; knockout: boolean }>;
}

/**
 * Questions an opening asks on its public application form, configured by staff and scored with
 * the screening engine (exact answers with accepted variants and typo allowance, knock-outs,
 * weights, a pass threshold) the moment the application arrives. An opening without questions
 * asks none. Answers are kept per application with the verdict; nobody is rejected automatically:
 * the application page shows a missed knock-out so the recruiter decides.
 */
@Injectable()
export class ApplicationQuestionsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async get(openingId: string): Promise<ApplicationQuestionsView> {
    const [row] = await this.ds.query(`SELECT form FROM application_questions WHERE opening_id = $1`, [openingId]);
    const form: ScreeningForm = row?.form ?? { passThreshold: DEFAULT_PASS_THRESHOLD, questions: [] };
    return { ...form, lint: form.questions.length ? lintForm(form.questions) : [] };
  }

  /**
   * Replaces the opening's questions (an empty list removes them). Structural problems and lint
   * errors (an empty prompt, no answer) are a 400 naming the question; warnings are returned.
   */
  async save(
    openingId: string,
    input: { passThreshold?: unknown; questions?: unknown },
    userId: string,
  ): Promise<ApplicationQuestionsView> {
    const questions = Array.isArray(input?.questions) ? input.questions : undefined;
    if (!questions) throw badRequest('questions: a list is required (empty to ask nothing)');
    if (questions.length > MAX_APPLICATION_QUESTIONS)
      throw badRequest(`questions: at most ${MAX_APPLICATION_QUESTIONS} on the application form`);
    if (!questions.length) {
      await this.ds.query(`DELETE FROM application_questions WHERE opening_id = $1`, [openingId]);
      return { passThreshold: DEFAULT_PASS_THRESHOLD, questions: [], lint: [] };
    }
    const v = validateForm({ passThreshold: input.passThreshold ?? DEFAULT_PASS_THRESHOLD, questions });
    if (!v.ok)
      throw new ApplicationException(ErrorCode.ValidationFailed, v.errors.map((e) => `${humanPath(e.path)}: ${e.message}`).join('; '), {
        fields: v.errors,
      });
    const lint = lintForm(v.form.questions);
    if (hasLintErrors(lint))
      throw new ApplicationException(
        ErrorCode.ValidationFailed,
        lint
          .filter((l) => l.severity === 'error')
          .map((l) => l.message)
          .join('; '),
        { lint },
      );
    const used = new Set<string>();
    const form: ScreeningForm = {
      passThreshold: v.form.passThreshold,
      questions: v.form.questions.map((q, i) => {
        let id = (q.id ?? '').trim().slice(0, 60) || `q${i + 1}`;
        while (used.has(id)) id = `${id}-${i + 1}`;
        used.add(id);
        return {
          id,
          prompt: q.prompt.trim(),
          answer: q.answer.trim(),
          acceptedAnswers: q.acceptedAnswers.map((a) => a.trim()).filter(Boolean),
          knockout: q.knockout,
          weight: q.weight,
        };
      }),
    };
    await this.ds.query(
      `INSERT INTO application_questions (opening_id, form, updated_by, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (opening_id) DO UPDATE SET form = EXCLUDED.form, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [openingId, JSON.stringify(form), userId],
    );
    return { ...form, lint };
  }

  /** What the public form shows: the prompts only (never the expected answers). */
  async publicQuestions(openingId: string): Promise<Array<{ index: number; id: string; prompt: string }>> {
    const form = await this.get(openingId);
    return form.questions.map((q, index) => ({ index, id: q.id, prompt: q.prompt }));
  }

  /**
   * Checks an applicant's answers before anything is written: every question answered (at most
   * 500 characters), no answer to a question the opening does not ask. Returns the scored result
   * to store, or null when the opening asks nothing.
   */
  async check(openingId: string, given: Array<{ questionId: string; answer: string }>): Promise<StoredAnswers | null> {
    const form = await this.get(openingId);
    if (!form.questions.length) return null;
    const byId = new Map<string, string>();
    const errors: Array<{ field: string; message: string }> = [];
    for (const g of given) {
      if (!form.questions.some((q) => q.id === g.questionId))
        errors.push({ field: 'answers', message: `answers: "${String(g.questionId).slice(0, 60)}" is not a question of this job` });
      else byId.set(g.questionId, String(g.answer ?? '').trim());
    }
    form.questions.forEach((q, i) => {
      const a = byId.get(q.id) ?? '';
      if (!a) errors.push({ field: `answer_${i}`, message: `answers: please answer “${q.prompt}”` });
      else if (a.length > MAX_ANSWER_CHARS)
        errors.push({ field: `answer_${i}`, message: `answers: at most ${MAX_ANSWER_CHARS} characters for “${q.prompt}”` });
    });
    if (errors.length)
      throw new ApplicationException(ErrorCode.ValidationFailed, errors.map((e) => e.message).join('; '), { fields: errors });
    const scored = scoreScreening(
      form,
      form.questions.map((q) => ({ questionId: q.id, given: byId.get(q.id)! })),
    );
    if (!scored.ok) throw badRequest(`answers: ${scored.errors.map((e) => e.message).join('; ')}`);
    return {
      score: scored.score,
      passed: scored.passed,
      knockoutFailed: scored.knockoutFailed,
      answers: scored.answers.map((a) => ({
        questionId: a.questionId,
        prompt: form.questions.find((q) => q.id === a.questionId)!.prompt,
        given: a.given,
        matched: a.final,
        knockout: a.knockout,
      })),
    };
  }

  async store(m: EntityManager, applicationId: string, a: StoredAnswers): Promise<void> {
    await m.query(
      `INSERT INTO application_answers (application_id, answers, score, passed, knockout_failed) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (application_id) DO NOTHING`,
      [applicationId, JSON.stringify(a.answers), a.score, a.passed, a.knockoutFailed],
    );
  }

  /** An application's answers with their verdicts, or null when none were asked. */
  async answersOf(applicationId: string): Promise<StoredAnswers | null> {
    const [row] = await this.ds.query(`SELECT answers, score, passed, knockout_failed FROM application_answers WHERE application_id = $1`, [
      applicationId,
    ]);
    if (!row || !Array.isArray(row.answers)) return null;
    return {
      score: row.score === null ? null : Number(row.score),
      passed: row.passed,
      knockoutFailed: row.knockout_failed,
      answers: row.answers,
    };
  }
}

function humanPath(path: string): string {
  return path.replace(/^questions\[(\d+)\]\.?/, (_m, n) => `question ${Number(n) + 1} `).trim() || path;
}
