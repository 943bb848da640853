import { Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { ALL_ROLES, Role } from '../identity/user.entity';
import { AlertsService } from './alerts.service';

@ApiController('alerts', 'alerts')
@Roles(...ALL_ROLES)
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly scope: TeamScope,
  ) {}

  /** The caller's open alerts, oldest first (?all=true includes acknowledged ones). */
  @Get()
  list(@CurrentUser() me: Principal, @Query('all') all?: string) {
    return this.alerts.list(me.id, all === 'true', this.scope.viewer(me));
  }

  @Post(':id/ack')
  @HttpCode(200)
  ack(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    return this.alerts.ack(id, me.id, me.roles.includes(Role.Admin));
  }
}
