import { Body, Controller, Delete, Get, HttpCode, Optional, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { InvitationsService } from '../assessments/invitations.service';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { formatInZone } from '../communications/ics';
import { CurrentUser, Principal, Public, Roles } from '../identity/decorators';
import { Role } from '../identity/user.entity';
import { ReviewsService } from '../reviews/reviews.service';
import { ViewService } from '../web/view.service';
import { InterviewOffersService } from './interview-offers.service';
import { resolvePortalLink } from './self-scheduling.controller';

/** Staff: offer the candidate start times for an interview loop. */
@ApiController('applications', 'interviews')
@Roles(Role.Recruiter, Role.HiringManager)
export class InterviewOffersController {
  constructor(private readonly offers: InterviewOffersService) {}

  /** `{sessions:[{kind, interviewerIds, durationMinutes}], breakMinutes?}` -> `{id, expiresAt, options}`; nothing fits -> 422. */
  @Post(':id/interview-offers')
  async create(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentUser() me: Principal) {
    return this.offers.offer(id, this.offers.parsePlan(body), { kind: 'user', id: me.id });
  }
}

/** The candidate's interview times through their link (no account: the link is the key). */
@ApiController('portal', 'portal')
@Public()
export class InterviewSlotsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly reviews: ReviewsService,
    private readonly offers: InterviewOffersService,
  ) {}

  /**
   * `{offer, canPick, options:[{startsAt, endsAt, sessions:[{kind, startsAt, endsAt}]}], booked, canMove, canCancel,
   * movableUntil, contact:{name, email}, candidateTimezone}`: before the pick, the offer's start times; after it, the
   * times the booked loop may move to until `movableUntil`.
   */
  @Get(':token/interview-slots')
  async slots(@Param('token') token: string, @Res({ passthrough: true }) res: Response) {
    res.setHeader('cache-control', 'no-store');
    const link = await resolvePortalLink(this.invitations, this.reviews, token);
    return this.offers.candidateView(link.applicationId);
  }

  /**
   * `{startsAt}` books the whole loop (first pick) or moves the booked loop to start then (until the
   * notice) -> `{sessions, count, status: "booked"|"moved"}`; a time just taken, or a loop changed
   * meanwhile -> 409.
   */
  @Post(':token/interview-slots')
  @HttpCode(200)
  async pick(@Param('token') token: string, @Body() body: { startsAt?: unknown }) {
    const link = await resolvePortalLink(this.invitations, this.reviews, token);
    return this.offers.pick(link.applicationId, body?.startsAt as string);
  }

  /** Cancels the booked loop (until the notice) -> `{status: "cancelled", reoffered}`; times are offered again on the same link. */
  @Delete(':token/interview-slots')
  @HttpCode(200)
  async cancel(@Param('token') token: string) {
    const link = await resolvePortalLink(this.invitations, this.reviews, token);
    return this.offers.candidateCancel(link.applicationId);
  }
}

const DONE: Record<string, string> = {
  '1': 'Thank you: your interviews are booked. The invitations are on their way to your inbox.',
  booked: 'Thank you: your interviews are booked. The invitations are on their way to your inbox.',
  moved: 'Thank you: your interviews have moved. The updated invitations are on their way to your inbox.',
  cancelled: 'Your interviews are cancelled. You can choose new times below whenever you are ready.',
};

@ApiExcludeController()
@Controller('portal')
@Public()
export class InterviewTimePageController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly reviews: ReviewsService,
    private readonly offers: InterviewOffersService,
    @Optional() private readonly views?: ViewService,
  ) {}

  private async render(token: string, res: Response, opts: { notice?: string; error?: string; status?: number } = {}) {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-robots-tag', 'noindex, nofollow');
    res.type('html');
    let link: { applicationId: string; home: boolean };
    try {
      link = await resolvePortalLink(this.invitations, this.reviews, token);
    } catch (e) {
      if (e instanceof ApplicationException && e.code === ErrorCode.NotFound)
        return res.status(404).send(this.views!.render('portal-not-found', { title: 'This link does not work' }));
      throw e;
    }
    const v = await this.offers.candidateView(link.applicationId);
    const zone = v.candidateTimezone;
    const clock = (d: Date) =>
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(d);
    res.status(opts.status ?? 200).send(
      this.views!.render('portal-interview-time', {
        title: 'Your interview times',
        token,
        zone,
        home: link.home,
        canPick: v.canPick,
        offerUntilText: v.offer ? formatInZone(v.offer.expiresAt, zone) : null,
        options: v.options.map((o, i) => ({
          i,
          value: new Date(o.startsAt).toISOString(),
          text: formatInZone(o.startsAt, zone, o.endsAt),
          detail: o.sessions.map((s) => `${s.kindText} ${clock(s.startsAt)}–${clock(s.endsAt)}`).join(', '),
        })),
        booked: v.booked.map((b) => ({ text: `${b.kindText}: ${formatInZone(b.startsAt, zone, b.endsAt)}` })),
        canMove: v.canMove,
        canCancel: v.canCancel,
        movableUntilText: v.movableUntil ? formatInZone(v.movableUntil, zone) : null,
        contact: v.contact,
        notice: opts.notice,
        error: opts.error,
      }),
    );
  }

  @Get(':token/interview-time')
  async show(@Param('token') token: string, @Query('done') done: string | undefined, @Res() res: Response) {
    await this.render(token, res, done ? { notice: DONE[done] ?? DONE['1'] } : {});
  }

  @Post(':token/interview-time')
  async pick(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const startsAt = typeof body?.startsAt === 'string' ? body.startsAt : '';
    let done = 'booked';
    try {
      if (!startsAt) throw new ApplicationException(ErrorCode.ValidationFailed, 'Choose one of the times first');
      const link = await resolvePortalLink(this.invitations, this.reviews, token);
      done = (await this.offers.pick(link.applicationId, startsAt)).status;
    } catch (e) {
      if (e instanceof ApplicationException && e.code !== ErrorCode.NotFound)
        return this.render(token, res, { error: e.message, status: e.status });
      throw e;
    }
    res.redirect(303, `/portal/${encodeURIComponent(token)}/interview-time?done=${done}`);
  }

  @Post(':token/interview-time/cancel')
  async cancel(@Param('token') token: string, @Res() res: Response) {
    try {
      const link = await resolvePortalLink(this.invitations, this.reviews, token);
      await this.offers.candidateCancel(link.applicationId);
    } catch (e) {
      if (e instanceof ApplicationException && e.code !== ErrorCode.NotFound)
        return this.render(token, res, { error: e.message, status: e.status });
      throw e;
    }
    res.redirect(303, `/portal/${encodeURIComponent(token)}/interview-time?done=cancelled`);
  }
}
