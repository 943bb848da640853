import { Body, Controller, Get, Header, Optional, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ApplicationException, ErrorCode, forbidden, notFound } from '../common/errors/application.exception';
import { formatInZone } from '../communications/ics';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { ALL_ROLES, Role } from '../identity/user.entity';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { CalendarsService } from './calendars.service';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const NOTICES: Record<string, string> = {
  connected: 'Your calendar was read.',
  synced: 'Your calendar was read again.',
  disconnected: 'The calendar is disconnected. Only the busy times typed in by hand and booked sessions count now.',
};

/**
 * "My calendar": connect a CalDAV calendar or a secret ICS address, see whether it can be read
 * and the busy times read from it; admins reach anyone's from the user page (/calendar/<id>).
 */
@ApiExcludeController()
@Controller('calendar')
@Roles(...ALL_ROLES)
export class CalendarPagesController {
  constructor(
    private readonly calendars: CalendarsService,
    private readonly identity: IdentityService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
    @Optional() private readonly views?: ViewService,
  ) {}

  private allowed(me: Principal, userId: string) {
    if (me.id !== userId && !me.roles.includes(Role.Admin)) throw forbidden('You can only manage your own calendar');
  }

  private async page(
    req: Request,
    me: Principal,
    userId: string,
    opts: { notice?: string; error?: string; form?: Record<string, string> } = {},
  ) {
    // Recruiters and hiring managers (who book people) may look; only the person or an admin may change it.
    const canEdit = me.id === userId || me.roles.includes(Role.Admin);
    if (!canEdit && !me.roles.some((r) => r === Role.Recruiter || r === Role.HiringManager)) this.allowed(me, userId);
    const [person]: Array<{ id: string; name: string }> = await this.ds.query(`SELECT id, name FROM users WHERE id = $1`, [userId]);
    if (!person) throw notFound('User');
    const zone = me.timezone || 'UTC';
    const cal = await this.calendars.get(userId).catch((e) => {
      if (e instanceof ApplicationException && e.code === ErrorCode.NotFound) return null;
      throw e;
    });
    const now = this.clock.now();
    const busy = cal ? await this.calendars.busy(this.ds, [userId], now, new Date(now.getTime() + 7 * 86_400_000)) : [];
    const writeBackErrors = cal ? await this.calendars.writeBackErrors(userId) : [];
    return this.views!.render('calendar', {
      title: person.id === me.id ? 'My calendar' : `Calendar of ${person.name}`,
      ...pageContext(req, this.identity),
      person,
      self: person.id === me.id,
      canEdit,
      action: `/calendar/${person.id}`,
      zone,
      cal: cal
        ? {
            ...cal,
            kindText: cal.kind === 'caldav' ? 'CalDAV' : 'Secret ICS address',
            ok: cal.status === 'ok' && !cal.stale,
            lastSyncedText: cal.lastSyncedAt ? formatInZone(cal.lastSyncedAt, zone) : 'never',
            lastAttemptText: cal.lastAttemptAt ? formatInZone(cal.lastAttemptAt, zone) : 'never',
          }
        : null,
      busy: busy.slice(0, 50).map((b) => ({ text: formatInZone(b.startsAt, zone, b.endsAt) })),
      writeBackErrors: writeBackErrors.map((x) => ({ text: x.error, at: formatInZone(x.at, zone) })),
      notice: opts.notice,
      error: opts.error,
      form: opts.form ?? {},
    });
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  mine(@Req() req: Request, @CurrentUser() me: Principal, @Query('done') done?: string) {
    return this.page(req, me, me.id, { notice: done ? NOTICES[done] : undefined });
  }

  @Get(':userId')
  @Header('content-type', 'text/html; charset=utf-8')
  of(@Param('userId', ParseUUIDPipe) userId: string, @Req() req: Request, @CurrentUser() me: Principal, @Query('done') done?: string) {
    return this.page(req, me, userId, { notice: done ? NOTICES[done] : undefined });
  }

  private back(res: Response, me: Principal, userId: string, done: string) {
    res.redirect(303, `${me.id === userId ? '/calendar' : `/calendar/${userId}`}?done=${done}`);
  }

  @Post(':userId/connect')
  async connect(
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    this.allowed(me, userId);
    const kind = str(body.kind) === 'ics' ? 'ics' : 'caldav';
    const form = { kind, url: kind === 'caldav' ? str(body.url) : '', username: str(body.username) };
    try {
      await this.calendars.connect(userId, {
        kind,
        url: str(body.url).slice(0, 2000),
        ...(kind === 'caldav' && str(body.username) ? { username: str(body.username).slice(0, 200) } : {}),
        ...(kind === 'caldav' && str(body.password) ? { password: str(body.password).slice(0, 4000) } : {}),
      });
    } catch (e) {
      if (!(e instanceof ApplicationException) || e.code === ErrorCode.NotFound) throw e;
      res
        .status(e.status)
        .type('html')
        .send(await this.page(req, me, userId, { error: e.message, form }));
      return;
    }
    this.back(res, me, userId, 'connected');
  }

  @Post(':userId/sync')
  async sync(@Param('userId', ParseUUIDPipe) userId: string, @CurrentUser() me: Principal, @Res() res: Response) {
    this.allowed(me, userId);
    await this.calendars.sync(userId);
    this.back(res, me, userId, 'synced');
  }

  @Post(':userId/disconnect')
  async disconnect(@Param('userId', ParseUUIDPipe) userId: string, @CurrentUser() me: Principal, @Res() res: Response) {
    this.allowed(me, userId);
    await this.calendars.disconnect(userId);
    this.back(res, me, userId, 'disconnected');
  }
}
