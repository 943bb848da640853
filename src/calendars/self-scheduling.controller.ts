import { Body, Controller, Delete, Get, HttpCode, Optional, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { InvitationsService } from '../assessments/invitations.service';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { formatInZone } from '../communications/ics';
import { Public } from '../identity/decorators';
import { ReviewsService } from '../reviews/reviews.service';
import { ViewService } from '../web/view.service';
import { PickSlotDto } from './dto/calendar.dto';

/**
 * The application a candidate's link opens: the take-home portal link or a self-scheduling offer's
 * link (e-mailed with the offered times); `home` when the take-home page exists for it.
 */
export async function resolvePortalLink(
  invitations: InvitationsService,
  reviews: ReviewsService,
  token: string,
): Promise<{ applicationId: string; home: boolean }> {
  try {
    return { applicationId: (await invitations.resolve(token)).applicationId, home: true };
  } catch (e) {
    if (!(e instanceof ApplicationException) || e.code !== ErrorCode.NotFound) throw e;
    const applicationId = await reviews.offerLinkApplication(token);
    if (!applicationId) throw e;
    return { applicationId, home: false };
  }
}

/** The candidate's review slots through their portal link (no account: the link is the key). */
@ApiController('portal', 'portal')
@Public()
export class SelfSchedulingController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly reviews: ReviewsService,
  ) {}

  /** `{slots:[{startsAt, endsAt}], review, offer, canPick, canMove, canCancel, movableUntil, candidateTimezone}` */
  @Get(':token/slots')
  async slots(@Param('token') token: string, @Res({ passthrough: true }) res: Response) {
    res.setHeader('cache-control', 'no-store');
    const link = await resolvePortalLink(this.invitations, this.reviews, token);
    return this.reviews.candidateSlots(link.applicationId);
  }

  /** Books (first pick) or moves the review to one of the offered slots -> `{startsAt, endsAt, status}`; a slot just taken -> 409. */
  @Post(':token/slots')
  @HttpCode(200)
  async pick(@Param('token') token: string, @Body() dto: PickSlotDto) {
    const link = await resolvePortalLink(this.invitations, this.reviews, token);
    return this.reviews.candidatePick(link.applicationId, dto.startsAt);
  }

  /** Cancels the booked review (until the notice) -> `{status: "cancelled"}`; times are offered again. */
  @Delete(':token/slots')
  @HttpCode(200)
  async cancel(@Param('token') token: string) {
    const link = await resolvePortalLink(this.invitations, this.reviews, token);
    return this.reviews.candidateCancel(link.applicationId);
  }
}

const DONE: Record<string, string> = {
  '1': 'Thank you: your code review has moved. A new invitation is on its way to your inbox.',
  booked: 'Thank you: your code review is booked. The invitation is on its way to your inbox.',
  cancelled: 'Your code review is cancelled. You can choose a new time below whenever you are ready.',
};

/** The page: the review's time and the free slots as a plain form (works without JavaScript). */
@ApiExcludeController()
@Controller('portal')
@Public()
export class SelfSchedulingPagesController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly reviews: ReviewsService,
    @Optional() private readonly views?: ViewService,
  ) {}

  private async render(token: string, res: Response, opts: { notice?: string; error?: string; status?: number } = {}) {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-robots-tag', 'noindex, nofollow');
    res.type('html');
    let applicationId: string;
    let home = false;
    try {
      ({ applicationId, home } = await resolvePortalLink(this.invitations, this.reviews, token));
    } catch (e) {
      if (e instanceof ApplicationException && e.code === ErrorCode.NotFound)
        return res.status(404).send(this.views!.render('portal-not-found', { title: 'This link does not work' }));
      throw e;
    }
    const v = await this.reviews.candidateSlots(applicationId);
    const zone = v.candidateTimezone;
    res.status(opts.status ?? 200).send(
      this.views!.render('portal-review-time', {
        title: 'Your code review time',
        token,
        zone,
        review: v.review
          ? { ...v.review, text: formatInZone(v.review.startsAt, zone, v.review.endsAt), iso: new Date(v.review.startsAt).toISOString() }
          : null,
        canMove: v.canMove,
        canPick: v.canPick,
        canCancel: v.canCancel,
        home,
        offerUntilText: v.offer ? formatInZone(v.offer.expiresAt, zone) : null,
        movableUntilText: v.movableUntil ? formatInZone(v.movableUntil, zone) : null,
        slots: v.slots.map((s, i) => ({ i, value: new Date(s.startsAt).toISOString(), text: formatInZone(s.startsAt, zone, s.endsAt) })),
        notice: opts.notice,
        error: opts.error,
      }),
    );
  }

  @Get(':token/review-time')
  async show(@Param('token') token: string, @Query('done') done: string | undefined, @Res() res: Response) {
    await this.render(token, res, done ? { notice: DONE[done] ?? DONE['1'] } : {});
  }

  @Post(':token/review-time')
  async pick(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const startsAt = typeof body?.startsAt === 'string' ? body.startsAt : '';
    let done = '1';
    try {
      if (!startsAt) throw new ApplicationException(ErrorCode.ValidationFailed, 'Choose one of the times first');
      const link = await resolvePortalLink(this.invitations, this.reviews, token);
      const before = await this.reviews.candidateSlots(link.applicationId);
      await this.reviews.candidatePick(link.applicationId, startsAt);
      done = before.review ? '1' : 'booked';
    } catch (e) {
      if (e instanceof ApplicationException && e.code !== ErrorCode.NotFound)
        return this.render(token, res, { error: e.message, status: e.status });
      throw e;
    }
    res.redirect(303, `/portal/${encodeURIComponent(token)}/review-time?done=${done}`);
  }

  @Post(':token/review-time/cancel')
  async cancel(@Param('token') token: string, @Res() res: Response) {
    try {
      const link = await resolvePortalLink(this.invitations, this.reviews, token);
      await this.reviews.candidateCancel(link.applicationId);
    } catch (e) {
      if (e instanceof ApplicationException && e.code !== ErrorCode.NotFound)
        return this.render(token, res, { error: e.message, status: e.status });
      throw e;
    }
    res.redirect(303, `/portal/${encodeURIComponent(token)}/review-time?done=cancelled`);
  }
}
