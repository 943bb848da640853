import { Body, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiController } from '../common/http/api-controller';
import { badRequest } from '../common/errors/application.exception';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { candidateDto, CandidatesService } from './candidates.service';
import { CreateCandidateDto } from './dto/candidate.dto';

@ApiController('candidates', 'candidates')
@Roles(Role.Recruiter, Role.HiringManager)
export class CandidatesController {
  constructor(private readonly candidates: CandidatesService, private readonly scope: TeamScope) {}

  @Post()
  async create(@Body() dto: CreateCandidateDto) {
    return candidateDto(await this.candidates.create(dto));
  }

  @Get()
  async find(@CurrentUser() me: Principal, @Query('email') email?: string) {
    if (!email) throw badRequest('query parameter email is required');
    const c = await this.candidates.findByEmail(email);
    // Only candidates of the caller's teams (or not yet in any opening) are found.
    if (!c || !(await this.scope.assertCandidate(me, c.id).then(() => true, () => false))) return [];
    return [candidateDto(c)];
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return candidateDto(await this.candidates.get(id));
  }
}
