import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { Role } from '../identity/user.entity';
import { applicationDto } from '../pipeline/applications.service';
import { CompleteScreening } from './complete-screening.usecase';
import { CreateScreeningDto, MatchAnswerDto, PreviewScreeningDto, ScreeningFormInputDoc } from './dto/screening.dto';
import { formDto, ScreeningService, sessionDto } from './screening.service';

@ApiController('', 'screening')
@Roles(Role.Recruiter, Role.HiringManager)
export class ScreeningController {
  constructor(
    private readonly screening: ScreeningService,
    private readonly complete: CompleteScreening,
  ) {}

  @Get('openings/:id/screening-form')
  @ApiOperation({ summary: "The opening's current screening form with its lint findings" })
  async currentForm(@Param('id', ParseUUIDPipe) id: string) {
    return formDto(await this.screening.current(id));
  }

  @Get('openings/:id/screening-form/versions/:version')
  @ApiOperation({ summary: 'One past version of the screening form' })
  async formVersion(@Param('id', ParseUUIDPipe) id: string, @Param('version') version: string) {
    return formDto(await this.screening.version(id, Number.parseInt(version, 10) || 0));
  }

  /** Validated by validateForm (400 naming the fields), then linted: errors refuse the save (422), warnings are kept. */
  @Put('openings/:id/screening-form')
  @ApiOperation({ summary: 'Save a new version of the screening form (lint errors -> 422 with the findings)' })
  @ApiBody({ type: ScreeningFormInputDoc })
  async saveForm(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentUser() me: Principal) {
    return formDto(await this.screening.save(id, body, me.id));
  }

  @Post('applications/:id/screenings')
  @ApiOperation({ summary: 'Record a screening call (scored against the current form version), optionally advancing or rejecting' })
  async create(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateScreeningDto, @CurrentUser() me: Principal) {
    const { session, application } = await this.complete.execute(id, dto, { kind: 'user', id: me.id });
    return { ...sessionDto(session), application: applicationDto(application) };
  }

  @Get('applications/:id/screenings')
  @ApiOperation({ summary: 'Past screening sessions of an application, newest first' })
  async list(@Param('id', ParseUUIDPipe) id: string) {
    return (await this.screening.listSessions(id)).map(sessionDto);
  }

  @Post('screening/match')
  @HttpCode(200)
  @ApiOperation({ summary: "Does this answer match the question's canonical or accepted answers? (the page's live verdict)" })
  match(@Body() dto: MatchAnswerDto) {
    return this.screening.match(dto.openingId, dto.formVersion, dto.questionId, dto.given);
  }

  @Post('screening/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Score answers against a form version without recording anything' })
  preview(@Body() dto: PreviewScreeningDto) {
    return this.screening.preview(
      dto.openingId,
      dto.formVersion,
      dto.answers.map((a) => ({
        questionId: a.questionId,
        given: a.given ?? '',
        override: a.override ?? undefined,
        note: a.note ?? undefined,
      })),
    );
  }
}
