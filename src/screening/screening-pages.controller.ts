import { Body, Controller, Get, Header, Optional, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { CandidatesService } from '../candidates/candidates.service';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { OpeningsService } from '../openings/openings.service';
import { ApplicationsService } from '../pipeline/applications.service';
import { findStage, nextStage } from '../pipeline/domain/stages';
import { candidateMessageContext } from '../pipeline/message-context';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { CompleteScreening, CompleteScreeningInput } from './complete-screening.usecase';
import { FORM_LIMITS } from './domain';
import { ScreeningService, sessionDto } from './screening.service';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The flat fields of the page's form (given_0, override_0, note_0, ...) as the use case's input. */
export function parseScreeningForm(body: Record<string, unknown>): CompleteScreeningInput {
  const answers: CompleteScreeningInput['answers'] = [];
  for (let i = 0; i < FORM_LIMITS.maxQuestions; i++) {
    const questionId = str(body[`questionId_${i}`]);
    if (questionId === undefined) continue;
    const override = str(body[`override_${i}`]);
    answers.push({
      questionId,
      given: str(body[`given_${i}`]) ?? '',
      override: override === 'correct' ? true : override === 'wrong' ? false : undefined,
      note: str(body[`note_${i}`]),
    });
  }
  const outcome = str(body.outcome);
  const version = Number.parseInt(str(body.formVersion) ?? '', 10);
  return {
    answers,
    checklist: {
      processExplained: body.processExplained === 'on',
      compensationDiscussed: body.compensationDiscussed === 'on',
      nextJobAnswer: str(body.nextJobAnswer),
    },
    outcome: outcome === 'advance' || outcome === 'reject' ? outcome : undefined,
    candidateMessage: str(body.candidateMessage),
    formVersion: Number.isFinite(version) ? version : undefined,
  };
}

/**
 * The recruiter's screening call page: the article's first-contact checklist and the question
 * script, one question at a time (public/screening.js; without it every step shows at once).
 * The final submit is a plain form POST (CSRF-checked) that redirects to the result.
 */
@ApiExcludeController()
@Controller('screening')
@Roles(Role.Recruiter, Role.HiringManager)
export class ScreeningPagesController {
  constructor(
    private readonly screening: ScreeningService,
    private readonly complete: CompleteScreening,
    private readonly apps: ApplicationsService,
    private readonly openings: OpeningsService,
    private readonly candidates: CandidatesService,
    private readonly identity: IdentityService,
    // Pages exist only in the API process (WebModule); the worker loads this module without them.
    @Optional() private readonly views?: ViewService,
  ) {}

  private async load(applicationId: string) {
    const application = await this.apps.get(applicationId);
    const [opening, candidate] = await Promise.all([
      this.openings.get(application.openingId),
      this.candidates.get(application.candidateId),
    ]);
    return { application, opening, candidate, stageName: findStage(opening.stages, application.stage)?.name ?? application.stage };
  }

  @Get(':applicationId')
  @Header('content-type', 'text/html; charset=utf-8')
  async page(@Param('applicationId', ParseUUIDPipe) applicationId: string, @Req() req: Request) {
    const { application, opening, candidate, stageName } = await this.load(applicationId);
    const [form, past] = await Promise.all([this.screening.current(opening.id), this.screening.listSessions(applicationId)]);
    const ctx = candidateMessageContext(opening, candidate, application.stage, { name: '', email: '' }, '');
    return this.views!.render('screening', {
      title: `Screening call · ${candidate.name}`,
      ...pageContext(req, this.identity),
      scripts: ['/static/screening.js'],
      application,
      opening,
      candidate,
      stageName,
      active: application.status === 'active',
      nextStage: nextStage(opening.stages, application.stage),
      stages: ctx.stages,
      compensationRange: ctx.compensation.range,
      form: {
        version: form.version,
        passThreshold: form.passThreshold,
        questions: form.questions.map((q, index) => ({ ...q, index, number: index + 1 })),
      },
      totalQuestions: form.questions.length,
      past: past.map(sessionDto),
    });
  }

  @Post(':applicationId')
  async submit(
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const { session } = await this.complete.execute(applicationId, parseScreeningForm(body ?? {}), { kind: 'user', id: me.id });
    res.redirect(303, `/screening/${applicationId}/sessions/${session.id}`);
  }

  @Get(':applicationId/sessions/:sessionId')
  @Header('content-type', 'text/html; charset=utf-8')
  async result(
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @Req() req: Request,
  ) {
    const { application, opening, candidate, stageName } = await this.load(applicationId);
    const session = sessionDto(await this.screening.getSession(applicationId, sessionId));
    const form = await this.screening.formById(session.formId);
    const since = new Date(session.createdAt).getTime();
    const messages = (await this.apps.messages(applicationId)).filter(
      (m) => m.direction === 'outbound' && new Date(m.queuedAt as string).getTime() >= since,
    );
    const prompts = new Map(form.questions.map((q) => [q.id, q]));
    return this.views!.render('screening-result', {
      title: `Screening result · ${candidate.name}`,
      ...pageContext(req, this.identity),
      application,
      opening,
      candidate,
      stageName,
      session: {
        ...session,
        answers: session.answers.map((a, i) => ({
          ...a,
          number: i + 1,
          expected: prompts.get(a.questionId)?.answer ?? '',
          overridden: a.override !== null,
        })),
        failedKnockoutPrompts: session.failedKnockouts.map((id) => prompts.get(id)?.prompt ?? id),
      },
      passThreshold: form.passThreshold,
      messages,
    });
  }
}
