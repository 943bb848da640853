import { Body, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { forbidden } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { ALL_ROLES, Role } from '../identity/user.entity';
import { CalendarsService } from './calendars.service';
import { ConnectCalendarDto } from './dto/calendar.dto';

/** A staff user's connected calendar: their own, or anyone's for an admin. Secrets are never returned. */
@ApiController('users', 'calendars')
@Roles(...ALL_ROLES)
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  private check(me: Principal, userId: string) {
    if (!me.roles.includes(Role.Admin) && me.id !== userId) throw forbidden('You can only manage your own calendar');
  }

  @Put(':id/calendar')
  connect(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ConnectCalendarDto, @CurrentUser() me: Principal) {
    this.check(me, id);
    return this.calendars.connect(id, dto);
  }

  /** The person, an admin, or a recruiter or hiring manager (who book them) may see whether it can be read. */
  @Get(':id/calendar')
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    if (!me.roles.some((r) => r === Role.Recruiter || r === Role.HiringManager)) this.check(me, id);
    return { ...(await this.calendars.get(id)), writeBackErrors: await this.calendars.writeBackErrors(id) };
  }

  /** Reads the calendar now (the sweep does it in the background too). */
  @Post(':id/calendar/sync')
  @HttpCode(200)
  sync(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    this.check(me, id);
    return this.calendars.sync(id);
  }

  @Delete(':id/calendar')
  @HttpCode(204)
  async disconnect(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    this.check(me, id);
    await this.calendars.disconnect(id);
  }
}
