import { Body, Get, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { addBusinessHours } from './domain';
import { FileScorecardDto, ScorecardTemplateDto } from './dto/scorecard.dto';
import { ScorecardsService } from './scorecards.service';

const viewer = (me: Principal) => ({ id: me.id, isAdmin: me.roles.includes(Role.Admin) });

/** Scorecards and the decision (paths under /api/v1). */
@ApiController('', 'scorecards')
@Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
export class ScorecardsController {
  constructor(
    private readonly scorecards: ScorecardsService,
    private readonly scope: TeamScope,
  ) {}

  @Get('scorecards/owed')
  @ApiOperation({ summary: 'The scorecards the caller still owes (sessions they sat on, not yet filed), with when each is due' })
  async owed(@CurrentUser() me: Principal) {
    return (await this.scorecards.owedBy(me.id)).map(({ holidays: _h, ...o }) => ({
      ...o,
      dueAt: addBusinessHours(o.endsAt, o.dueBusinessHours, me.timezone || 'UTC', _h),
    }));
  }

  @Get('openings/:id/scorecard')
  @ApiOperation({
    summary:
      "The opening's competencies (rubric per score 1-4), decision rule, feedback due time and anonymous review setting (defaults when never set)",
  })
  template(@Param('id', ParseUUIDPipe) id: string) {
    return this.scorecards.template(id);
  }

  @Put('openings/:id/scorecard')
  @Roles(Role.Recruiter, Role.HiringManager)
  @ApiOperation({ summary: 'Set the competencies and the decision rule. A "culture fit" competency is refused (422) with the reason.' })
  async setTemplate(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ScorecardTemplateDto, @CurrentUser() me: Principal) {
    // The opening's recruiter or hiring manager (owner or named on its team), as the page checks.
    await this.scope.assertOpening(me, id, { teamRoles: ['recruiter', 'hiring_manager'], action: "change the opening's scorecard" });
    return this.scorecards.setTemplate(id, dto, me.id);
  }

  @Post('interviews/:id/scorecards')
  @ApiOperation({
    summary:
      "File or amend the caller's scorecard for an interview (its interviewers only; history kept; refused once the decision is made)",
  })
  fileInterview(@Param('id', ParseUUIDPipe) id: string, @Body() dto: FileScorecardDto, @CurrentUser() me: Principal) {
    return this.scorecards.file('interview', id, dto, viewer(me));
  }

  @Post('reviews/:id/scorecards')
  @ApiOperation({ summary: "File or amend the caller's scorecard for a code review (its reviewer only)" })
  fileReview(@Param('id', ParseUUIDPipe) id: string, @Body() dto: FileScorecardDto, @CurrentUser() me: Principal) {
    return this.scorecards.file('review', id, dto, viewer(me));
  }

  @Get('applications/:id/scorecards')
  @ApiOperation({
    summary:
      "The application's scorecards with their history. No anchoring: until you file yours you see only your own; the opening's hiring manager and admins see all.",
  })
  list(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    return this.scorecards.forApplication(id, viewer(me));
  }

  @Get('applications/:id/decision')
  @ApiOperation({
    summary: "The opening's decision rule evaluated now: {rule, satisfied, reason, expected, filed, missing, counts, waitingFor}",
  })
  decision(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    return this.scorecards.decision(id, viewer(me));
  }
}
