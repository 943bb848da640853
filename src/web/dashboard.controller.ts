import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AlertsService } from '../alerts/alerts.service';
import { CandidatesService } from '../candidates/candidates.service';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { ALL_ROLES, Role } from '../identity/user.entity';
import { OpeningsService } from '../openings/openings.service';
import { ApplicationsService } from '../pipeline/applications.service';
import { findStage } from '../pipeline/domain/stages';
import { safeNext } from './auth-pages.controller';
import { pageContext } from './page-context';
import { ViewService } from './view.service';

const summarize = (type: string, d: Record<string, any>): string => {
  switch (type) {
    case 'stage.changed': return `${d.from} → ${d.to}${d.note ? ` (“${d.note}”)` : ''}`;
    case 'message.queued': case 'message.sent': return d.subject ?? d.template ?? '';
    case 'note.added': return d.text ?? '';
    case 'alert.raised': case 'alert.escalated': return d.kind ?? '';
    default: return '';
  }
};

@ApiExcludeController()
@Controller('dashboard')
@Roles(...ALL_ROLES)
export class DashboardController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly alerts: AlertsService,
    private readonly openings: OpeningsService,
    private readonly apps: ApplicationsService,
    private readonly candidates: CandidatesService,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async home(@Req() req: Request, @CurrentUser() me: Principal) {
    // Engineers cannot open an opening's board (candidates' data): show them only what they can open.
    const seesBoards = me.roles.some((r) => r === Role.Admin || r === Role.Recruiter || r === Role.HiringManager);
    const [alerts, openings] = await Promise.all([this.alerts.list(me.id, false), seesBoards ? this.openings.list() : Promise.resolve([])]);
    return this.views.render('dashboard-home', { title: 'Dashboard', ...pageContext(req, this.identity), alerts, openings, seesBoards, reviewsLink: me.roles.includes(Role.Engineer) });
  }

  @Post('alerts/:id/ack')
  async ack(@Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @CurrentUser() me: Principal, @Res() res: Response) {
    await this.alerts.ack(id, me.id, me.roles.includes(Role.Admin));
    // Back to the page the form was on (the home or an opening's board); same-site paths only.
    res.redirect(303, safeNext(body?.next));
  }

  @Get('applications/:id')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  @Header('content-type', 'text/html; charset=utf-8')
  async application(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request) {
    const application = await this.apps.get(id);
    const [opening, candidate, events] = await Promise.all([this.openings.get(application.openingId), this.candidates.get(application.candidateId), this.apps.events(id)]);
    return this.views.render('application', {
      title: candidate.name, ...pageContext(req, this.identity), application, opening, candidate,
      stageName: findStage(opening.stages, application.stage)?.name ?? application.stage,
      events: events.map((e) => ({ ...e, summary: summarize(e.type, e.data as Record<string, any>) })),
    });
  }
}
