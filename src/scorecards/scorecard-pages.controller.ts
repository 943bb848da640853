import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApplicationException } from '../common/errors/application.exception';
import { formatInZone } from '../communications/ics';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { addBusinessHours, RECOMMENDATION_NAMES, RECOMMENDATIONS } from './domain';
import { SessionKind } from './scorecard.entity';
import { ScorecardsService } from './scorecards.service';

const viewer = (me: Principal) => ({ id: me.id, isAdmin: me.roles.includes(Role.Admin) });

/**
 * Pages: the scorecard form of an interview or code review (`/interviews/:id/scorecard`,
 * `/reviews/:id/scorecard`; works without JavaScript) and the hiring manager's debrief
 * (`/dashboard/applications/:id/debrief`). They call the same service as the JSON routes.
 */
@ApiExcludeController()
@Controller()
@Roles(Role.Engineer, Role.HiringManager, Role.Recruiter)
export class ScorecardPagesController {
  constructor(
    private readonly scorecards: ScorecardsService,
    private readonly views: ViewService,
    private readonly identity: IdentityService,
  ) {}

  @Get('scorecards')
  @Header('content-type', 'text/html; charset=utf-8')
  async owed(@Req() req: Request, @CurrentUser() me: Principal) {
    const tz = me.timezone || 'UTC';
    const now = this.scorecards.now().getTime();
    const owed = (await this.scorecards.owedBy(me.id)).map((o) => {
      const dueAt = addBusinessHours(o.endsAt, o.dueBusinessHours, tz, o.holidays);
      return { ...o, whenText: formatInZone(o.startsAt, tz, o.endsAt), dueText: formatInZone(dueAt, tz), late: dueAt.getTime() <= now };
    });
    return this.views.render('scorecards-owed', { title: 'My scorecards', ...pageContext(req, this.identity), owed });
  }

  @Get('interviews/:id/scorecard')
  @Header('content-type', 'text/html; charset=utf-8')
  interviewForm(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('filed') filed: string | undefined,
    @Req() req: Request,
    @CurrentUser() me: Principal,
  ) {
    return this.formPage('interview', id, req, me, { filed: filed === '1' });
  }

  @Get('reviews/:id/scorecard')
  @Header('content-type', 'text/html; charset=utf-8')
  reviewForm(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('filed') filed: string | undefined,
    @Req() req: Request,
    @CurrentUser() me: Principal,
  ) {
    return this.formPage('review', id, req, me, { filed: filed === '1' });
  }

  @Post('interviews/:id/scorecard')
  fileInterview(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() me: Principal,
  ) {
    return this.file('interview', id, body, req, res, me);
  }

  @Post('reviews/:id/scorecard')
  fileReview(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() me: Principal,
  ) {
    return this.file('review', id, body, req, res, me);
  }

  @Get('dashboard/applications/:id/debrief')
  @Roles(Role.HiringManager)
  @Header('content-type', 'text/html; charset=utf-8')
  async debrief(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @CurrentUser() me: Principal) {
    const d = await this.scorecards.debrief(id, viewer(me));
    const tz = me.timezone || 'UTC';
    return this.views.render('debrief', {
      title: `Debrief: ${d.application.candidateName}`,
      ...pageContext(req, this.identity),
      d,
      columns: d.columns.map((c) => ({ ...c, filedText: formatInZone(c.filedAt, tz), amended: c.version > 1 })),
    });
  }

  private async file(kind: SessionKind, id: string, body: Record<string, unknown>, req: Request, res: Response, me: Principal) {
    const form = await this.scorecards.form(kind, id, viewer(me));
    const ratings = form.competencies.map((c) => ({ competency: c.key, score: Number(body[`score_${c.key}`]) }));
    const input = {
      ratings: ratings.filter((r) => Number.isInteger(r.score) && r.score >= 1),
      recommendation: String(body.recommendation ?? ''),
      notes: String(body.notes ?? '').slice(0, 10000),
    };
    try {
      await this.scorecards.file(kind, id, input, viewer(me));
    } catch (e) {
      if (!(e instanceof ApplicationException) || e.status >= 500) throw e;
      const html = await this.formPage(kind, id, req, me, {
        error: e.message,
        values: { ratings: input.ratings, recommendation: input.recommendation, notes: input.notes },
      });
      res.status(e.status).type('html').send(html);
      return;
    }
    res.redirect(303, `/${kind === 'interview' ? 'interviews' : 'reviews'}/${id}/scorecard?filed=1`);
  }

  private async formPage(
    kind: SessionKind,
    id: string,
    req: Request,
    me: Principal,
    opts: {
      filed?: boolean;
      error?: string;
      values?: { ratings: Array<{ competency: string; score: number }>; recommendation: string; notes: string };
    },
  ) {
    const f = await this.scorecards.form(kind, id, viewer(me));
    const current =
      opts.values ?? (f.mine ? { ratings: f.mine.ratings, recommendation: f.mine.recommendation, notes: f.mine.notes } : null);
    const tz = me.timezone || 'UTC';
    const others = f.mine ? await this.scorecards.forApplication(f.session.applicationId, viewer(me)) : null;
    return this.views.render('scorecard', {
      title: `Scorecard: ${f.kindName}`,
      ...pageContext(req, this.identity),
      action: `/${kind === 'interview' ? 'interviews' : 'reviews'}/${id}/scorecard`,
      f,
      error: opts.error ?? null,
      filed: !!opts.filed && !!f.mine,
      when: formatInZone(f.session.startsAt, tz, f.session.endsAt),
      competencies: f.competencies.map((c) => {
        const chosen = current?.ratings.find((r) => r.competency === c.key)?.score;
        return {
          key: c.key,
          name: c.name,
          options: c.rubric.map((text, i) => ({ score: i + 1, text, id: `score-${c.key}-${i + 1}`, checked: chosen === i + 1 })),
        };
      }),
      recommendations: RECOMMENDATIONS.map((r) => ({
        value: r,
        name: RECOMMENDATION_NAMES[r],
        id: `rec-${r}`,
        checked: current?.recommendation === r,
      })),
      notes: current?.notes ?? '',
      mineVersion: f.mine?.version ?? 0,
      others: others
        ? others.scorecards
            .filter((c) => c.authorId !== me.id)
            .map((c) => ({
              authorName: c.authorName,
              recommendationName: RECOMMENDATION_NAMES[c.recommendation],
              notes: c.notes,
              filedText: formatInZone(c.filedAt, tz),
            }))
        : null,
    });
  }
}
