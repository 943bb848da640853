import { Body, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { badRequest, forbidden } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { BusyBlockDto, CancelReviewDto, OutcomeDto } from './dto/review.dto';
import { reviewDto, ReviewsService } from './reviews.service';

const uuid = /^[0-9a-f-]{36}$/i;

@ApiController('reviews', 'reviews')
@Roles(Role.Engineer, Role.HiringManager, Role.Recruiter)
export class ReviewsController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly scope: TeamScope,
  ) {}

  @Get()
  async list(@CurrentUser() me: Principal, @Query('reviewerId') reviewerId?: string, @Query('applicationId') applicationId?: string) {
    if (reviewerId && !uuid.test(reviewerId)) throw badRequest('reviewerId must be a UUID');
    if (applicationId && !uuid.test(applicationId)) throw badRequest('applicationId must be a UUID');
    return (await this.reviews.list({ reviewerId, applicationId, viewer: this.scope.viewer(me) })).map(reviewDto);
  }

  /** The review packet: grading result, files and the focus excerpt. */
  @Get(':id')
  packet(@Param('id', ParseUUIDPipe) id: string) {
    return this.reviews.packet(id);
  }

  @Post(':id/outcome')
  @HttpCode(200)
  @Roles(Role.Engineer, Role.HiringManager)
  async outcome(@Param('id', ParseUUIDPipe) id: string, @Body() dto: OutcomeDto, @CurrentUser() me: Principal) {
    await this.reviews.assertDecider(id, me);
    return reviewDto(await this.reviews.outcome(id, dto, { kind: 'user', id: me.id }));
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  async reschedule(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    return reviewDto(await this.reviews.reschedule(id, { kind: 'user', id: me.id }));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CancelReviewDto, @CurrentUser() me: Principal) {
    return reviewDto(await this.reviews.cancel(id, dto.reason, { kind: 'user', id: me.id }));
  }
}

/** Engineers mark busy blocks on their own calendar (admins on anyone's). */
@ApiController('users', 'reviews')
@Roles(Role.Engineer)
export class BusyBlocksController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly clock: Clock,
  ) {}

  private check(me: Principal, userId: string) {
    if (!me.roles.includes(Role.Admin) && me.id !== userId) throw forbidden('You can only manage your own busy blocks');
  }

  @Post(':id/busy')
  async add(@Param('id', ParseUUIDPipe) id: string, @Body() dto: BusyBlockDto, @CurrentUser() me: Principal) {
    this.check(me, id);
    return this.reviews.addBusy(id, dto);
  }

  /** `[{startsAt, endsAt, source: "calendar"|"manual"|"platform"}]` in [from, to) (default: the next 14 days); the person, an admin, recruiters and hiring managers. */
  @Get(':id/busy')
  @Roles(Role.Engineer, Role.Recruiter, Role.HiringManager)
  async list(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal, @Query('from') from?: string, @Query('to') to?: string) {
    if (!me.roles.some((r) => r === Role.Admin || r === Role.Recruiter || r === Role.HiringManager)) this.check(me, id);
    const parse = (v: string | undefined, name: string, fallback: Date) => {
      if (v === undefined || v === '') return fallback;
      const d = new Date(v);
      if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v)) throw badRequest(`${name} must be an ISO 8601 instant`);
      return d;
    };
    const start = parse(from, 'from', this.clock.now());
    return this.reviews.busyView(id, start, parse(to, 'to', new Date(start.getTime() + 14 * 86_400_000)));
  }

  @Delete(':id/busy/:blockId')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string, @Param('blockId', ParseUUIDPipe) blockId: string, @CurrentUser() me: Principal) {
    this.check(me, id);
    await this.reviews.removeBusy(id, blockId);
  }
}
