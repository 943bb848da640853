import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { SOURCE_KINDS } from '../candidates/candidate.entity';
import { CandidatesService } from '../candidates/candidates.service';
import { CreateCandidateDto } from '../candidates/dto/candidate.dto';
import { ApplicationException, badRequest } from '../common/errors/application.exception';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { OpeningsService } from '../openings/openings.service';
import { ApplicationsService } from '../pipeline/applications.service';
import { CreateApplicationDto } from '../pipeline/dto/application.dto';
import { field, formAction, validated } from './flash';
import { sourceName, stageName } from './format';
import { pageContext } from './page-context';
import { ViewService } from './view.service';
import { ResumesService } from '../careers/resumes.service';

const actorOf = (me: Principal) => ({ kind: 'user' as const, id: me.id });
let zones: string[] | undefined;
/** Every IANA time zone the runtime knows, for the candidate's zone select. */
export function timeZones(): string[] {
  zones ??= [
    'UTC',
    ...(Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone').filter((z) => z !== 'UTC'),
  ];
  return zones;
}

/**
 * Adding a candidate (and putting them on an opening in the same step) and the candidate's
 * profile with every application. The list and search at /candidates live with the careers
 * pages. Both steps call the services the JSON routes call, with the same DTO validation.
 */
@ApiExcludeController()
@Controller('candidates')
@Roles(Role.Recruiter, Role.HiringManager)
export class CandidatePagesController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly candidates: CandidatesService,
    private readonly openings: OpeningsService,
    private readonly apps: ApplicationsService,
    private readonly scope: TeamScope,
    private readonly resumes: ResumesService,
  ) {}

  @Get('new')
  @Header('content-type', 'text/html; charset=utf-8')
  async newPage(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentUser() me: Principal) {
    const ctx = pageContext(req, this.identity, res);
    const [openings, staff] = await Promise.all([this.openings.list(this.scope.viewer(me)), this.identity.listUsers()]);
    const values = { timezone: me.timezone, sourceKind: 'direct', ...(ctx.flash?.values ?? {}) };
    return this.views.render('candidate-new', {
      title: 'Add candidate',
      ...ctx,
      values,
      openings: openings.map((o) => ({ id: o.id, title: o.title })),
      zones: timeZones(),
      sources: SOURCE_KINDS.map((k) => ({ kind: k, name: sourceName(k) })),
      staff: staff.filter((u) => !u.disabledAt).map((u) => ({ id: u.id, name: u.name })),
    });
  }

  @Post('new')
  async create(@Body() body: Record<string, unknown>, @CurrentUser() me: Principal, @Res() res: Response) {
    const kind = field(body, 'sourceKind') ?? '';
    delete body.existingId;
    await formAction(
      res,
      {
        to: (a: { id: string; toProfile?: boolean }) => (a.toProfile ? `/candidates/${a.id}` : `/dashboard/applications/${a.id}`),
        back: '/candidates/new',
        ok: (a: { name: string }) => `${a.name} added`,
        values: body,
      },
      async () => {
        const dto = await validated(CreateCandidateDto, {
          name: field(body, 'name') ?? '',
          email: field(body, 'email') ?? '',
          timezone: field(body, 'timezone') ?? '',
          source: {
            kind,
            ...(field(body, 'sourceDetail') ? { detail: field(body, 'sourceDetail') } : {}),
            ...(kind === 'referral' && field(body, 'referrerId') ? { referrerId: field(body, 'referrerId') } : {}),
          },
          ...(field(body, 'publicCodeUrl') ? { publicCodeUrl: field(body, 'publicCodeUrl') } : {}),
        });
        const openingId = field(body, 'openingId');
        if (openingId)
          await this.openings.get(openingId).catch(() => {
            throw badRequest('Choose one of the openings in the list');
          });
        const candidate = await this.candidates.create(dto).catch((e: unknown) => {
          const existingId = e instanceof ApplicationException ? (e.details as { existingId?: string }).existingId : undefined;
          if (existingId) body.existingId = existingId; // the page links to their profile
          throw e;
        });
        if (!openingId) return { id: candidate.id, name: candidate.name, toProfile: true };
        const app = await this.apps.create(candidate.id, openingId, actorOf(me));
        return { id: app.id, name: candidate.name };
      },
    );
  }

  @Get(':id')
  @Header('content-type', 'text/html; charset=utf-8')
  async profile(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() me: Principal,
  ) {
    const candidate = await this.candidates.get(id);
    const ctx = pageContext(req, this.identity, res);
    // Only the applications and openings of the viewer's hiring teams (admins: all).
    const viewer = this.scope.viewer(me);
    const [apps, openings, staff] = await Promise.all([
      this.apps.list({ candidateId: id, limit: 500, viewer }),
      this.openings.list(viewer),
      this.identity.listUsers(),
    ]);
    const byId = new Map(openings.map((o) => [o.id, o]));
    const applied = new Set(apps.map((a) => a.openingId));
    const hasResume = await this.resumes.has({ candidateId: id }, { openingIds: await this.scope.openingIds(me) });
    return this.views.render('candidate', {
      title: candidate.name,
      ...ctx,
      candidate,
      hasResume,
      source: sourceName(candidate.sourceKind),
      referrer: candidate.referrerId ? staff.find((u) => u.id === candidate.referrerId)?.name : undefined,
      applications: apps
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map((a) => ({
          ...a,
          openingTitle: byId.get(a.openingId)?.title ?? 'An opening',
          stage: stageName(a.stage, byId.get(a.openingId)?.stages),
        })),
      openings: openings.filter((o) => !applied.has(o.id)).map((o) => ({ id: o.id, title: o.title })),
    });
  }

  /** Put an existing candidate on another opening (the JSON route POST /applications). */
  @Post(':id/applications')
  async apply(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await formAction(
      res,
      {
        to: (a: { id: string }) => `/dashboard/applications/${a.id}`,
        back: `/candidates/${id}`,
        ok: 'Added to the opening; the first message is on its way',
        form: 'apply',
        values: body,
      },
      async () => {
        const dto = await validated(CreateApplicationDto, { candidateId: id, openingId: field(body, 'openingId') ?? '' });
        return this.apps.create(dto.candidateId, dto.openingId, actorOf(me));
      },
    );
  }
}
