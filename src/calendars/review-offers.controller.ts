import { Body, Controller, Get, Header, HttpCode, Optional, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { Clock } from '../common/clock/clock';
import { ApplicationException, badRequest, ErrorCode } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { formatInZone } from '../communications/ics';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Unscoped } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { reviewDto, ReviewsService } from '../reviews/reviews.service';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { CalendarsService } from './calendars.service';

const STATUSES = ['open', 'booked', 'expired', 'withdrawn'];
const STATUS_TEXT: Record<string, string> = {
  open: 'Waiting for the candidate',
  booked: 'Booked',
  expired: 'Expired without a pick',
  withdrawn: 'Application closed',
};

/** What happens when an open offer expires without a pick, in words. */
function thenText(kind: string, left: number): string {
  const more = left === 1 ? '1 more offer' : `${left} more offers`;
  if (kind === 'review')
    return left > 0
      ? `If no time is picked by then, new times are sent (${more} before the review is booked automatically).`
      : 'Last offer: if no time is picked by then, the review is booked automatically.';
  return left > 0
    ? `If no time is picked by then, new times are sent (${more} left).`
    : 'Last offer: if no time is picked by then, please book the interviews yourself.';
}

/** Staff: the code-review times offered to candidates (self-scheduling), and booking one directly. */
@ApiController('review-offers', 'reviews')
@Roles(Role.Recruiter, Role.HiringManager)
@Unscoped()
export class ReviewOffersController {
  constructor(private readonly reviews: ReviewsService) {}

  /** `[{id, kind: "review"|"interview", applicationId, candidateName, openingTitle, round, status, offeredAt, expiresAt, closedAt, bookedBy, reviewId}]` (your teams' openings). */
  @Get()
  list(@CurrentUser() me: Principal, @Query('status') status?: string) {
    if (status !== undefined && !STATUSES.includes(status)) throw badRequest(`status must be one of ${STATUSES.join(', ')}`);
    return this.reviews.listOffers(me, status);
  }

  /** The recruiter books directly: `{startsAt?}` (one of the free times; default the earliest) -> the review; taken -> 409. */
  @Post(':id/book')
  @HttpCode(201)
  async book(@Param('id', ParseUUIDPipe) id: string, @Body() body: { startsAt?: unknown }, @CurrentUser() me: Principal) {
    if (body?.startsAt !== undefined && typeof body.startsAt !== 'string') throw badRequest('startsAt must be an ISO 8601 instant');
    return reviewDto(await this.reviews.bookOfferAsStaff(id, body?.startsAt as string | undefined, { kind: 'user', id: me.id }, me));
  }
}

/** The page behind "Review times" in the navigation. */
@ApiExcludeController()
@Controller('review-offers')
@Roles(Role.Recruiter, Role.HiringManager)
@Unscoped()
export class ReviewOffersPageController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly identity: IdentityService,
    private readonly clock: Clock,
    private readonly calendars: CalendarsService,
    @Optional() private readonly views?: ViewService,
  ) {}

  private async page(req: Request, me: Principal, opts: { notice?: string; error?: string } = {}) {
    const zone = me.timezone || 'UTC';
    const [offers, setting] = await Promise.all([this.reviews.listOffers(me), this.calendars.scheduling()]);
    // Review and interview offers both follow the saved setting (else the environment's).
    return this.views!.render('review-offers', {
      title: 'Review time offers',
      ...pageContext(req, this.identity),
      zone,
      notice: opts.notice,
      error: opts.error,
      selfScheduling: setting.selfScheduleOffers,
      canChangeSetting: me.roles.includes(Role.Admin),
      offers: offers.map((o) => ({
        ...o,
        open: o.status === 'open',
        roundText: `offer ${o.round} of ${Math.max(setting.offerRounds, o.round)}`,
        thenText: thenText(o.kind, Math.max(setting.offerRounds - o.round, 0)),
        canBook: o.status === 'open' && o.kind === 'review',
        kindText: o.kind === 'review' ? 'Code review' : 'Interviews',
        statusText:
          o.status === 'booked' ? (o.bookedBy === 'candidate' ? 'Booked by the candidate' : 'Booked by the team') : STATUS_TEXT[o.status],
        offeredText: formatInZone(o.offeredAt, zone),
        expiresText: formatInZone(o.expiresAt, zone),
      })),
      now: formatInZone(this.clock.now(), zone),
    });
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  list(@Req() req: Request, @CurrentUser() me: Principal, @Query('done') done?: string) {
    return this.page(req, me, { notice: done ? 'The review is booked; both sides get the invitation.' : undefined });
  }

  @Post(':id/book')
  async book(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @CurrentUser() me: Principal, @Res() res: Response) {
    try {
      await this.reviews.bookOfferAsStaff(id, undefined, { kind: 'user', id: me.id }, me);
    } catch (e) {
      if (!(e instanceof ApplicationException) || e.code === ErrorCode.NotFound) throw e;
      res
        .status(e.status)
        .type('html')
        .send(await this.page(req, me, { error: e.message }));
      return;
    }
    res.redirect(303, '/review-offers?done=1');
  }
}
