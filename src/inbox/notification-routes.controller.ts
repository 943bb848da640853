import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { forbidden } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { Unscoped } from '../identity/team-scope';
import { ALL_ROLES, Role } from '../identity/user.entity';
import { NotificationRoutesService } from './notification-routes.service';

/** A user's notification routes (docs/notification-routes.md): their own, or anyone's for an admin. The webhook URLs are never returned. */
@ApiController('users', 'notification routes')
@Roles(...ALL_ROLES)
@Unscoped()
export class NotificationRoutesController {
  constructor(private readonly routes: NotificationRoutesService) {}

  private check(me: Principal, userId: string) {
    if (!me.roles.includes(Role.Admin) && me.id !== userId) throw forbidden('You can only manage your own notifications');
  }

  @Get(':id/notification-routes')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    this.check(me, id);
    return this.routes.get(id);
  }

  /** `{slackUrl?, teamsUrl?, routes?: {<kind>: ["email"|"slack"|"teams", …]}}`; null or "" removes a webhook. */
  @Put(':id/notification-routes')
  put(@Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @CurrentUser() me: Principal) {
    this.check(me, id);
    return this.routes.put(id, body);
  }

  /** Queues a test message to each of the user's webhooks. */
  @Post(':id/notification-routes/test')
  @HttpCode(202)
  test(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    this.check(me, id);
    return this.routes.test(id);
  }

  /** The user's latest personal chat deliveries, newest first. */
  @Get(':id/notification-routes/deliveries')
  deliveries(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    this.check(me, id);
    return this.routes.deliveries(id);
  }
}
