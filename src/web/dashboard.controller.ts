import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AlertsService } from '../alerts/alerts.service';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { TeamScope } from '../identity/team-scope';
import { ALL_ROLES, Role } from '../identity/user.entity';
import { OpeningsService } from '../openings/openings.service';
import { safeNext } from './auth-pages.controller';
import { pageContext } from './page-context';
import { ViewService } from './view.service';

@ApiExcludeController()
@Controller('dashboard')
@Roles(...ALL_ROLES)
export class DashboardController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly alerts: AlertsService,
    private readonly openings: OpeningsService,
    private readonly scope: TeamScope,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async home(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentUser() me: Principal) {
    // Engineers cannot open an opening's board (candidates' data): show them only what they can open.
    const seesBoards = me.roles.some((r) => r === Role.Admin || r === Role.Recruiter || r === Role.HiringManager);
    const viewer = this.scope.viewer(me);
    const [alerts, openings] = await Promise.all([this.alerts.list(me.id, false, viewer), this.openings.list(viewer)]);
    return this.views.render('dashboard-home', {
      title: 'Dashboard',
      ...pageContext(req, this.identity, res),
      alerts,
      openings: seesBoards ? openings : [],
      // Engineers: the hiring teams they are on (each team's page; the boards hold candidates' data).
      teams: seesBoards ? [] : openings.map((o) => ({ id: o.id, title: o.title })),
      seesBoards,
      reviewsLink: me.roles.includes(Role.Engineer),
    });
  }

  @Post('alerts/:id/ack')
  async ack(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await this.alerts.ack(id, me.id, me.roles.includes(Role.Admin));
    // Back to the page the form was on (the home or an opening's board); same-site paths only.
    res.redirect(303, safeNext(body?.next));
  }
}
