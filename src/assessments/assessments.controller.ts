import { Body, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { Role } from '../identity/user.entity';
import { Actor } from '../timeline/timeline.entity';
import { assignmentDto, AssignmentsService, versionDto } from './assignments.service';
import { STAFF_UPLOAD_MAX_BYTES } from './domain';
import { CreateAssignmentDto, ExtendDto, InviteDto } from './dto/assignment.dto';
import { InvitationsService } from './invitations.service';
import { submissionDto, SubmissionsService } from './submissions.service';
import { parseMultipart } from './upload';

const actorOf = (me: Principal): Actor => ({ kind: 'user', id: me.id });

export function download(file: { buffer: Buffer; filename: string; contentType: string; sha256: string }, res: Response): StreamableFile {
  res.setHeader('x-content-sha256', file.sha256);
  res.setHeader('cache-control', 'no-store');
  return new StreamableFile(file.buffer, {
    type: file.contentType,
    disposition: `attachment; filename="${file.filename}"`,
    length: file.buffer.length,
  });
}

/** Assignments and versions: engineers and hiring managers write, recruiters read. */
@ApiController('assignments', 'assessments')
@Roles(Role.HiringManager, Role.Engineer)
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Post()
  async create(@Body() dto: CreateAssignmentDto, @CurrentUser() me: Principal) {
    return assignmentDto(await this.assignments.create(dto, actorOf(me)), []);
  }

  @Get()
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  async list() {
    return (await this.assignments.list()).map((a) => assignmentDto(a));
  }

  @Get(':id')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return assignmentDto(await this.assignments.get(id), await this.assignments.versions(id));
  }

  @Post(':id/versions')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['hiddenTests', 'referenceSolution'],
      properties: {
        hiddenTests: { type: 'string', format: 'binary', description: 'zip or tar.gz of the hidden tests (never shown to candidates)' },
        starter: { type: 'string', format: 'binary', description: 'zip or tar.gz the candidate downloads after signing the attestation' },
        referenceSolution: {
          type: 'string',
          format: 'binary',
          description: 'zip or tar.gz that must pass every hidden test before publishing',
        },
        instructions: { type: 'string', description: 'Markdown; defaults to the assignment instructions' },
      },
    },
  })
  async createVersion(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() me: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.assignments.get(id);
    const { files, fields } = await parseMultipart(req, res, {
      fileFields: ['hiddenTests', 'starter', 'referenceSolution'],
      textFields: ['instructions'],
      maxFileBytes: STAFF_UPLOAD_MAX_BYTES,
    });
    const v = await this.assignments.createVersion(
      id,
      {
        hiddenTests: files.hiddenTests,
        starter: files.starter,
        referenceSolution: files.referenceSolution,
        instructions: fields.instructions,
      },
      actorOf(me),
    );
    return versionDto(v);
  }

  @Get(':id/versions')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  async versions(@Param('id', ParseUUIDPipe) id: string) {
    await this.assignments.get(id);
    return (await this.assignments.versions(id)).map(versionDto);
  }

  @Get(':id/versions/:version')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  async version(@Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number) {
    return versionDto(await this.assignments.getVersion(id, version));
  }

  /** Runs the reference solution in the sandbox; 422 with the failing tests unless all pass. */
  @Post(':id/versions/:version/publish')
  @HttpCode(200)
  async publish(@Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number, @CurrentUser() me: Principal) {
    return versionDto(await this.assignments.publish(id, version, actorOf(me)));
  }

  /** Engineers (and admins) only: never recruiters, never a candidate link. */
  @Get(':id/versions/:version/hidden-tests')
  @Roles(Role.Engineer)
  async hiddenTests(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    return download(await this.assignments.hiddenTests(id, version), res);
  }

  @Get(':id/versions/:version/feedback')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  feedback(@Param('id', ParseUUIDPipe) id: string, @Param('version', ParseIntPipe) version: number) {
    return this.assignments.feedbackSummary(id, version);
  }
}

/** Take-home invitations and submissions of one application. */
@ApiController('applications', 'assessments')
@Roles(Role.Recruiter, Role.HiringManager)
export class ApplicationAssessmentsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly submissions: SubmissionsService,
  ) {}

  @Post(':id/invitations')
  invite(@Param('id', ParseUUIDPipe) id: string, @Body() dto: InviteDto, @CurrentUser() me: Principal) {
    return this.invitations.invite(id, dto.assignmentId, actorOf(me));
  }

  @Get(':id/invitations')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  listInvitations(@Param('id', ParseUUIDPipe) id: string) {
    return this.invitations.listForApplication(id);
  }

  @Get(':id/submissions')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  async listSubmissions(@Param('id', ParseUUIDPipe) id: string) {
    return (await this.submissions.listForApplication(id)).map(submissionDto);
  }
}

@ApiController('invitations', 'assessments')
@Roles(Role.Recruiter, Role.HiringManager)
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post(':id/extend')
  @HttpCode(200)
  extend(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ExtendDto, @CurrentUser() me: Principal) {
    return this.invitations.extend(id, dto.days, actorOf(me));
  }
}

@ApiController('submissions', 'assessments')
@Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return submissionDto(await this.submissions.get(id));
  }

  /** Every file with its contents, for the review packet. */
  @Get(':id/files')
  files(@Param('id', ParseUUIDPipe) id: string) {
    return this.submissions.files(id);
  }
}
