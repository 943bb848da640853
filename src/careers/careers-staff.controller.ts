import { Body, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { openingDto, OpeningsService } from '../openings/openings.service';
import { ApplicationQuestionsService } from './application-questions.service';
import { PublishingService } from './publishing.service';
import { ApplicationQuestionsDto, PublicationDto } from './dto/publication.dto';

/**
 * Staff side of the careers page: publish or unpublish an opening (recruiters and hiring managers
 * on its team, admins), its application questions, an application's answers, and the links to
 * share (the careers page, each referrer's link, job boards, partners, the internship programme).
 */
@ApiController('', 'careers')
@Roles(Role.Recruiter, Role.HiringManager)
export class CareersStaffController {
  constructor(
    private readonly publishing: PublishingService,
    private readonly questions: ApplicationQuestionsService,
    private readonly openings: OpeningsService,
    private readonly scope: TeamScope,
  ) {}

  /** Publish, unpublish or change what the careers page shows of the opening (pay range required). */
  @Put('openings/:id/publication')
  async publish(@Param('id', ParseUUIDPipe) id: string, @Body() dto: PublicationDto, @CurrentUser() me: Principal) {
    await this.scope.assertOpening(me, id, { teamRoles: ['recruiter', 'hiring_manager'], action: 'publish it' });
    return openingDto(await this.publishing.publish(id, dto));
  }

  /** Shareable links: the careers page, the caller's (or `referrerId`'s) referral link, and tracked links. */
  @Get('openings/:id/links')
  async links(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal, @Query('referrerId') referrerId?: string) {
    const opening = await this.openings.get(id);
    return this.publishing.links(opening.id, referrerId || me.id);
  }

  @Get('openings/:id/application-questions')
  async getQuestions(@Param('id', ParseUUIDPipe) id: string) {
    await this.openings.get(id);
    return this.questions.get(id);
  }

  /** Replace the questions on the opening's application form (400 naming a question the screening lint refuses). */
  @Put('openings/:id/application-questions')
  @ApiBody({ type: ApplicationQuestionsDto })
  async putQuestions(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentUser() me: Principal) {
    await this.openings.get(id);
    await this.scope.assertOpening(me, id, { teamRoles: ['recruiter', 'hiring_manager'], action: 'change its application questions' });
    return this.questions.save(id, (body ?? {}) as { passThreshold?: unknown; questions?: unknown }, me.id);
  }

  /** The applicant's answers with each verdict, the score and whether a knock-out was missed (null: none were asked). */
  @Get('applications/:id/answers')
  async answers(@Param('id', ParseUUIDPipe) id: string) {
    return { answers: await this.questions.answersOf(id) };
  }
}
