import { Body, Get, Param, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiController } from '../common/http/api-controller';
import { TemplateService } from '../communications/template.service';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { Role } from '../identity/user.entity';
import { TeamScope } from '../identity/team-scope';
import { CreateOpeningDto, TemplateOverrideDto, UpdateOpeningDto } from './dto/opening.dto';
import { TeamDto } from './dto/team.dto';
import { openingDto, OpeningsService } from './openings.service';
import { TeamService } from './team.service';

@ApiController('openings', 'openings')
@Roles(Role.Recruiter, Role.HiringManager)
export class OpeningsController {
  constructor(
    private readonly openings: OpeningsService,
    private readonly templates: TemplateService,
    private readonly scope: TeamScope,
    private readonly team: TeamService,
  ) {}

  @Post()
  @Roles(Role.HiringManager, Role.Recruiter)
  async create(@Body() dto: CreateOpeningDto) {
    return openingDto(await this.openings.create(dto));
  }

  /** The openings whose hiring team the caller is on (all of them for an admin). */
  @Get()
  async list(@CurrentUser() me: Principal) {
    return (await this.openings.list(this.scope.viewer(me))).map(openingDto);
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return openingDto(await this.openings.get(id));
  }

  @Patch(':id')
  @Roles(Role.HiringManager)
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateOpeningDto, @CurrentUser() me: Principal) {
    await this.scope.assertOpening(me, id, { teamRoles: ['hiring_manager'], action: 'change the opening or its owners' });
    return openingDto(await this.openings.update(id, dto));
  }

  /** Message templates of this opening: defaults, overrides, and the variables each may use. */
  @Get(':id/templates')
  async templatesOf(@Param('id', ParseUUIDPipe) id: string) {
    await this.openings.get(id);
    return this.templates.list(id);
  }

  /** Override one template for this opening; refused (400, naming the problem) when it does not compile or names an unknown variable. */
  @Put(':id/templates/:key')
  async putTemplate(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('key') key: string,
    @Body() dto: TemplateOverrideDto,
    @CurrentUser() me: Principal,
  ) {
    await this.openings.get(id);
    await this.scope.assertOpening(me, id, {
      teamRoles: ['recruiter', 'hiring_manager'],
      action: "override the opening's message templates",
    });
    return this.templates.saveOverride(id, key, dto, me.id);
  }

  /** The hiring team: owners, named members and everyone booked on its reviews or interviews. */
  @Get(':id/team')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  teamOf(@Param('id', ParseUUIDPipe) id: string) {
    return this.team.get(id);
  }

  /** Replace the named members (the opening's hiring manager or an admin). */
  @Put(':id/team')
  @Roles(Role.HiringManager)
  async putTeam(@Param('id', ParseUUIDPipe) id: string, @Body() dto: TeamDto, @CurrentUser() me: Principal) {
    await this.openings.get(id);
    await this.scope.assertOpening(me, id, { teamRoles: ['hiring_manager'], action: 'change its hiring team' });
    return this.team.replace(id, dto.members, me.id);
  }
}
