import { Body, Controller, Get, Header, Put, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { badRequest } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { formatInZone } from '../communications/ics';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Unscoped } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { field, renderOnRefusal, validated } from '../web/flash';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { CalendarsService, SchedulingSettings } from './calendars.service';
import { SchedulingSettingsDto } from './dto/scheduling-settings.dto';

/**
 * `GET/PUT /settings/scheduling` (admins): whether candidates choose their code-review time, how
 * long an offer stays open, the rounds before automatic booking and the notice for moving or
 * cancelling. Saved in the database; the environment gives the value until an admin saves one.
 */
@ApiController('settings', 'settings')
@Roles(Role.Admin)
@Unscoped()
export class SchedulingSettingsController {
  constructor(private readonly calendars: CalendarsService) {}

  /** `{selfScheduleOffers, offerDays, offerRounds, noticeHours, source: "setting"|"environment", updatedAt}` */
  @Get('scheduling')
  get(): Promise<SchedulingSettings> {
    return this.calendars.scheduling();
  }

  /** Any of `{selfScheduleOffers, offerDays (1-30), offerRounds (1-10), noticeHours (0-336)}`; out of range: 400 naming the field. */
  @Put('scheduling')
  put(@Body() dto: SchedulingSettingsDto, @CurrentUser() me: Principal): Promise<SchedulingSettings> {
    return this.calendars.saveScheduling(dto, me.id);
  }
}

/** The form's fields in plain words, with their ranges (the DTO's). */
const FIELDS: Array<{ name: 'offerDays' | 'offerRounds' | 'noticeHours'; label: string; min: number; max: number }> = [
  { name: 'offerDays', label: 'Business days an offer stays open', min: 1, max: 30 },
  { name: 'offerRounds', label: 'Offers before the review is booked automatically', min: 1, max: 10 },
  { name: 'noticeHours', label: 'Hours before the review a candidate may still move or cancel it', min: 0, max: 336 },
];

type Typed = Partial<Record<'offerDays' | 'offerRounds' | 'noticeHours', string>> & { selfScheduleOffers?: boolean };

/** `/admin/scheduling`: the same setting as a form (works without JavaScript). */
@ApiExcludeController()
@Controller('admin/scheduling')
@Roles(Role.Admin)
@Unscoped()
export class SchedulingSettingsPageController {
  constructor(
    private readonly calendars: CalendarsService,
    private readonly views: ViewService,
    private readonly identity: IdentityService,
  ) {}

  private async page(
    req: Request,
    me: Principal,
    opts: { notice?: string; error?: string; errors?: Record<string, string>; typed?: Typed } = {},
  ) {
    const s = await this.calendars.scheduling();
    const zone = me.timezone || 'UTC';
    const typed = opts.typed ?? {};
    return this.views.render('admin-scheduling', {
      title: 'Scheduling',
      section: 'admin-scheduling',
      ...pageContext(req, this.identity),
      notice: opts.notice,
      error: opts.error,
      selfScheduleOffers: typed.selfScheduleOffers ?? s.selfScheduleOffers,
      fields: FIELDS.map((f) => ({
        ...f,
        id: `scheduling-${f.name}`,
        value: typed[f.name] ?? String(s[f.name]),
        error: opts.errors?.[f.name],
      })),
      fromEnvironment: s.source === 'environment',
      savedText: s.updatedAt ? formatInZone(new Date(s.updatedAt), zone) : null,
    });
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  get(@Req() req: Request, @CurrentUser() me: Principal, @Query('done') done?: string) {
    return this.page(req, me, { notice: done ? 'Scheduling saved. The next graded submission follows it.' : undefined });
  }

  @Post()
  async post(@Body() body: Record<string, unknown>, @CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const typed: Typed = { selfScheduleOffers: ['on', 'true'].includes(String(body?.selfScheduleOffers ?? '')) };
    const errors: Record<string, string> = {};
    const values: Record<string, number> = {};
    for (const f of FIELDS) {
      const raw = field(body, f.name);
      typed[f.name] = raw ?? '';
      const n = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!(n >= f.min && n <= f.max)) errors[f.name] = `${f.label}: give a whole number from ${f.min} to ${f.max}.`;
      else values[f.name] = n;
    }
    await renderOnRefusal(
      res,
      async () => {
        const bad = Object.values(errors);
        if (bad.length) throw badRequest(bad.join(' '), { fields: Object.entries(errors).map(([k, v]) => ({ field: k, errors: [v] })) });
        const dto = await validated(SchedulingSettingsDto, { ...values, selfScheduleOffers: typed.selfScheduleOffers });
        await this.calendars.saveScheduling(dto, me.id);
        res.redirect(303, '/admin/scheduling?done=1');
      },
      (message) => this.page(req, me, { error: message, errors, typed }),
    );
  }
}
