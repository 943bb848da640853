import { Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { parseInsightsQuery } from './insights-query';
import { InsightsService } from './insights.service';

const filters = [
  ApiQuery({ name: 'openingId', required: false }),
  ApiQuery({ name: 'from', required: false, description: 'ISO date or instant (a date alone: its UTC midnight)' }),
  ApiQuery({ name: 'to', required: false, description: 'ISO date (inclusive) or instant (exclusive); default now' }),
  ApiQuery({ name: 'by', required: false, enum: ['source'], description: 'bySource is always included' }),
];
const apply =
  (...ds: MethodDecorator[]): MethodDecorator =>
  (t, k, d) =>
    ds.forEach((x) => x(t, k, d));

@ApiController('insights', 'insights')
@Roles(Role.Recruiter, Role.HiringManager)
export class InsightsController {
  constructor(
    private readonly insights: InsightsService,
    private readonly scope: TeamScope,
  ) {}

  @Get('funnel')
  @apply(...filters)
  @ApiOperation({ summary: 'Per stage: entered, advanced, rejected, withdrew, conversion (visits started in the window), by source too' })
  funnel(@Query() q: Record<string, unknown>, @CurrentUser() me: Principal) {
    return this.insights.funnel({ ...parseInsightsQuery(q), viewer: this.scope.viewer(me) });
  }

  @Get('assignments')
  @apply(...filters)
  @ApiOperation({
    summary:
      "Per take-home assignment version: invited, submitted, graded, pass rate, candidates' feedback (invitations made in the window)",
  })
  assignments(@Query() q: Record<string, unknown>, @CurrentUser() me: Principal) {
    return this.insights.assignments({ ...parseInsightsQuery(q), viewer: this.scope.viewer(me) });
  }

  @Get('flow')
  @apply(...filters)
  @ApiOperation({
    summary:
      'Per stage: median, p90 and standard deviation of business days in stage, SLA check-ins and breaches; time to hire; by source too',
  })
  flow(@Query() q: Record<string, unknown>, @CurrentUser() me: Principal) {
    return this.insights.flow({ ...parseInsightsQuery(q), viewer: this.scope.viewer(me) });
  }
}
