import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AuditChangesReported, reportAuditChanges } from '../audit/audit.decorators';
import { AssignmentsService } from '../assessments/assignments.service';
import { InvitationsService } from '../assessments/invitations.service';
import { InviteDto } from '../assessments/dto/assignment.dto';
import { CandidatesService } from '../candidates/candidates.service';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { badRequest, notFound } from '../common/errors/application.exception';
import { TemplateService } from '../communications/template.service';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { AssignBuddyDto, CancelInterviewDto, MakeOfferDto, ProposeLoopDto } from '../interviews/dto/interviews.dto';
import { CancelInterview } from '../interviews/cancel-interview.usecase';
import { kindName } from '../interviews/interview-context';
import { InterviewsService } from '../interviews/interviews.service';
import { MakeOffer } from '../interviews/make-offer.usecase';
import { OnboardingService } from '../interviews/onboarding.service';
import { ScheduleLoop } from '../interviews/schedule-loop.usecase';
import { OpeningsService } from '../openings/openings.service';
import { ApplicationsService } from '../pipeline/applications.service';
import { ExemptionDto, NoteDto, RejectDto, SendMessageDto, TransitionDto, WithdrawDto } from '../pipeline/dto/application.dto';
import { candidateMessageContext } from '../pipeline/message-context';
import { findStage, stageIndex } from '../pipeline/domain/stages';
import { ReviewsService } from '../reviews/reviews.service';
import { Inject } from '@nestjs/common';
import { ApplicationQuestionsService } from '../careers/application-questions.service';
import { ResumesService } from '../careers/resumes.service';
import { TeamScope } from '../identity/team-scope';
import { field, formAction, numberField, validated } from './flash';
import { actorName, describeEvent, fromLocalInput, statusName, toLocalInput } from './format';
import { pageContext } from './page-context';
import { ViewService } from './view.service';

const actorOf = (me: Principal) => ({ kind: 'user' as const, id: me.id });
const SESSION_ROWS = 3;

/**
 * The application page and its forms: stage moves, reject (with the message previewed first),
 * withdraw, hire, the public-code exemption, the take-home invitation, the interview loop (rule
 * violations shown beside the sessions), the offer, onboarding, notes, the message thread and
 * the timeline in words. Every form calls the use case its JSON route calls, with the same DTO.
 */
@ApiExcludeController()
@Controller('dashboard/applications')
@Roles(Role.Recruiter, Role.HiringManager)
export class ApplicationPagesController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly apps: ApplicationsService,
    private readonly openings: OpeningsService,
    private readonly candidates: CandidatesService,
    private readonly templates: TemplateService,
    private readonly assignments: AssignmentsService,
    private readonly invitations: InvitationsService,
    private readonly interviews: InterviewsService,
    private readonly schedule: ScheduleLoop,
    private readonly offers: MakeOffer,
    private readonly onboarding: OnboardingService,
    private readonly reviews: ReviewsService,
    private readonly cancelInterview: CancelInterview,
    @Inject(ENV) private readonly env: Env,
    private readonly questions: ApplicationQuestionsService,
    private readonly resumes: ResumesService,
    private readonly scope: TeamScope,
  ) {}

  private async load(id: string) {
    const application = await this.apps.get(id);
    const [opening, candidate] = await Promise.all([
      this.openings.get(application.openingId),
      this.candidates.get(application.candidateId),
    ]);
    return { application, opening, candidate };
  }

  private page(id: string, anchor = '') {
    return `/dashboard/applications/${id}${anchor}`;
  }

  @Get(':id')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  @Header('content-type', 'text/html; charset=utf-8')
  async show(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() me: Principal,
  ) {
    const ctx = pageContext(req, this.identity, res);
    const { application, opening, candidate } = await this.load(id);
    const staffView = me.roles.some((r) => r === Role.Recruiter || r === Role.HiringManager || r === Role.Admin);
    const [events, messages, staff, invitations, sessions, reviews, offers, plan, assignments, kinds] = await Promise.all([
      this.apps.events(id),
      staffView ? this.apps.messages(id) : Promise.resolve([]),
      this.identity.listUsers(),
      this.invitations.listForApplication(id),
      this.interviews.listForApplication(id),
      this.reviews.list({ applicationId: id }),
      staffView ? this.offers.list(id) : Promise.resolve([]),
      application.status === 'hired' ? this.onboarding.get(id).catch(() => null) : Promise.resolve(null),
      this.assignments.list(),
      this.interviews.kinds(),
    ]);
    const people = Object.fromEntries(staff.map((u) => [u.id, u.name])) as Record<string, string>;
    // Careers: the applicant's answers to the form's questions and their résumé (staff in scope only).
    const [answers, hasResume] = staffView
      ? await Promise.all([
          this.questions.answersOf(id),
          this.resumes.has({ applicationId: id }, { openingIds: await this.scope.openingIds(me) }),
        ])
      : [null, false];
    const stages = opening.stages;
    const i = stageIndex(stages, application.stage);
    const active = application.status === 'active';
    const next = active && i >= 0 ? stages[i + 1] : undefined;
    const previous = active && i > 0 ? stages[i - 1] : undefined;
    const atLast = i === stages.length - 1;
    const zone = me.timezone;
    const values = ctx.flash?.values ?? {};
    const violations = ctx.flash?.form === 'interviews' ? (ctx.flash.violations ?? []) : [];
    const published = (await Promise.all(assignments.map(async (a) => ({ a, v: await this.assignments.latestPublished(a.id) })))).filter(
      (x) => x.v,
    );
    const takeHome = stages.find((s) => s.kind === 'take_home');
    const codeReviewIndex = stages.findIndex((s) => s.kind === 'code_review');
    return this.views.render('application', {
      title: candidate.name,
      ...ctx,
      application,
      opening,
      candidate,
      people,
      staffView,
      answers,
      hasResume,
      canManage: me.roles.some((r) => r === Role.HiringManager || r === Role.Admin),
      stageName: findStage(stages, application.stage)?.name ?? application.stage,
      statusText: statusName(application.status),
      active,
      next,
      previous,
      atLast,
      stageList: stages.map((s, n) => ({ name: s.name, current: n === i, done: n < i })),
      inTakeHome: active && stages[i]?.kind === 'take_home',
      showExemption: active && !!takeHome && (codeReviewIndex < 0 || i < codeReviewIndex),
      assignments: published.map(({ a, v }) => ({ id: a.id, title: a.title, version: v!.version })),
      invitations: invitations.map((inv) => ({ ...inv, title: assignments.find((a) => a.id === inv.assignmentId)?.title ?? 'Take-home' })),
      reviews: reviews.map((r) => ({ ...r, reviewer: people[r.reviewerId] ?? 'an engineer' })),
      sessions: sessions.map((s) => ({
        ...s,
        names: s.interviewers.map((p) => p.name).join(', '),
        cancellable: s.status === 'scheduled' && new Date(s.endsAt).getTime() > Date.now(),
      })),
      kinds: kinds.map((k) => ({ key: k, name: kindName(k) })),
      interviewers: staff.filter((u) => !u.disabledAt).map((u) => ({ id: u.id, name: u.name })),
      sessionRows: Array.from({ length: SESSION_ROWS }, (_, n) => ({
        n,
        number: n + 1,
        kind: values[`kind_${n}`] ?? '',
        starts: values[`starts_${n}`] ?? '',
        ends: values[`ends_${n}`] ?? '',
        interviewer: values[`interviewer_${n}`] ?? '',
        interviewer2: values[`interviewer2_${n}`] ?? '',
        violations: violations.filter((v) => v.sessionIds?.includes(`#${n + 1}`)),
      })),
      loopViolations: violations.filter((v) => !v.sessionIds?.some((s) => /^#\d+$/.test(s) && Number(s.slice(1)) <= SESSION_ROWS)),
      zone,
      suggestedStart: toLocalInput(new Date(Date.now() + 7 * 86_400_000), zone).slice(0, 10) + 'T10:00',
      offers,
      offerDefaults: { currency: opening.compensationCurrency, amount: values.amount ?? '', startDate: values.startDate ?? '' },
      plan: plan && {
        ...plan,
        buddy: plan.buddyId ? (people[plan.buddyId] ?? 'someone no longer here') : null,
        canNameBuddy: me.roles.includes(Role.Admin) || plan.ownerId === me.id,
        buddyOptions: staff
          .filter((u) => !u.disabledAt)
          .map((u) => ({ id: u.id, name: u.name, selected: u.id === (values.buddyId ?? plan.buddyId) })),
        items: plan.items.map((it) => ({ ...it, owner: it.ownerId ? (people[it.ownerId] ?? 'someone') : 'nobody yet' })),
      },
      messages: messages.map((m) =>
        m.direction === 'inbound' ? { ...m, inbound: true, unanswered: !m.answeredAt } : { ...m, failed: m.status === 'failed' },
      ),
      awaitingAnswer: messages.some((m) => m.direction === 'inbound' && !m.answeredAt),
      events: [...events].reverse().map((e) => ({
        ...e,
        text: describeEvent(e, { stages, people, candidateName: candidate.name }),
        who: actorName(e.actor, { people, candidateName: candidate.name }),
      })),
      values,
    });
  }

  @Post(':id/move')
  @AuditChangesReported()
  async move(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await formAction(
      res,
      {
        to: this.page(id),
        back: this.page(id),
        ok: (r: { name: string }) => `Moved to ${r.name}; the candidate is told what happens next`,
      },
      async () => {
        const dto = await validated(TransitionDto, {
          to: field(body, 'to') ?? '',
          ...(field(body, 'note') ? { note: field(body, 'note') } : {}),
        });
        const { app, changes } = await this.apps.transitionWithChanges(id, dto.to, dto.note, actorOf(me));
        reportAuditChanges(req, changes);
        const opening = await this.openings.get(app.openingId);
        return { name: findStage(opening.stages, app.stage)?.name ?? app.stage };
      },
    );
  }

  /** The rejection's confirmation: the reason (kept internal) and the message the candidate will get. */
  @Get(':id/reject')
  @Header('content-type', 'text/html; charset=utf-8')
  async rejectPage(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const ctx = pageContext(req, this.identity, res);
    const { application, opening, candidate } = await this.load(id);
    const recruiter = await this.identity.getUser(opening.recruiterId).catch(() => ({ name: 'The hiring team', email: '' }));
    const values = ctx.flash?.values ?? {};
    const preview = await this.templates.render(
      'rejection',
      {
        ...candidateMessageContext(opening, candidate, application.stage, recruiter, publicUrl(this.env)),
        message: values.candidateMessage || null,
      },
      opening.id,
    );
    return this.views.render('application-reject', {
      title: `Reject ${candidate.name}`,
      ...ctx,
      application,
      opening,
      candidate,
      preview,
      values,
      active: application.status === 'active',
    });
  }

  @Post(':id/reject')
  async reject(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await formAction(
      res,
      { to: this.page(id), back: this.page(id, '/reject'), ok: 'Rejected; the candidate gets a respectful message', values: body },
      async () => {
        const dto = await validated(RejectDto, {
          reason: field(body, 'reason') ?? '',
          ...(field(body, 'candidateMessage') ? { candidateMessage: field(body, 'candidateMessage') } : {}),
        });
        return this.apps.terminal(id, 'reject', { reason: dto.reason, candidateMessage: dto.candidateMessage }, actorOf(me));
      },
    );
  }

  @Post(':id/withdraw')
  async withdraw(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await formAction(
      res,
      { to: this.page(id), back: this.page(id), ok: 'Withdrawn; the candidate gets a confirmation', form: 'withdraw' },
      async () => {
        const dto = await validated(WithdrawDto, field(body, 'reason') ? { reason: field(body, 'reason') } : {});
        return this.apps.terminal(id, 'withdraw', { reason: dto.reason }, actorOf(me));
      },
    );
  }

  @Post(':id/hire')
  async hire(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal, @Res() res: Response) {
    await formAction(res, { to: this.page(id), back: this.page(id), ok: 'Hired; the onboarding plan is ready', form: 'hire' }, () =>
      this.apps.terminal(id, 'hire', {}, actorOf(me)),
    );
  }

  @Post(':id/exemptions')
  async exemption(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await formAction(
      res,
      {
        to: this.page(id),
        back: this.page(id, '#exemption-title'),
        ok: 'Public code accepted instead of the take-home; a code review is being arranged',
        form: 'exemption',
        values: body,
      },
      async () => {
        const dto = await validated(ExemptionDto, {
          kind: 'public_code',
          url: field(body, 'url') ?? '',
          reason: field(body, 'reason') ?? '',
          ...(field(body, 'language') ? { language: field(body, 'language') } : {}),
        });
        return this.apps.addExemption(id, dto, actorOf(me));
      },
    );
  }

  @Post(':id/invitations')
  async invite(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await formAction(
      res,
      {
        to: this.page(id),
        back: this.page(id, '#take-home-title'),
        ok: 'Invited to the take-home; the candidate has their link by e-mail',
        form: 'take-home',
      },
      async () => {
        const dto = await validated(InviteDto, { assignmentId: field(body, 'assignmentId') ?? '' });
        return this.invitations.invite(id, dto.assignmentId, actorOf(me));
      },
    );
  }

  @Post(':id/interviews')
  async interviewsForm(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const sessions: Array<Record<string, unknown>> = [];
    for (let n = 0; n < SESSION_ROWS; n++) {
      const kind = field(body, `kind_${n}`);
      const starts = field(body, `starts_${n}`);
      if (!kind && !starts) continue;
      const interviewerIds = [field(body, `interviewer_${n}`), field(body, `interviewer2_${n}`)].filter((x): x is string => !!x);
      const startsAt = fromLocalInput(starts, me.timezone);
      const endsAt = fromLocalInput(field(body, `ends_${n}`), me.timezone);
      if (!startsAt || !endsAt) {
        sessions.push({ invalid: n + 1 });
        continue;
      }
      sessions.push({ kind: kind ?? '', interviewerIds, startsAt, endsAt });
    }
    await formAction(
      res,
      {
        to: this.page(id, '#interviews-title'),
        back: this.page(id, '#interviews-title'),
        ok: (r: { count: number }) => `${r.count} interview${r.count === 1 ? '' : 's'} scheduled; invitations are on their way`,
        form: 'interviews',
        values: body,
      },
      async () => {
        const bad = sessions.find((s) => s.invalid);
        if (bad) throw badRequest(`Session ${bad.invalid}: give both a start and an end time`);
        if (!sessions.length) throw badRequest('Fill in at least one session: kind, interviewer, start and end');
        const dto = await validated(ProposeLoopDto, { sessions });
        return this.schedule.execute(id, dto.sessions, actorOf(me));
      },
    );
  }

  @Post(':id/offers')
  async offer(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await formAction(
      res,
      {
        to: this.page(id),
        back: this.page(id, '#offer-title'),
        ok: 'Offer made; the candidate has it by e-mail',
        form: 'offer',
        values: body,
      },
      async () => {
        const dto = await validated(MakeOfferDto, {
          amount: numberField(body, 'amount'),
          currency: field(body, 'currency') ?? '',
          ...(field(body, 'startDate') ? { startDate: field(body, 'startDate') } : {}),
          ...(field(body, 'overrideReason') ? { override: { reason: field(body, 'overrideReason') } } : {}),
        });
        return this.offers.execute(id, dto, { ...actorOf(me), isAdmin: me.roles.includes(Role.Admin) });
      },
    );
  }

  @Post(':id/interviews/:interviewId/cancel')
  async cancelInterviewForm(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('interviewId', ParseUUIDPipe) interviewId: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = this.page(id, '#interviews-title');
    const sessions = await this.interviews.listForApplication(id);
    const session = sessions.find((s) => s.id === interviewId);
    if (!session) throw notFound('Interview');
    await formAction(
      res,
      {
        to: back,
        back,
        ok: `${kindName(session.kind)} cancelled: the candidate and the interviewers have been told`,
        form: 'interviews',
        values: body,
      },
      async () => {
        const dto = await validated(CancelInterviewDto, {
          ...(field(body, 'reason') ? { reason: field(body, 'reason') } : {}),
          ...(field(body, 'candidateMessage') ? { candidateMessage: field(body, 'candidateMessage') } : {}),
          ...(field(body, 'sequence') !== undefined ? { sequence: numberField(body, 'sequence') } : {}),
        });
        return this.cancelInterview.execute(interviewId, dto, actorOf(me));
      },
    );
  }

  @Post(':id/onboarding/buddy')
  @Roles(Role.HiringManager)
  async buddy(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = this.page(id, '#onboarding-title');
    await formAction(
      res,
      {
        to: back,
        back,
        ok: "Buddy named: the buddy's onboarding items are theirs now",
        form: 'buddy',
        values: body,
      },
      async () => {
        if (!field(body, 'buddyId')) throw badRequest('Choose who will be the buddy');
        const dto = await validated(AssignBuddyDto, { userId: field(body, 'buddyId') });
        return this.onboarding.assignBuddy(id, dto.userId, me);
      },
    );
  }

  @Post(':id/onboarding/items/:itemId')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  async onboardingItem(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const done = field(body, 'done') !== 'false';
    await formAction(
      res,
      {
        to: this.page(id, '#onboarding-title'),
        back: this.page(id, '#onboarding-title'),
        ok: done ? 'Marked done' : 'Reopened',
        form: 'onboarding',
      },
      () => this.onboarding.setItemDone(id, itemId, done, me),
    );
  }

  @Post(':id/notes')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  async note(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await formAction(
      res,
      {
        to: this.page(id, '#notes-title'),
        back: this.page(id, '#notes-title'),
        ok: 'Note added to the timeline',
        form: 'notes',
        values: body,
      },
      async () => {
        const dto = await validated(NoteDto, { text: field(body, 'text') ?? '' });
        return this.apps.addNote(id, dto.text, actorOf(me));
      },
    );
  }

  @Post(':id/messages')
  async message(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await formAction(
      res,
      {
        to: this.page(id, '#messages-title'),
        back: this.page(id, '#messages-title'),
        ok: 'Message sent to the candidate',
        form: 'messages',
        values: body,
      },
      async () => {
        const dto = await validated(SendMessageDto, {
          text: field(body, 'text') ?? '',
          ...(field(body, 'subject') ? { subject: field(body, 'subject') } : {}),
        });
        return this.apps.sendMessage(id, dto, actorOf(me));
      },
    );
  }
}
