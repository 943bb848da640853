import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { forbidden, notFound } from '../common/errors/application.exception';
import { formatInZone } from '../communications/ics';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Unscoped } from '../identity/team-scope';
import { ALL_ROLES, Role } from '../identity/user.entity';
import { field, formAction } from '../web/flash';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { ROUTE_KIND_WORDS, ROUTE_KINDS, ROUTE_TARGET_WORDS, ROUTE_TARGETS } from './domain/routes';
import { NotificationRoutesService } from './notification-routes.service';

const STATUS_WORDS: Record<string, string> = { pending: 'waiting to be sent', succeeded: 'delivered', failed: 'failed' };
const FLAVOR_NAMES: Record<string, string> = { slack: 'Slack', teams: 'Teams' };

/** "Notifications": where my alerts and digest go (e-mail, my Slack, my Teams); admins reach anyone's at /notifications/<id>. */
@ApiExcludeController()
@Controller('notifications')
@Roles(...ALL_ROLES)
@Unscoped()
export class NotificationPagesController {
  constructor(
    private readonly routes: NotificationRoutesService,
    private readonly identity: IdentityService,
    private readonly views: ViewService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  private allowed(me: Principal, userId: string) {
    if (me.id !== userId && !me.roles.includes(Role.Admin)) throw forbidden('You can only manage your own notifications');
  }

  private async render(req: Request, res: Response, me: Principal, userId: string) {
    this.allowed(me, userId);
    const [person]: Array<{ id: string; name: string }> = await this.ds.query(`SELECT id, name FROM users WHERE id = $1`, [userId]);
    if (!person) throw notFound('User');
    const [r, deliveries] = await Promise.all([this.routes.get(userId), this.routes.deliveries(userId)]);
    const zone = me.timezone || 'UTC';
    const self = me.id === userId;
    return this.views.render('notifications', {
      title: self ? 'Notifications' : `Notifications of ${person.name}`,
      ...pageContext(req, this.identity, res),
      self,
      person,
      action: `/notifications/${userId}`,
      slack: r.slack,
      teams: r.teams,
      zone,
      kinds: ROUTE_KINDS.map((k) => ({
        key: k,
        label: ROUTE_KIND_WORDS[k],
        targets: ROUTE_TARGETS.map((t) => ({
          value: t,
          label: ROUTE_TARGET_WORDS[t],
          checked: r.routes[k].includes(t),
          id: `route-${k}-${t}`,
        })),
      })),
      deliveries: deliveries.map((d) => ({
        ...d,
        flavorText: FLAVOR_NAMES[d.flavor] ?? d.flavor,
        statusText: STATUS_WORDS[d.status] ?? d.status,
        when: formatInZone(d.createdAt, zone),
        next: d.nextAttemptAt ? formatInZone(d.nextAttemptAt, zone) : null,
      })),
    });
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  mine(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentUser() me: Principal) {
    return this.render(req, res, me, me.id);
  }

  @Get(':userId')
  @Header('content-type', 'text/html; charset=utf-8')
  of(
    @Param('userId', ParseUUIDPipe) userId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() me: Principal,
  ) {
    return this.render(req, res, me, userId);
  }

  private page(me: Principal, userId: string) {
    return me.id === userId ? '/notifications' : `/notifications/${userId}`;
  }

  @Post(':userId')
  async save(
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    this.allowed(me, userId);
    const put: Record<string, unknown> = { routes: {} };
    for (const f of ['slack', 'teams'] as const) {
      if (field(body, `remove_${f}`)) put[`${f}Url`] = null;
      else if (field(body, `${f}Url`)) put[`${f}Url`] = field(body, `${f}Url`);
    }
    // Each kind's checkboxes (none ticked is refused by the service, naming the kind).
    for (const k of ROUTE_KINDS) {
      const v = body[`route_${k}`];
      (put.routes as Record<string, unknown>)[k] = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
    }
    const to = this.page(me, userId);
    await formAction(res, { to, back: to, ok: 'Notification settings saved', form: 'notifications' }, () => this.routes.put(userId, put));
  }

  @Post(':userId/test')
  async test(@Param('userId', ParseUUIDPipe) userId: string, @CurrentUser() me: Principal, @Res() res: Response) {
    this.allowed(me, userId);
    const to = this.page(me, userId);
    await formAction(
      res,
      {
        to,
        back: to,
        ok: (r: { queued: string[] }) =>
          `Test message queued for ${r.queued.map((f) => FLAVOR_NAMES[f]).join(' and ')}; it arrives within a few seconds (see the delivery log below).`,
        form: 'notifications-test',
      },
      () => this.routes.test(userId),
    );
  }
}
