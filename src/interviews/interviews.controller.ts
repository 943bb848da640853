import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope, Unscoped } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { Actor } from '../timeline/timeline.entity';
import { CancelInterview } from './cancel-interview.usecase';
import {
  AssignBuddyDto,
  CancelInterviewDto,
  InterviewKindsDto,
  MakeOfferDto,
  OnboardingItemDoneDto,
  ProposeLoopDto,
} from './dto/interviews.dto';
import { InterviewsService } from './interviews.service';
import { MakeOffer } from './make-offer.usecase';
import { OnboardingService } from './onboarding.service';
import { ScheduleLoop } from './schedule-loop.usecase';

const actorOf = (me: Principal): Actor => ({ kind: 'user', id: me.id });

/** Interview loops, offers and onboarding plans (paths under /api/v1). */
@ApiController('', 'interviews')
@Roles(Role.Recruiter, Role.HiringManager)
export class InterviewsController {
  constructor(
    private readonly interviews: InterviewsService,
    private readonly schedule: ScheduleLoop,
    private readonly cancelInterview: CancelInterview,
    private readonly offers: MakeOffer,
    private readonly onboarding: OnboardingService,
    private readonly scope: TeamScope,
  ) {}

  /** The new hire's onboarding: their buddy and item owners take part even when not on the hiring team. */
  private async assertOnboarding(me: Principal, applicationId: string) {
    if (!(await this.onboarding.isParticipant(applicationId, me.id))) await this.scope.assertApplication(me, applicationId);
  }

  @Get('interview-kinds')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  @ApiOperation({ summary: 'The allowed interview kinds (default: DEFAULT_INTERVIEW_KINDS)' })
  async kinds() {
    return { kinds: await this.interviews.kinds() };
  }

  @Put('interview-kinds')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Replace the allowed interview kinds (admin). A culture-fit kind is refused with the reason.' })
  async setKinds(@Body() dto: InterviewKindsDto, @CurrentUser() me: Principal) {
    return { kinds: await this.interviews.setKinds(dto.kinds, me.id) };
  }

  @Post('applications/:id/interviews')
  @ApiOperation({
    summary: 'Propose interview sessions; the whole loop is validated (422 names each rule broken); invitations with ICS go out',
  })
  propose(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ProposeLoopDto, @CurrentUser() me: Principal) {
    return this.schedule.execute(id, dto.sessions, actorOf(me));
  }

  @Get('applications/:id/interviews')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  list(@Param('id', ParseUUIDPipe) id: string) {
    return this.interviews.listForApplication(id);
  }

  @Post('interviews/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a session: METHOD:CANCEL with SEQUENCE + 1 to everyone invited' })
  cancel(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CancelInterviewDto, @CurrentUser() me: Principal) {
    return this.cancelInterview.execute(id, dto, actorOf(me));
  }

  @Post('applications/:id/offers')
  @ApiOperation({ summary: 'Make an offer within the compensation range (outside it: admin override with a reason)' })
  makeOffer(@Param('id', ParseUUIDPipe) id: string, @Body() dto: MakeOfferDto, @CurrentUser() me: Principal) {
    return this.offers.execute(id, dto, { ...actorOf(me), isAdmin: me.roles.includes(Role.Admin) });
  }

  @Get('applications/:id/offers')
  listOffers(@Param('id', ParseUUIDPipe) id: string) {
    return this.offers.list(id);
  }

  @Get('applications/:id/onboarding')
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  @ApiOperation({ summary: 'The onboarding plan made on hire: eight weeks of checklist items with owners and due dates' })
  @Unscoped()
  async getOnboarding(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    await this.assertOnboarding(me, id);
    return this.onboarding.get(id);
  }

  @Put('applications/:id/onboarding/buddy')
  @Roles(Role.HiringManager)
  @ApiOperation({ summary: 'Name the buddy (plan owner or admin): the open buddy items move to them' })
  assignBuddy(@Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignBuddyDto, @CurrentUser() me: Principal) {
    return this.onboarding.assignBuddy(id, dto.userId, me);
  }

  @Post('applications/:id/onboarding/items/:itemId')
  @HttpCode(200)
  @Roles(Role.Recruiter, Role.HiringManager, Role.Engineer)
  @ApiOperation({ summary: "Tick an onboarding item off or reopen it (the item's owner, the plan's owner or an admin)" })
  @Unscoped()
  async setItemDone(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() dto: OnboardingItemDoneDto,
    @CurrentUser() me: Principal,
  ) {
    await this.assertOnboarding(me, id);
    return this.onboarding.setItemDone(id, itemId, dto.done, me);
  }
}
