import { Body, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiController } from '../common/http/api-controller';
import { badRequest } from '../common/errors/application.exception';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { candidateDto, CandidatesService } from './candidates.service';
import { CreateCandidateDto } from './dto/candidate.dto';
import { CandidateSearchService } from './candidate-search.service';

@ApiController('candidates', 'candidates')
@Roles(Role.Recruiter, Role.HiringManager)
export class CandidatesController {
  constructor(
    private readonly candidates: CandidatesService,
    private readonly searcher: CandidateSearchService,
    private readonly scope: TeamScope,
  ) {}

  @Post()
  async create(@Body() dto: CreateCandidateDto) {
    return candidateDto(await this.candidates.create(dto));
  }

  /**
   * `?email=` finds one person by e-mail (any case). Otherwise a search: `q` (full text over name,
   * e-mail, résumé text and notes; ranked; every word a prefix; accents ignored) and filters on
   * their applications: openingId, stage, status, source (kind), maxAgeDays / minAgeDays, limit.
   */
  @Get()
  async find(@CurrentUser() me: Principal, @Query() query: Record<string, string | undefined>) {
    const { email } = query;
    if (email) {
      const c = await this.candidates.findByEmail(email);
      // Only candidates of the caller's teams (or not yet in any opening) are found.
      if (
        !c ||
        !(await this.scope.assertCandidate(me, c.id).then(
          () => true,
          () => false,
        ))
      )
        return [];
      return [candidateDto(c)];
    }
    const int = (k: string) =>
      query[k] === undefined || query[k] === ''
        ? undefined
        : /^\d+$/.test(query[k]!)
          ? Number(query[k])
          : (() => {
              throw badRequest(`${k} must be a whole number`);
            })();
    const filter = {
      q: query.q,
      openingId: query.openingId || undefined,
      stage: query.stage || undefined,
      status: query.status || undefined,
      source: query.source || undefined,
      maxAgeDays: int('maxAgeDays'),
      minAgeDays: int('minAgeDays'),
      limit: int('limit'),
    };
    if (
      !filter.q &&
      !filter.openingId &&
      !filter.stage &&
      !filter.status &&
      !filter.source &&
      filter.maxAgeDays === undefined &&
      filter.minAgeDays === undefined
    ) {
      throw badRequest('give q (search words), email, or a filter (openingId, stage, status, source, maxAgeDays, minAgeDays)');
    }
    return this.searcher.search(filter, { openingIds: await this.scope.openingIds(me) });
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return candidateDto(await this.candidates.get(id));
  }
}
