import {
  Body,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  DefaultValuePipe,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Request } from 'express';
import { AuditChangesReported, auditInStatement, reportAuditChanges } from '../audit/audit.decorators';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { inferScope, TEAM_SCOPE, TeamScope, TeamScopedInHandler } from '../identity/team-scope';
import { createPreread, CreateScopeGuard, movePreread, MoveScopeGuard } from './scope-read.guards';
import { Role } from '../identity/user.entity';
import { Actor } from '../timeline/timeline.entity';
import { applicationDto, ApplicationsService } from './applications.service';
import { CreateApplicationDto, ExemptionDto, NoteDto, RejectDto, SendMessageDto, TransitionDto, WithdrawDto } from './dto/application.dto';
import { badRequest } from '../common/errors/application.exception';

const actorOf = (me: Principal): Actor => ({ kind: 'user', id: me.id });

@ApiController('applications', 'applications')
@Roles(Role.Recruiter, Role.HiringManager)
export class ApplicationsController {
  constructor(
    private readonly apps: ApplicationsService,
    private readonly scope: TeamScope,
  ) {}

  /** The team rule on the body's `openingId` is checked by CreateScopeGuard in the create's own read; the rest as inferred. */
  @Post()
  @SetMetadata(
    TEAM_SCOPE,
    inferScope('/applications').map((r) => (r.from === 'body' && r.field === 'openingId' ? { ...r, inHandler: true } : r)),
  )
  @UseGuards(CreateScopeGuard)
  async create(@Body() dto: CreateApplicationDto, @CurrentUser() me: Principal, @Req() req: Request) {
    return applicationDto(
      await this.apps.create(dto.candidateId, dto.openingId, actorOf(me), undefined, auditInStatement(req), createPreread(req)),
    );
  }

  @Get()
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  async list(
    @Query('openingId') openingId?: string,
    @Query('stage') stage?: string,
    @Query('status') status?: string,
    @Query('after') after?: string,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit = 100,
    @CurrentUser() me?: Principal,
  ) {
    const uuid = /^[0-9a-f-]{36}$/i;
    if (openingId && !uuid.test(openingId)) throw badRequest('openingId must be a UUID');
    if (after && !uuid.test(after)) throw badRequest('after must be a UUID (the last id of the previous page)');
    if (limit < 1 || limit > 500) throw badRequest('limit must be between 1 and 500');
    return (await this.apps.list({ openingId, stage, status, after, limit, viewer: me ? this.scope.viewer(me) : null })).map((a) =>
      applicationDto(a),
    );
  }

  /** The hottest read: the row and whether the viewer is on its opening's team in one query. */
  @Get(':id')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  @TeamScopedInHandler('application')
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    const { app, onTeam } = await this.apps.getAs(id, this.scope.viewer(me));
    if (!onTeam) await this.scope.assertApplication(me, id);
    return applicationDto(app);
  }

  @Get(':id/events')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  events(@Param('id', ParseUUIDPipe) id: string) {
    return this.apps.events(id);
  }

  @Get(':id/messages')
  messages(@Param('id', ParseUUIDPipe) id: string) {
    return this.apps.messages(id);
  }

  /** A free-text message to the candidate, sent through the outbox (201 with the message id). */
  @Post(':id/messages')
  async sendMessage(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SendMessageDto, @CurrentUser() me: Principal) {
    return this.apps.sendMessage(id, dto, actorOf(me));
  }

  /** The team rule is checked by MoveScopeGuard in the move's own read (one round trip fewer). */
  @Post(':id/transitions')
  @HttpCode(200)
  @AuditChangesReported()
  @TeamScopedInHandler('application')
  @UseGuards(MoveScopeGuard)
  async transition(@Param('id', ParseUUIDPipe) id: string, @Body() dto: TransitionDto, @CurrentUser() me: Principal, @Req() req: Request) {
    const { app, changes } = await this.apps.transitionWithChanges(
      id,
      dto.to,
      dto.note,
      actorOf(me),
      auditInStatement(req),
      movePreread(req),
    );
    reportAuditChanges(req, changes);
    return applicationDto(app);
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RejectDto, @CurrentUser() me: Principal) {
    return applicationDto(
      await this.apps.terminal(id, 'reject', { reason: dto.reason, candidateMessage: dto.candidateMessage }, actorOf(me)),
    );
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  async withdraw(@Param('id', ParseUUIDPipe) id: string, @Body() dto: WithdrawDto, @CurrentUser() me: Principal) {
    return applicationDto(await this.apps.terminal(id, 'withdraw', { reason: dto.reason }, actorOf(me)));
  }

  @Post(':id/hire')
  @HttpCode(200)
  @Roles(Role.HiringManager, Role.Recruiter)
  async hire(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    return applicationDto(await this.apps.terminal(id, 'hire', {}, actorOf(me)));
  }

  @Post(':id/exemptions')
  async exemption(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ExemptionDto, @CurrentUser() me: Principal) {
    const e = await this.apps.addExemption(id, dto, actorOf(me));
    return { id: e.id, kind: e.kind, url: e.url, reason: e.reason, createdAt: e.createdAt };
  }

  @Post(':id/notes')
  @HttpCode(204)
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  async note(@Param('id', ParseUUIDPipe) id: string, @Body() dto: NoteDto, @CurrentUser() me: Principal) {
    await this.apps.addNote(id, dto.text, actorOf(me));
  }
}
