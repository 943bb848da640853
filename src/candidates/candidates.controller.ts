import { Body, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiController } from '../common/http/api-controller';
import { badRequest } from '../common/errors/application.exception';
import { Roles } from '../identity/decorators';
import { Role } from '../identity/user.entity';
import { candidateDto, CandidatesService } from './candidates.service';
import { CreateCandidateDto } from './dto/candidate.dto';

@ApiController('candidates', 'candidates')
@Roles(Role.Recruiter, Role.HiringManager)
export class CandidatesController {
  constructor(private readonly candidates: CandidatesService) {}

  @Post()
  async create(@Body() dto: CreateCandidateDto) {
    return candidateDto(await this.candidates.create(dto));
  }

  @Get()
  async find(@Query('email') email?: string) {
    if (!email) throw badRequest('query parameter email is required');
    const c = await this.candidates.findByEmail(email);
    return c ? [candidateDto(c)] : [];
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return candidateDto(await this.candidates.get(id));
  }
}
