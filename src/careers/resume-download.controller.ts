import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOperation, ApiProduces } from '@nestjs/swagger';
import { ApiController } from '../common/http/api-controller';
import { Response } from 'express';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { attachmentDisposition } from '../common/http/content-disposition';
import { ResumesService, StoredResume } from './resumes.service';

/**
 * Staff download of a candidate's résumé, from the API and from the application and candidate
 * pages. Only recruiters and hiring managers (and admins) on the hiring team of an opening the
 * résumé was sent to: the global TeamScopeGuard answers 404 outside the team for the application or
 * candidate in the path, and the query itself only returns résumés of the viewer's openings.
 * Always an attachment of the type the bytes were judged to be, never sniffed or rendered inline.
 */
@ApiController('', 'candidates')
@Roles(Role.Recruiter, Role.HiringManager)
export class ResumeDownloadController {
  constructor(
    private readonly resumes: ResumesService,
    private readonly scope: TeamScope,
  ) {}

  @Get('applications/:id/resume')
  @ApiOperation({ summary: "The résumé sent with this application (else the candidate's latest one you may see), as an attachment" })
  @ApiProduces('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  async forApplicationApi(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal, @Res() res: Response) {
    send(res, await this.resumes.latest({ applicationId: id }, { openingIds: await this.scope.openingIds(me) }));
  }

  @Get('candidates/:id/resume')
  @ApiOperation({ summary: "The candidate's latest résumé sent to an opening you may see, as an attachment" })
  @ApiProduces('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  async forCandidateApi(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal, @Res() res: Response) {
    send(res, await this.resumes.latest({ candidateId: id }, { openingIds: await this.scope.openingIds(me) }));
  }
}

/** The same downloads for the pages' links (cookie session); not part of the JSON API. */
@ApiExcludeController()
@Controller()
@Roles(Role.Recruiter, Role.HiringManager)
export class ResumePagesController {
  constructor(
    private readonly resumes: ResumesService,
    private readonly scope: TeamScope,
  ) {}

  /** The link on the application page (cookie session). */
  @Get('dashboard/applications/:id/resume')
  async forApplicationPage(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal, @Res() res: Response) {
    send(res, await this.resumes.latest({ applicationId: id }, { openingIds: await this.scope.openingIds(me) }));
  }

  /** The link on the candidate page (cookie session). */
  @Get('candidates/:id/resume')
  async forCandidatePage(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal, @Res() res: Response) {
    send(res, await this.resumes.latest({ candidateId: id }, { openingIds: await this.scope.openingIds(me) }));
  }
}

function send(res: Response, r: StoredResume): void {
  res
    .status(200)
    .set({
      'content-type': r.contentType,
      'content-disposition': attachmentDisposition(r.fileName, r.kind, 'resume'),
      'content-length': String(r.bytes.length),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'same-origin',
    })
    .end(r.bytes);
}
