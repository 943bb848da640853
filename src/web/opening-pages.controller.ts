import { Body, Controller, Get, Header, Param, ParseIntPipe, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AssignmentsService } from '../assessments/assignments.service';
import { TemplateService } from '../communications/template.service';
import { TEMPLATES } from '../communications/template-registry';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { TeamScope } from '../identity/team-scope';
import { CreateOpeningDto, TemplateOverrideDto, UpdateOpeningDto } from '../openings/dto/opening.dto';
import { OpeningsService } from '../openings/openings.service';
import { ScreeningService } from '../screening/screening.service';
import { field, formAction, numberField, validated } from './flash';
import { pageContext } from './page-context';
import { ViewService } from './view.service';

const actorOf = (me: Principal) => ({ kind: 'user' as const, id: me.id });
const MAX_FORM_QUESTIONS = 50;

/** The screening form's flat fields (prompt_0, answer_0, accepted_0, knockout_0, weight_0, …) as the JSON route's body. */
export function parseScreeningFormFields(body: Record<string, unknown>): { passThreshold: unknown; questions: unknown[] } {
  const questions: unknown[] = [];
  for (let i = 0; i < MAX_FORM_QUESTIONS + 1; i++) {
    const prompt = field(body, `prompt_${i}`);
    const answer = field(body, `answer_${i}`);
    if (prompt === undefined && answer === undefined) continue;
    const weight = numberField(body, `weight_${i}`);
    questions.push({
      ...(field(body, `id_${i}`) ? { id: field(body, `id_${i}`) } : {}),
      prompt: prompt ?? '',
      answer: answer ?? '',
      acceptedAnswers: (field(body, `accepted_${i}`) ?? '').split(/\s*[;\n]\s*/).filter(Boolean),
      knockout: body[`knockout_${i}`] === 'on',
      weight: weight ?? 1,
    });
  }
  return { passThreshold: numberField(body, 'passThreshold'), questions };
}

/**
 * Openings in the browser: create, the opening's page (title, pay range, stages with their SLA
 * settings, message templates with a preview, the screening form with its lint, take-home
 * assignments with their versions and publish result). Each form calls the service the JSON route
 * calls, with the same DTO validation; POST -> 303 -> the page with a flash message.
 */
@ApiExcludeController()
@Controller('openings')
@Roles(Role.Recruiter, Role.HiringManager)
export class OpeningPagesController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly openings: OpeningsService,
    private readonly templates: TemplateService,
    private readonly screening: ScreeningService,
    private readonly assignments: AssignmentsService,
    private readonly scope: TeamScope,
  ) {}

  /** The team role a change needs (as the JSON routes check it): 403 with the reason, shown beside the form. */
  private manages(me: Principal, id: string, action: string) {
    return this.scope.assertOpening(me, id, { teamRoles: ['hiring_manager'], action });
  }

  private async people() {
    const users = (await this.identity.listUsers()).filter((u) => !u.disabledAt);
    return {
      managers: users.filter((u) => u.roles.includes(Role.HiringManager)).map((u) => ({ id: u.id, name: u.name })),
      recruiters: users.filter((u) => u.roles.includes(Role.Recruiter)).map((u) => ({ id: u.id, name: u.name })),
      names: Object.fromEntries(users.map((u) => [u.id, u.name])) as Record<string, string>,
    };
  }

  @Get('new')
  @Header('content-type', 'text/html; charset=utf-8')
  async newPage(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentUser() me: Principal) {
    const ctx = pageContext(req, this.identity, res);
    const { managers, recruiters } = await this.people();
    const values = ctx.flash?.values ?? {};
    return this.views.render('opening-new', {
      title: 'New opening',
      ...ctx,
      managers,
      recruiters,
      values: {
        hiringManagerId: me.roles.includes(Role.HiringManager) ? me.id : '',
        recruiterId: me.roles.includes(Role.Recruiter) ? me.id : '',
        currency: 'EUR',
        ...values,
      },
    });
  }

  @Post()
  async create(@Body() body: Record<string, unknown>, @Res() res: Response) {
    await formAction(
      res,
      {
        to: (o: { id: string }) => `/openings/${o.id}`,
        back: '/openings/new',
        ok: (o: { title: string }) => `Opening “${o.title}” created`,
        values: body,
      },
      async () => {
        const dto = await validated(CreateOpeningDto, {
          title: field(body, 'title') ?? '',
          hiringManagerId: field(body, 'hiringManagerId') ?? '',
          recruiterId: field(body, 'recruiterId') ?? '',
          compensation: {
            min: numberField(body, 'min'),
            max: numberField(body, 'max'),
            currency: (field(body, 'currency') ?? '').toUpperCase(),
          },
        });
        return this.openings.create(dto);
      },
    );
  }

  @Get(':id')
  @Header('content-type', 'text/html; charset=utf-8')
  async page(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() me: Principal,
  ) {
    const opening = await this.openings.get(id);
    const ctx = pageContext(req, this.identity, res);
    const [{ names }, templates, form, assignments] = await Promise.all([
      this.people(),
      this.templates.list(id),
      this.screening.current(id),
      this.assignments.list(),
    ]);
    const candidateTemplates = await Promise.all(
      templates
        .filter((t) => t.audience === 'candidate')
        .map(async (t) => {
          const preview = await this.templates
            .render(t.key, TEMPLATES[t.key].sample, id)
            .catch((e: Error) => ({ subject: '', text: `This template does not render: ${e.message}` }));
          return { ...t, description: t.description, preview: { subject: preview.subject, text: preview.text } };
        }),
    );
    const withVersions = await Promise.all(assignments.map(async (a) => ({ ...a, versions: await this.assignments.versions(a.id) })));
    const values = ctx.flash?.values ?? {};
    const lintByQuestion = new Map<number, Array<{ severity: string; message: string }>>();
    for (const l of form.lint) lintByQuestion.set(l.questionIndex, [...(lintByQuestion.get(l.questionIndex) ?? []), l]);
    return this.views.render('opening', {
      title: opening.title,
      ...ctx,
      opening,
      manager: names[opening.hiringManagerId] ?? 'someone no longer here',
      recruiter: names[opening.recruiterId] ?? 'someone no longer here',
      canEdit: await this.scope.teamRoleOn(me, id, ['hiring_manager']),
      stages: opening.stages.map((s, i) => ({ ...s, number: i + 1, index: i })),
      templates: candidateTemplates,
      form: {
        ...form,
        formLint: form.lint.filter((l) => l.questionIndex === null || l.questionIndex === undefined || l.questionIndex < 0),
        questions: [...form.questions, { id: '', prompt: '', answer: '', acceptedAnswers: [], knockout: false, weight: 1, isNew: true }]
          .slice(0, MAX_FORM_QUESTIONS)
          .map((q, i) => ({ ...q, index: i, number: i + 1, accepted: q.acceptedAnswers.join('; '), lint: lintByQuestion.get(i) ?? [] })),
      },
      assignments: withVersions.map((a) => ({
        ...a,
        versions: a.versions.map((v) => ({
          ...v,
          check: v.publishCheck as {
            status?: string;
            reason?: string;
            total?: number;
            passed?: number;
            tests?: Array<{ name: string; status: string; message?: string }>;
          } | null,
        })),
      })),
      values,
    });
  }

  @Post(':id')
  @Roles(Role.HiringManager)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = `/openings/${id}`;
    const compensation =
      field(body, 'min') !== undefined || field(body, 'max') !== undefined
        ? {
            compensation: {
              min: numberField(body, 'min'),
              max: numberField(body, 'max'),
              currency: (field(body, 'currency') ?? '').toUpperCase(),
            },
          }
        : {};
    await formAction(res, { to: back, back, ok: 'Opening saved', form: 'details', values: body }, async () => {
      await this.manages(me, id, 'change the opening');
      const dto = await validated(UpdateOpeningDto, {
        ...(body.title !== undefined ? { title: field(body, 'title') ?? '' } : {}),
        ...compensation,
      });
      return this.openings.update(id, dto);
    });
  }

  @Post(':id/stages')
  @Roles(Role.HiringManager)
  async stages(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = `/openings/${id}#stages-title`;
    await formAction(res, { to: back, back, ok: 'Stage settings saved', form: 'stages' }, async () => {
      await this.manages(me, id, "change the opening's stages");
      const opening = await this.openings.get(id);
      const stageSettings = opening.stages.map((s, i) => ({
        key: s.key,
        contactSlaBusinessDays: numberField(body, `contact_${i}`) ?? s.contactSlaBusinessDays,
        staleAfterBusinessDays: numberField(body, `stale_${i}`) ?? s.staleAfterBusinessDays,
      }));
      return this.openings.update(id, await validated(UpdateOpeningDto, { stageSettings }));
    });
  }

  @Post(':id/templates/:key')
  async saveTemplate(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('key') key: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = `/openings/${id}#template-${key}`;
    await this.openings.get(id);
    await formAction(
      res,
      { to: back, back, ok: 'Template saved; the preview shows it with sample data', form: `template-${key}`, values: body },
      async () => {
        await this.scope.assertOpening(me, id, {
          teamRoles: ['recruiter', 'hiring_manager'],
          action: "override the opening's message templates",
        });
        const dto = await validated(TemplateOverrideDto, {
          subject: field(body, 'subject') ?? '',
          html: String(body.html ?? ''),
          text: String(body.text ?? ''),
        });
        return this.templates.saveOverride(id, key, dto, me.id);
      },
    );
  }

  @Post(':id/screening-form')
  async saveScreeningForm(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = `/openings/${id}#screening-title`;
    await this.openings.get(id);
    await formAction(
      res,
      {
        to: back,
        back,
        ok: (f: { version: number; lint: unknown[] }) =>
          `Screening form saved as version ${f.version}${f.lint.length ? ' (see the warnings below)' : ''}`,
        form: 'screening',
      },
      () => this.screening.save(id, parseScreeningFormFields(body), me.id),
    );
  }

  @Post(':id/assignments/:assignmentId/versions/:version/publish')
  @Roles(Role.HiringManager)
  async publish(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('assignmentId', ParseUUIDPipe) assignmentId: string,
    @Param('version', ParseIntPipe) version: number,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const back = `/openings/${id}#assignments-title`;
    await formAction(
      res,
      { to: back, back, ok: `Version ${version} published: the reference solution passes every hidden test`, form: 'assignments' },
      () => this.assignments.publish(assignmentId, version, actorOf(me)),
    );
  }
}
