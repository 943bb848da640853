import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { auditDto, AuditService } from '../audit/audit.service';
import { describeAudit } from '../audit/domain/audit-words';
import { badRequest } from '../common/errors/application.exception';
import { buildValidationPipe } from '../common/http/validation';
import { CurrentUser, Principal } from '../identity/decorators';
import { CreateUserDto, ReviewerProfileDto, UpdateUserDto } from '../identity/dto/identity.dto';
import { IdentityService } from '../identity/identity.service';
import { ALL_ROLES, Role } from '../identity/user.entity';
import { CreateWebhookDto, RetentionSettingsDto, UpdateWebhookDto } from '../integrations/dto/webhook.dto';
import { WEBHOOK_EVENTS } from '../timeline/domain/webhook-events';
import { SETTING, SettingsService } from '../integrations/settings.service';
import { endpointDto, WebhooksService } from '../integrations/webhooks.service';
import { InterviewsService } from '../interviews/interviews.service';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { refusalOf, renderOnRefusal } from '../web/flash';
import { AdminDirectory } from './admin-directory';

export const ROLE_WORDS: Record<Role, string> = {
  [Role.Admin]: 'Admin',
  [Role.Recruiter]: 'Recruiter',
  [Role.HiringManager]: 'Hiring manager',
  [Role.Engineer]: 'Engineer',
};
export const EVENT_WORDS: Record<string, string> = {
  'application.created': 'A candidate is put on an opening',
  'stage.changed': 'An application moves to another stage',
  'application.rejected': 'An application is rejected',
  'application.hired': 'A candidate is hired',
  'submission.graded': 'A take-home is graded',
  'review.scheduled': 'A code review is scheduled',
  'alert.raised': 'A stale alert is raised',
};
const DELIVERY_WORDS: Record<string, string> = {
  pending: 'waiting to be sent',
  delivering: 'being sent',
  succeeded: 'delivered',
  failed: 'failed',
};
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const AUDIT_ENTITIES: Array<[string, string]> = [
  ['application', 'Applications'],
  ['candidate', 'Candidates'],
  ['opening', 'Openings'],
  ['user', 'Staff accounts'],
  ['review', 'Code reviews'],
  ['interview', 'Interviews'],
  ['offer', 'Offers'],
  ['alert', 'Alerts'],
  ['webhook', 'Webhooks'],
  ['assignment', 'Take-home assignments'],
  ['settings', 'Settings'],
  ['interview-kind', 'Interview kinds'],
  ['auth', 'Sign-in and tokens'],
];
const ZONES: string[] = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
];
const zonesWith = (selected: string) =>
  (ZONES.includes(selected) ? ZONES : [selected, ...ZONES]).map((z) => ({ z, selected: z === selected }));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const pipe = buildValidationPipe();

/** A form's fields checked by the same DTO rules as the JSON route. */
async function validated<T>(cls: new () => T, value: object): Promise<T> {
  return pipe.transform(value, { type: 'body', metatype: cls, data: '' }) as Promise<T>;
}

/**
 * The admin pages (admins only: no @Roles): staff accounts and roles, reviewer profiles with their
 * meeting links, interview kinds, webhooks with their deliveries, retention and privacy settings,
 * and the audit log in plain words. Each form posts to a page route that calls the same service
 * as the JSON API and redirects back (POST-redirect-GET); a refusal shows the page again with the
 * reason next to the form and what was typed kept.
 */
@ApiExcludeController()
@Controller('admin')
export class AdminPagesController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly interviews: InterviewsService,
    private readonly webhooks: WebhooksService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly directory: AdminDirectory,
  ) {}

  private render(req: Request, view: string, title: string, ctx: Record<string, unknown>): string {
    return this.views.render(view, {
      title,
      ...pageContext(req, this.identity),
      section: view === 'admin-user' ? 'admin-users' : view === 'admin-webhook' ? 'admin-webhooks' : view,
      ...ctx,
    });
  }

  private send(res: Response, status: number, html: string): void {
    res.status(status).type('html').send(html);
  }

  private when(d: Date | string | null | undefined, tz: string): string {
    if (!d) return '';
    return DateTime.fromJSDate(new Date(d), { zone: tz || 'UTC' })
      .setLocale('en-GB')
      .toFormat('d LLL yyyy, HH:mm');
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  home(@Req() req: Request) {
    return this.render(req, 'admin-home', 'Admin', {});
  }

  // ---- staff accounts ----------------------------------------------------------------------

  private async usersPage(req: Request, form: { error?: string; values?: Record<string, unknown> } = {}, notice?: string) {
    const [users, profiles] = await Promise.all([this.identity.listUsers(), this.identity.reviewerProfiles()]);
    const values = form.values ?? {};
    const chosen = list(values.roles);
    return this.render(req, 'admin-users', 'Users and roles', {
      users: users.map((u) => ({
        ...u,
        roleText: u.roles.map((r) => ROLE_WORDS[r] ?? r).join(', '),
        disabled: !!u.disabledAt,
        hasProfile: profiles.has(u.id),
      })),
      roles: ALL_ROLES.map((r) => ({ value: r, label: ROLE_WORDS[r], checked: chosen.includes(r) })),
      zones: zonesWith(str(values.timezone) || 'UTC'),
      values,
      error: form.error,
      notice,
    });
  }

  @Get('users')
  @Header('content-type', 'text/html; charset=utf-8')
  users(@Req() req: Request, @Query('done') done?: string) {
    return this.usersPage(req, {}, done === 'created' ? 'The account was created. They can sign in with the password you set.' : undefined);
  }

  @Post('users')
  async createUser(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const values = { name: str(body.name), email: str(body.email), roles: list(body.roles), timezone: str(body.timezone) };
    await renderOnRefusal(
      res,
      async () => {
        if (!values.roles.length) throw badRequest('Choose at least one role');
        const dto = await validated(CreateUserDto, { ...values, password: str(body.password) });
        const user = await this.identity.createUser(dto);
        res.redirect(303, `/admin/users/${user.id}?done=created`);
      },
      (message) => this.usersPage(req, { error: message, values }),
    );
  }

  private async userPage(
    req: Request,
    id: string,
    me: Principal,
    opts: { error?: string; profileError?: string; profileValues?: Record<string, unknown>; notice?: string } = {},
  ) {
    const [user, profile] = await Promise.all([this.identity.getUser(id), this.identity.reviewerProfile(id)]);
    const pv = opts.profileValues;
    const hours = pv
      ? { start: str(pv.start), end: str(pv.end), days: list(pv.days).map(Number) }
      : (profile?.workingHours ?? { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] });
    const profileZone = pv ? str(pv.timezone) : (profile?.timezone ?? user.timezone);
    return this.render(req, 'admin-user', user.name, {
      u: {
        ...user,
        disabled: !!user.disabledAt,
        disabledSince: this.when(user.disabledAt, me.timezone),
        isEngineer: user.roles.includes(Role.Engineer),
        isMe: user.id === me.id,
      },
      roles: ALL_ROLES.map((r) => ({ value: r, label: ROLE_WORDS[r], checked: user.roles.includes(r) })),
      zones: zonesWith(user.timezone),
      profile: {
        exists: !!profile,
        languages: pv ? str(pv.languages) : (profile?.languages ?? []).join(', '),
        zones: zonesWith(profileZone || 'UTC'),
        start: hours.start,
        end: hours.end,
        days: DAYS.map((name, i) => ({ n: i + 1, name, checked: hours.days.includes(i + 1) })),
        meetingUrl: pv ? str(pv.meetingUrl) : (profile?.meetingUrl ?? ''),
      },
      error: opts.error,
      profileError: opts.profileError,
      notice: opts.notice,
    });
  }

  @Get('users/:id')
  @Header('content-type', 'text/html; charset=utf-8')
  user(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @CurrentUser() me: Principal, @Query('done') done?: string) {
    const notices: Record<string, string> = {
      created: 'The account was created. They can sign in with the password you set.',
      saved: 'Changes saved.',
      profile: 'Reviewer profile saved.',
      disabled: 'The account is disabled: sign-in refused and every session ended.',
      enabled: 'The account may sign in again.',
    };
    return this.userPage(req, id, me, { notice: done ? notices[done] : undefined });
  }

  @Post('users/:id')
  async updateUser(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const action = str(body.action);
    await renderOnRefusal(
      res,
      async () => {
        let patch: Record<string, unknown>;
        if (action === 'disable' || action === 'enable') patch = { disabled: action === 'disable' };
        else {
          if (!list(body.roles).length) throw badRequest('Choose at least one role');
          patch = { name: str(body.name), roles: list(body.roles), timezone: str(body.timezone) };
        }
        await this.identity.updateUser(me.id, id, await validated(UpdateUserDto, patch));
        res.redirect(303, `/admin/users/${id}?done=${action === 'disable' ? 'disabled' : action === 'enable' ? 'enabled' : 'saved'}`);
      },
      (message) => this.userPage(req, id, me, { error: message }),
    );
  }

  @Post('users/:id/reviewer-profile')
  async putProfile(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const values = {
      languages: str(body.languages),
      timezone: str(body.timezone),
      start: str(body.start),
      end: str(body.end),
      days: list(body.days),
      meetingUrl: str(body.meetingUrl).trim(),
    };
    await renderOnRefusal(
      res,
      async () => {
        const dto = await validated(ReviewerProfileDto, {
          languages: values.languages
            .split(/[,\n]/)
            .map((l) => l.trim())
            .filter(Boolean),
          timezone: values.timezone,
          workingHours: { start: values.start, end: values.end, days: values.days.map(Number) },
          meetingUrl: values.meetingUrl || null,
        });
        await this.identity.putReviewerProfile(id, dto);
        res.redirect(303, `/admin/users/${id}?done=profile#reviewer-profile`);
      },
      (message) => this.userPage(req, id, me, { profileError: message, profileValues: values }),
    );
  }

  @Get('reviewers')
  @Header('content-type', 'text/html; charset=utf-8')
  async reviewers(@Req() req: Request) {
    const [engineers, profiles] = await Promise.all([this.identity.listUsers(Role.Engineer), this.identity.reviewerProfiles()]);
    return this.render(req, 'admin-reviewers', 'Reviewer profiles', {
      reviewers: engineers.map((u) => {
        const p = profiles.get(u.id);
        return {
          id: u.id,
          name: u.name,
          disabled: !!u.disabledAt,
          profile: p
            ? {
                languages: p.languages.join(', '),
                timezone: p.timezone,
                hours: `${p.workingHours.start}–${p.workingHours.end}`,
                days: p.workingHours.days.map((d) => DAYS[d - 1]?.slice(0, 3)).join(', '),
                meetingUrl: p.meetingUrl,
              }
            : null,
        };
      }),
    });
  }

  // ---- interview kinds ---------------------------------------------------------------------

  private async kindsPage(req: Request, opts: { error?: string; typed?: string; notice?: string } = {}) {
    const kinds = await this.interviews.kinds();
    return this.render(req, 'admin-interview-kinds', 'Interview kinds', {
      kinds: kinds.map((k) => k.replace(/_/g, ' ')),
      typed: opts.typed ?? kinds.map((k) => k.replace(/_/g, ' ')).join('\n'),
      error: opts.error,
      notice: opts.notice,
    });
  }

  @Get('interview-kinds')
  @Header('content-type', 'text/html; charset=utf-8')
  kinds(@Req() req: Request, @Query('done') done?: string) {
    return this.kindsPage(req, { notice: done ? 'Interview kinds saved.' : undefined });
  }

  @Post('interview-kinds')
  async setKinds(@Body() body: Record<string, unknown>, @CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const typed = str(body.kinds);
    await renderOnRefusal(
      res,
      async () => {
        await this.interviews.setKinds(
          typed
            .split(/\r?\n/)
            .map((k) => k.trim())
            .filter(Boolean),
          me.id,
        );
        res.redirect(303, '/admin/interview-kinds?done=1');
      },
      (message) => this.kindsPage(req, { error: message, typed }),
    );
  }

  // ---- webhooks ----------------------------------------------------------------------------

  private async webhooksPage(
    req: Request,
    me: Principal,
    form: { error?: string; values?: Record<string, unknown> } = {},
    notice?: string,
  ) {
    const endpoints = (await this.webhooks.list()).map(endpointDto);
    const values = form.values ?? {};
    const chosen = list(values.events);
    return this.render(req, 'admin-webhooks', 'Webhooks', {
      endpoints: endpoints.map((e) => ({
        ...e,
        eventNames: e.events.map((x) => EVENT_WORDS[x] ?? x).join('; '),
        created: this.when(e.createdAt, me.timezone),
      })),
      events: WEBHOOK_EVENTS.map((x) => ({ value: x, label: EVENT_WORDS[x] ?? x, checked: chosen.includes(x) })),
      values,
      error: form.error,
      notice,
      zone: me.timezone,
    });
  }

  @Get('webhooks')
  @Header('content-type', 'text/html; charset=utf-8')
  webhooksList(@Req() req: Request, @CurrentUser() me: Principal, @Query('done') done?: string) {
    return this.webhooksPage(req, me, {}, done === 'deleted' ? 'The webhook and its delivery log were removed.' : undefined);
  }

  @Post('webhooks')
  async createWebhook(@Body() body: Record<string, unknown>, @CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const values = { url: str(body.url), description: str(body.description), events: list(body.events) };
    await renderOnRefusal(
      res,
      async () => {
        if (!values.events.length) throw badRequest('Choose at least one event to send');
        const dto = await validated(CreateWebhookDto, {
          url: values.url,
          secret: str(body.secret),
          events: values.events,
          ...(values.description ? { description: values.description } : {}),
        });
        const created = await this.webhooks.create(dto, me.id);
        res.redirect(303, `/admin/webhooks/${created.id}?done=created`);
      },
      (message) => this.webhooksPage(req, me, { error: message, values }),
    );
  }

  private async webhookPage(
    req: Request,
    id: string,
    me: Principal,
    opts: { error?: string; notice?: string; editError?: string; values?: { url: string; description: string; events: string[] } } = {},
  ) {
    const endpoint = endpointDto(await this.webhooks.get(id));
    const edit = opts.values ?? { url: endpoint.url, description: endpoint.description ?? '', events: endpoint.events };
    const deliveries = await this.webhooks.deliveries(id, { limit: 50, offset: 0 });
    return this.render(req, 'admin-webhook', 'Webhook deliveries', {
      e: { ...endpoint, eventNames: endpoint.events.map((x) => EVENT_WORDS[x] ?? x) },
      deliveries: deliveries.map((d) => ({
        ...d,
        eventName: EVENT_WORDS[d.eventType] ?? d.eventType,
        statusText: DELIVERY_WORDS[d.status] ?? d.status,
        statusClass: d.status === 'succeeded' ? 'ok' : d.status === 'failed' ? 'bad' : '',
        created: this.when(d.createdAt, me.timezone),
        next: this.when(d.nextAttemptAt, me.timezone),
        lastResponse: d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? ''),
        attemptsLog: d.log.map((a) => ({
          ...a,
          at: this.when(a.at, me.timezone),
          result: a.statusCode ? `HTTP ${a.statusCode}` : (a.error ?? 'no answer'),
        })),
        redelivered: !!d.redeliveryOf,
      })),
      zone: me.timezone,
      error: opts.error,
      notice: opts.notice,
      editError: opts.editError,
      edit: {
        ...edit,
        events: WEBHOOK_EVENTS.map((x) => ({ value: x, label: EVENT_WORDS[x] ?? x, checked: edit.events.includes(x) })),
        open: !!opts.editError,
      },
    });
  }

  @Get('webhooks/:id')
  @Header('content-type', 'text/html; charset=utf-8')
  webhook(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @CurrentUser() me: Principal, @Query('done') done?: string) {
    const notices: Record<string, string> = {
      created: 'Webhook added. Deliveries appear below as events happen.',
      redelivered: 'Sent again: the new delivery is at the top of the list.',
      on: 'The webhook is on.',
      off: 'The webhook is off: nothing is sent until you turn it on.',
      saved: 'Webhook saved. Deliveries from now on use the new settings.',
      rotated: 'Webhook saved with a new signing secret: deliveries from now on are signed with it.',
    };
    return this.webhookPage(req, id, me, { notice: done ? notices[done] : undefined });
  }

  @Post('webhooks/:id')
  async updateWebhook(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const action = str(body.action);
    if (action === 'save') return this.saveWebhook(id, body, me, req, res);
    await renderOnRefusal(
      res,
      async () => {
        if (action === 'delete') {
          await this.webhooks.remove(id);
          return res.redirect(303, '/admin/webhooks?done=deleted');
        }
        if (action !== 'on' && action !== 'off') throw badRequest('Choose to turn the webhook on or off, or delete it');
        await this.webhooks.update(id, { enabled: action === 'on' });
        res.redirect(303, `/admin/webhooks/${id}?done=${action}`);
      },
      (message) => this.webhookPage(req, id, me, { error: message }),
    );
  }

  /** Edit the address, events and description; a new signing secret when one is typed (rotation). */
  private async saveWebhook(id: string, body: Record<string, unknown>, me: Principal, req: Request, res: Response) {
    const values = { url: str(body.url).trim(), description: str(body.description).trim(), events: list(body.events) };
    const secret = str(body.secret);
    await renderOnRefusal(
      res,
      async () => {
        if (!values.url) throw badRequest('Give the address the events are sent to');
        if (!values.events.length) throw badRequest('Choose at least one event to send');
        if (secret && secret.length < 16) throw badRequest('The new signing secret must be 16 characters or more');
        const dto = await validated(UpdateWebhookDto, {
          url: values.url,
          events: values.events,
          description: values.description,
          ...(secret ? { secret } : {}),
        });
        await this.webhooks.update(id, dto);
        res.redirect(303, `/admin/webhooks/${id}?done=${secret ? 'rotated' : 'saved'}`);
      },
      (message) => this.webhookPage(req, id, me, { editError: message, values }),
    );
  }

  @Post('webhooks/:id/deliveries/:deliveryId/redeliver')
  async redeliver(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @CurrentUser() me: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await renderOnRefusal(
      res,
      async () => {
        await this.webhooks.redeliver(id, deliveryId, me.id);
        res.redirect(303, `/admin/webhooks/${id}?done=redelivered#deliveries`);
      },
      (message) => this.webhookPage(req, id, me, { error: message }),
    );
  }

  // ---- retention and privacy settings ------------------------------------------------------

  private async settingsPage(req: Request, opts: { error?: string; notice?: string; months?: string } = {}) {
    const [retention, hooks] = await Promise.all([this.settings.retention(), this.settings.webhooks()]);
    return this.render(req, 'admin-settings', 'Retention and privacy', {
      retention,
      months: opts.months ?? String(retention.defaultMonths),
      hooks,
      error: opts.error,
      notice: opts.notice,
    });
  }

  @Get('settings')
  @Header('content-type', 'text/html; charset=utf-8')
  settingsGet(@Req() req: Request, @Query('done') done?: string) {
    return this.settingsPage(req, { notice: done ? 'Settings saved.' : undefined });
  }

  @Post('settings')
  async settingsPost(@Body() body: Record<string, unknown>, @CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const months = str(body.defaultMonths);
    await renderOnRefusal(
      res,
      async () => {
        const dto = await validated(RetentionSettingsDto, { defaultMonths: /^\d+$/.test(months) ? Number(months) : months });
        await this.settings.set(SETTING.retentionDefaultMonths, dto.defaultMonths, me.id);
        await this.settings.set(SETTING.webhooksAllowPrivate, ['on', 'true'].includes(str(body.allowPrivateTargets)), me.id);
        res.redirect(303, '/admin/settings?done=1');
      },
      (message) => this.settingsPage(req, { error: message, months }),
    );
  }

  // ---- audit log ---------------------------------------------------------------------------

  @Get('audit')
  @Header('content-type', 'text/html; charset=utf-8')
  async auditLog(@Req() req: Request, @CurrentUser() me: Principal, @Query() q: Record<string, unknown>, @Res() res: Response) {
    const tz = me.timezone || 'UTC';
    const f = { actorId: str(q.actorId), entity: str(q.entity), from: str(q.from), to: str(q.to), before: str(q.before) };
    const day = (v: string, name: string, plusOne = false) => {
      if (!v) return undefined;
      const d = DateTime.fromISO(v, { zone: tz });
      if (!d.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw badRequest(`${name} must be a date such as 2027-01-15`);
      return (plusOne ? d.plus({ days: 1 }) : d).startOf('day').toJSDate();
    };
    const users = await this.identity.listUsers();
    let error: string | undefined;
    let items: Array<ReturnType<typeof auditDto>> = [];
    const limit = 50;
    try {
      if (f.actorId && !/^[0-9a-f-]{36}$/i.test(f.actorId)) throw badRequest('Choose a person from the list');
      if (f.before && !/^\d{1,18}$/.test(f.before)) throw badRequest('The page link is broken; start again from the first page');
      items = await this.audit.list({
        actorId: f.actorId || undefined,
        entityType: f.entity || undefined,
        from: day(f.from, 'From'),
        to: day(f.to, 'To', true),
        before: f.before || undefined,
        limit,
      });
    } catch (e) {
      error = refusalOf(e).message;
    }
    const ids = new Set<string>(users.map((u) => u.id));
    for (const i of items) {
      if (i.entity.id) ids.add(i.entity.id);
      for (const c of Object.values((i.changes as Record<string, { before?: unknown; after?: unknown }>) ?? {}))
        for (const v of [c?.before, c?.after]) if (typeof v === 'string') ids.add(v);
    }
    const names = await this.directory.names(ids);
    const time = (iso: string) => this.when(iso, tz);
    const entries = items.map((i) => {
      const d = describeAudit(
        {
          method: i.method,
          route: i.route,
          entity: i.entity,
          changes: i.changes as never,
          outcome: i.outcome,
          statusCode: i.statusCode,
          error: i.error,
          body: i.body,
        },
        names,
        time,
      );
      return {
        ...d,
        at: this.when(i.at, tz),
        iso: new Date(i.at).toISOString(),
        who: (i.actor.id ? names.get(i.actor.id) : undefined) ?? 'someone no longer on file',
        via: i.actor.via === 'cookie' ? 'in the pages' : 'through the API',
      };
    });
    const nextQuery =
      items.length === limit
        ? new URLSearchParams({
            ...Object.fromEntries(Object.entries(f).filter(([k, v]) => v && k !== 'before')),
            before: String(items[items.length - 1].id),
          }).toString()
        : null;
    this.send(
      res,
      error ? 400 : 200,
      this.render(req, 'admin-audit', 'Audit log', {
        entries,
        error,
        f,
        zone: tz,
        nextQuery,
        actors: users.map((u) => ({ id: u.id, name: u.name, selected: u.id === f.actorId })),
        entities: AUDIT_ENTITIES.map(([value, label]) => ({ value, label, selected: value === f.entity })),
      }),
    );
  }
}
