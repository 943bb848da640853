import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { buildValidationPipe } from '../common/http/validation';
import { Request, Response } from 'express';
import { parseMultipart } from '../assessments/upload';
import { ApiController } from '../common/http/api-controller';
import { badRequest } from '../common/errors/application.exception';
import { CurrentUser, Principal, Public, Roles } from '../identity/decorators';
import { Unscoped } from '../identity/team-scope';
import { ALL_ROLES } from '../identity/user.entity';
import { ApplyUseCase } from './apply.usecase';
import { answersFromFields, APPLY_TEXT_FIELDS } from './careers-pages.controller';
import { CareersService } from './careers.service';
import { sourceFromLink } from './domain/application-source';
import { RESUME_MAX_BYTES } from './domain/resume-sniff';
import { ApplyDto } from './dto/apply.dto';

const validation = buildValidationPipe();

@ApiController('careers', 'careers')
export class CareersController {
  constructor(
    private readonly careers: CareersService,
    private readonly apply: ApplyUseCase,
  ) {}

  /** Published openings (what /careers shows), for a company site that lists them itself. */
  @Public()
  @Get('openings')
  async openings(@Query('location') location?: string, @Query('remote') remote?: string) {
    const list = await this.careers.list({ location: location?.slice(0, 200), remote: remote === 'true' || remote === 'yes' });
    return list.map((o) => ({ ...o, url: `${this.careers.baseUrl}/careers/${o.id}` }));
  }

  /**
   * The caller's personal referral link for an opening (applications through it record them as the
   * referrer). Any employee may refer to any published opening: not limited to hiring teams.
   */
  @Roles(...ALL_ROLES)
  @Unscoped()
  @Get('referral-link')
  async referralLink(@Query('openingId') openingId: string, @CurrentUser() me: Principal) {
    if (!openingId) throw badRequest('query parameter openingId is required');
    const o = await this.careers.get(openingId);
    return { url: `${this.careers.baseUrl}/careers/${o.id}?ref=${me.id}` };
  }

  /**
   * Apply (the careers form's API twin): JSON (résumé as base64) or multipart/form-data with the
   * form's fields and a `resume` file. 201 `{applicationId, candidateId, status:"received"}`;
   * 409 for a second application to the same opening; 422 for a résumé that is not a readable PDF or DOCX.
   */
  @Public()
  @Post(':openingId/applications')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: ApplyDto })
  async create(
    @Param('openingId') openingId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    let input;
    if (req.is('multipart/form-data')) {
      const { fields, files } = await parseMultipart(req, res, {
        fileFields: ['resume'],
        textFields: APPLY_TEXT_FIELDS,
        maxFileBytes: RESUME_MAX_BYTES,
        maxFieldBytes: 8 * 1024,
      });
      input = {
        name: fields.name,
        email: fields.email,
        timezone: fields.timezone,
        consent: ['yes', 'true', 'on'].includes(fields.consent ?? ''),
        links: [fields.codeUrl, fields.otherUrl, ...(fields.links ?? '').split(/\s+/)].filter((l): l is string => Boolean(l)),
        honeypot: fields.website,
        source: sourceFromLink({ source: fields.source, ref: fields.ref }),
        resume: files.resume?.buffer.length ? { bytes: files.resume.buffer, originalName: files.resume.originalName } : undefined,
        answersByIndex: answersFromFields(fields),
      };
    } else {
      const dto: ApplyDto = await validation.transform(body ?? {}, { type: 'body', metatype: ApplyDto });
      const bytes = dto.resume ? Buffer.from(dto.resume.contentBase64, 'base64') : undefined;
      input = {
        name: dto.name,
        email: dto.email,
        timezone: dto.timezone,
        consent: dto.consent,
        links: dto.links,
        honeypot: dto.website,
        source: sourceFromLink({ source: dto.source, ref: dto.ref }),
        resume: bytes ? { bytes, originalName: dto.resume!.fileName } : undefined,
        answers: dto.answers,
      };
    }
    const result = await this.apply.execute({ ...input, openingId, ip: req.ip ?? 'unknown' });
    if (result.kind === 'ignored') return { status: 'received' };
    return { status: 'received', applicationId: result.applicationId, candidateId: result.candidateId };
  }
}
