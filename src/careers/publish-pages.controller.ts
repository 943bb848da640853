import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { renderMarkdown } from '../assessments/domain/markdown';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { OpeningsService } from '../openings/openings.service';
import { Opening } from '../openings/opening.entity';
import { parseScreeningFormFields } from '../web/opening-pages.controller';
import { field, formAction, numberField, problemOf, setFlash, validated } from '../web/flash';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { ApplicationQuestionsService, MAX_APPLICATION_QUESTIONS } from './application-questions.service';
import { PublicationDto } from './dto/publication.dto';
import { PublishingService } from './publishing.service';
import { payText } from './careers.service';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const zonesOf = (raw: string) =>
  raw
    .split(/[\s,;]+/)
    .map((z) => z.trim())
    .filter(Boolean);

interface Draft {
  description: string;
  location: string;
  remote: boolean;
  zones: string;
  min: string;
  max: string;
  currency: string;
}

/**
 * The staff page of an opening's careers-page presence (recruiters and hiring managers on its team,
 * admins): publish or unpublish with a Markdown description (previewed before saving, without
 * JavaScript), a location or remote work with the allowed time zones, and the pay range (required,
 * always shown); the links to share (the opening, each person's referral link, job boards,
 * partners, the internship programme); the questions on its application form.
 */
@ApiExcludeController()
@Controller('openings')
@Roles(Role.Recruiter, Role.HiringManager)
export class PublishPagesController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly openings: OpeningsService,
    private readonly publishing: PublishingService,
    private readonly questions: ApplicationQuestionsService,
    private readonly scope: TeamScope,
  ) {}

  @Get(':id/careers')
  async page(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('referrerId') referrerId: string | undefined,
    @Query('partner') partner: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() me: Principal,
  ) {
    const opening = await this.openings.get(id);
    const html = await this.render(req, res, me, opening, { referrerId: str(referrerId), partner: str(partner) });
    res.status(200).type('html').send(html);
  }

  /** Save (action "save"), save and publish ("publish"), unpublish ("unpublish") or only preview ("preview"). */
  @Post(':id/careers')
  async save(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() me: Principal,
  ) {
    const opening = await this.openings.get(id);
    const action = str(body.action);
    const draft: Draft = {
      description: str(body.description).slice(0, 60_000),
      location: str(body.location),
      remote: body.remote === 'yes',
      zones: str(body.remoteTimeZones),
      min: str(body.min),
      max: str(body.max),
      currency: str(body.currency),
    };
    if (action === 'preview') {
      const html = await this.render(req, res, me, opening, { draft, preview: renderMarkdown(draft.description) });
      return res.status(200).type('html').send(html);
    }
    try {
      await this.scope.assertOpening(me, id, { teamRoles: ['recruiter', 'hiring_manager'], action: 'publish it' });
      const published = action === 'unpublish' ? false : action === 'publish' ? true : opening.published;
      const dto = await validated(PublicationDto, {
        published,
        description: draft.description,
        location: draft.location.trim() || null,
        remote: draft.remote,
        remoteTimeZones: draft.remote ? zonesOf(draft.zones) : [],
        compensation: {
          min: numberField(body, 'min'),
          max: numberField(body, 'max'),
          currency: (field(body, 'currency') ?? '').toUpperCase(),
        },
      });
      const saved = await this.publishing.publish(id, dto);
      setFlash(res, {
        kind: 'ok',
        text:
          action === 'unpublish'
            ? 'Unpublished: the opening is no longer on the careers page'
            : saved.published
              ? 'Published: the opening is on the careers page'
              : 'Saved (not published yet)',
        form: 'publish',
      });
      res.redirect(303, `/openings/${id}/careers`);
    } catch (e) {
      const p = problemOf(e);
      if (!p || p.status >= 500 || p.status === 401 || p.status === 404) throw e;
      const html = await this.render(req, res, me, opening, { draft, error: plain(p.text) });
      res.status(p.status).type('html').send(html);
    }
  }

  @Post(':id/careers/questions')
  async saveQuestions(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
    @CurrentUser() me: Principal,
  ) {
    await this.openings.get(id);
    const back = `/openings/${id}/careers#questions-title`;
    await formAction(
      res,
      {
        to: back,
        back,
        ok: (f: { questions: unknown[]; lint: unknown[] }) =>
          f.questions.length
            ? `Questions saved: the application form asks ${f.questions.length}${f.lint.length ? ' (see the warnings below)' : ''}`
            : 'The application form asks no questions',
        form: 'questions',
      },
      async () => {
        await this.scope.assertOpening(me, id, { teamRoles: ['recruiter', 'hiring_manager'], action: 'change its application questions' });
        const parsed = parseScreeningFormFields(body);
        return this.questions.save(id, { passThreshold: parsed.passThreshold ?? undefined, questions: parsed.questions }, me.id);
      },
    );
  }

  private async render(
    req: Request,
    res: Response,
    me: Principal,
    opening: Opening,
    opts: { draft?: Draft; preview?: string; error?: string; referrerId?: string; partner?: string },
  ) {
    const ctx = pageContext(req, this.identity, res);
    const staff = (await this.identity.listUsers()).filter((u) => !u.disabledAt);
    const referrerId = staff.some((u) => u.id === opts.referrerId) ? opts.referrerId! : me.id;
    const [links, form] = await Promise.all([this.publishing.shareLinks(opening.id, referrerId), this.questions.get(opening.id)]);
    const partner = (opts.partner ?? '')
      .trim()
      .replace(/[^\p{L}\p{N} ._-]+/gu, '')
      .slice(0, 50);
    const draft: Draft = opts.draft ?? {
      description: opening.description,
      location: opening.location ?? '',
      remote: opening.remote,
      zones: opening.remoteTimeZones.join('\n'),
      min: String(opening.compensationMin),
      max: String(opening.compensationMax),
      currency: opening.compensationCurrency,
    };
    const lintByQuestion = new Map<number, string[]>();
    for (const l of form.lint) lintByQuestion.set(l.questionIndex, [...(lintByQuestion.get(l.questionIndex) ?? []), l.message]);
    const rows = [...form.questions, { id: '', prompt: '', answer: '', acceptedAnswers: [], knockout: false, weight: 1 }]
      .slice(0, MAX_APPLICATION_QUESTIONS)
      .map((q, i) => ({
        ...q,
        index: i,
        number: i + 1,
        accepted: q.acceptedAnswers.join('; '),
        isNew: !q.id,
        lint: lintByQuestion.get(i) ?? [],
      }));
    return this.views.render('opening-careers', {
      title: `Careers page: ${opening.title}`,
      ...ctx,
      opening,
      published: opening.published,
      closed: Boolean(opening.closedAt),
      pay: payText(Number(opening.compensationMin), Number(opening.compensationMax), opening.compensationCurrency),
      draft,
      preview: opts.preview ?? renderMarkdown(opening.description ?? ''),
      previewIsDraft: opts.preview !== undefined,
      error: opts.error,
      links,
      referrers: staff.map((u) => ({ id: u.id, name: u.name, selected: u.id === referrerId })),
      partner,
      partnerUrl: partner ? links.partner(partner) : null,
      questions: { passThreshold: form.passThreshold, rows, count: form.questions.length },
    });
  }
}

function plain(m: string): string {
  return m
    .replace(/^Invalid fields: /, '')
    .replace(/compensation\.(min|max)/g, (_m, k) => (k === 'min' ? 'Minimum pay' : 'Maximum pay'))
    .replace(/compensation\.currency/g, 'Currency')
    .replace(/remoteTimeZones/g, 'Time zones')
    .replace(/^location: /, 'Location: ');
}
