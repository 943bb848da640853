import { Body, Get, Headers, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { badRequest } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { Public } from '../identity/decorators';
import { download } from './assessments.controller';
import { candidateView } from './domain';
import { AttestationDto, FeedbackDto } from './dto/assignment.dto';
import { PortalService } from './portal.service';
import { SubmitSolution } from './submit-solution.usecase';
import { parseMultipart } from './upload';

/** Reads the candidate's upload (field "file"), cut off at the assignment's cap while it streams. */
export async function readSubmissionUpload(submit: SubmitSolution, token: string, req: Request, res: Response) {
  const cap = await submit.uploadCap(token);
  const { files } = await parseMultipart(req, res, { fileFields: ['file'], maxFileBytes: cap });
  if (!files.file)
    throw badRequest('Attach your zip or tar.gz archive as the multipart field "file"', {
      fields: [{ field: 'file', errors: ['required'] }],
    });
  return files.file;
}

/**
 * The candidate's JSON paths. Public (no staff session or bearer token plays any part): the link
 * token in the path is checked on every call and reaches only its own invitation.
 */
@ApiController('portal', 'portal')
@Public()
export class PortalController {
  constructor(
    private readonly portal: PortalService,
    private readonly submit: SubmitSolution,
  ) {}

  @Get(':token')
  view(@Param('token') token: string, @Res({ passthrough: true }) res: Response) {
    res.setHeader('cache-control', 'no-store');
    return this.portal.view(token);
  }

  @Post(':token/attestation')
  attest(@Param('token') token: string, @Body() dto: AttestationDto, @Req() req: Request) {
    return this.portal.attest(token, dto.fullName, { ip: req.ip, userAgent: req.get('user-agent') });
  }

  @Get(':token/starter')
  async starter(@Param('token') token: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return download(await this.portal.starter(token), res);
  }

  @Post(':token/submission')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'zip or tar.gz, up to the assignment cap (default 10 MB)' } },
    },
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key return the first submission' })
  async submission(
    @Param('token') token: string,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const file = await readSubmissionUpload(this.submit, token, req, res);
    const { submission, replayed } = await this.submit.execute({
      token,
      file: { buffer: file.buffer, originalName: file.originalName },
      idempotencyKey: key,
    });
    if (replayed) res.setHeader('idempotent-replayed', 'true');
    const view = candidateView(submission.status, submission.result, 'status_only', []);
    return {
      id: submission.id,
      status: view.status,
      number: submission.seq,
      sha256: submission.sha256,
      sizeBytes: submission.sizeBytes,
      receivedAt: submission.createdAt,
      replayed,
    };
  }

  @Get(':token/status')
  status(@Param('token') token: string, @Res({ passthrough: true }) res: Response) {
    res.setHeader('cache-control', 'no-store');
    return this.portal.status(token);
  }

  @Post(':token/feedback')
  feedback(@Param('token') token: string, @Body() dto: FeedbackDto) {
    return this.portal.feedback(token, dto);
  }
}
