import { Body, Controller, Get, HttpCode, Optional, Param, Post, Query, Res } from '@nestjs/common';
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

/** The candidate's review slots through their portal link (no account: the link is the key). */
@ApiController('portal', 'portal')
@Public()
export class SelfSchedulingController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly reviews: ReviewsService,
  ) {}

  /** `{slots:[{startsAt, endsAt}], review, canMove, movableUntil}` */
  @Get(':token/slots')
  async slots(@Param('token') token: string, @Res({ passthrough: true }) res: Response) {
    res.setHeader('cache-control', 'no-store');
    const inv = await this.invitations.resolve(token);
    return this.reviews.candidateSlots(inv.applicationId);
  }

  /** Moves the review to one of the offered slots -> `{startsAt, endsAt, status}`; a slot just taken -> 409. */
  @Post(':token/slots')
  @HttpCode(200)
  async pick(@Param('token') token: string, @Body() dto: PickSlotDto) {
    const inv = await this.invitations.resolve(token);
    return this.reviews.candidatePick(inv.applicationId, dto.startsAt);
  }
}

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
    try {
      applicationId = (await this.invitations.resolve(token)).applicationId;
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
        movableUntilText: v.movableUntil ? formatInZone(v.movableUntil, zone) : null,
        slots: v.slots.map((s, i) => ({ i, value: new Date(s.startsAt).toISOString(), text: formatInZone(s.startsAt, zone, s.endsAt) })),
        notice: opts.notice,
        error: opts.error,
      }),
    );
  }

  @Get(':token/review-time')
  async show(@Param('token') token: string, @Query('done') done: string | undefined, @Res() res: Response) {
    await this.render(
      token,
      res,
      done ? { notice: 'Thank you: your code review has moved. A new invitation is on its way to your inbox.' } : {},
    );
  }

  @Post(':token/review-time')
  async pick(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const startsAt = typeof body?.startsAt === 'string' ? body.startsAt : '';
    try {
      if (!startsAt) throw new ApplicationException(ErrorCode.ValidationFailed, 'Choose one of the times first');
      const inv = await this.invitations.resolve(token);
      await this.reviews.candidatePick(inv.applicationId, startsAt);
    } catch (e) {
      if (e instanceof ApplicationException && e.code !== ErrorCode.NotFound)
        return this.render(token, res, { error: e.message, status: e.status });
      throw e;
    }
    res.redirect(303, `/portal/${encodeURIComponent(token)}/review-time?done=1`);
  }
}
