import { Body, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import { Response } from 'express';
import { CandidateSearchService } from '../candidates/candidate-search.service';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { BulkApplicationsService } from './bulk-applications.service';
import { BulkDto } from './dto/bulk.dto';

@ApiController('applications', 'applications')
@Roles(Role.Recruiter, Role.HiringManager)
export class BulkApplicationsController {
  constructor(
    private readonly bulk: BulkApplicationsService,
    private readonly scope: TeamScope,
  ) {}

  /** Move, reject or message a selection; each application goes through the single-action use case (one message each). */
  @Post('bulk')
  @HttpCode(200)
  // Applications outside the caller's hiring teams fail one by one as "not found".
  async run(@Body() dto: BulkDto, @CurrentUser() me: Principal) {
    return this.bulk.run(dto, { kind: 'user', id: me.id }, { openingIds: await this.scope.openingIds(me) });
  }

  /** The filtered applications as CSV, streamed. */
  @Get('export.csv')
  @ApiProduces('text/csv')
  async exportCsv(
    @CurrentUser() me: Principal,
    @Res() res: Response,
    @Query('openingId') openingId?: string,
    @Query('stage') stage?: string,
    @Query('status') status?: string,
    @Query('source') source?: string,
  ) {
    CandidateSearchService.check({ openingId, status });
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('content-disposition', `attachment; filename="applications-${new Date().toISOString().slice(0, 10)}.csv"`);
    const scope = { openingIds: await this.scope.openingIds(me) };
    await this.bulk.exportCsv(
      { openingId: openingId || undefined, stage: stage || undefined, status: status || undefined, source: source || undefined },
      res,
      scope,
    );
  }
}
