import { Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiController } from '../common/http/api-controller';
import { Roles } from '../identity/decorators';
import { Role } from '../identity/user.entity';
import { SurveyService } from './survey.service';

@ApiController('openings', 'insights')
@Roles(Role.Recruiter, Role.HiringManager)
export class SurveyController {
  constructor(private readonly surveys: SurveyService) {}

  @Get(':id/experience-survey')
  @ApiOperation({
    summary:
      "Candidates' experience survey for the opening: NPS, promoters/passives/detractors and 'kept informed' answers, overall and per stage where applications ended; figures null for groups under 5 answers; comments without names",
  })
  report(@Param('id', ParseUUIDPipe) id: string) {
    return this.surveys.report(id);
  }
}
