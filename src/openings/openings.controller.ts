import { Body, Get, Param, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiController } from '../common/http/api-controller';
import { TemplateService } from '../communications/template.service';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { Role } from '../identity/user.entity';
import { CreateOpeningDto, TemplateOverrideDto, UpdateOpeningDto } from './dto/opening.dto';
import { openingDto, OpeningsService } from './openings.service';

@ApiController('openings', 'openings')
@Roles(Role.Recruiter, Role.HiringManager)
export class OpeningsController {
  constructor(private readonly openings: OpeningsService, private readonly templates: TemplateService) {}

  @Post()
  @Roles(Role.HiringManager, Role.Recruiter)
  async create(@Body() dto: CreateOpeningDto) {
    return openingDto(await this.openings.create(dto));
  }

  @Get()
  async list() {
    return (await this.openings.list()).map(openingDto);
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return openingDto(await this.openings.get(id));
  }

  @Patch(':id')
  @Roles(Role.HiringManager)
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateOpeningDto) {
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
  async putTemplate(@Param('id', ParseUUIDPipe) id: string, @Param('key') key: string, @Body() dto: TemplateOverrideDto, @CurrentUser() me: Principal) {
    await this.openings.get(id);
    return this.templates.saveOverride(id, key, dto, me.id);
  }
}
