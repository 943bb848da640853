import { Body, Controller, Get, Header, Optional, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { badRequest } from '../common/errors/application.exception';
import { formatInZone } from '../communications/ics';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { kindName } from '../interviews/interview-context';
import { InterviewsService } from '../interviews/interviews.service';
import { ApplicationsService } from '../pipeline/applications.service';
import { CandidatesService } from '../candidates/candidates.service';
import { field, renderOnRefusal } from '../web/flash';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { InterviewOffersService } from './interview-offers.service';

const ROWS = 3;
const STATUS_TEXT: Record<string, string> = {
  open: 'Waiting for the candidate to choose',
  expired: 'Expired without an answer',
  withdrawn: 'Withdrawn (replaced by newer times, or the application closed)',
};
const statusText = (status: string, closedBy: string | null) =>
  status === 'booked' ? (closedBy === 'candidate' ? 'Booked by the candidate' : 'Booked by the team') : (STATUS_TEXT[status] ?? status);

/**
 * Staff: let the candidate choose when their interview loop starts (the page behind "Let the
 * candidate choose interview times" on the application page). The form takes what
 * `POST /api/v1/applications/:id/interview-offers` takes (sessions: kind, interviewers, length;
 * the break) and calls the same service; the page shows the current offer in the viewer's zone:
 * the times e-mailed, until when, whether the candidate picked, the loop booked and earlier rounds.
 */
@ApiExcludeController()
@Controller('dashboard/applications')
@Roles(Role.Recruiter, Role.HiringManager)
export class InterviewTimesPageController {
  constructor(
    private readonly offers: InterviewOffersService,
    private readonly identity: IdentityService,
    private readonly apps: ApplicationsService,
    private readonly candidates: CandidatesService,
    private readonly interviews: InterviewsService,
    @Optional() private readonly views?: ViewService,
  ) {}

  private async page(
    req: Request,
    id: string,
    me: Principal,
    opts: { notice?: string; error?: string; values?: Record<string, string> } = {},
  ): Promise<string> {
    const zone = me.timezone || 'UTC';
    const application = await this.apps.get(id);
    const [candidate, state, kinds, staff] = await Promise.all([
      this.candidates.get(application.candidateId),
      this.offers.staffView(id),
      this.interviews.kinds(),
      this.identity.listUsers(),
    ]);
    const values = opts.values ?? {};
    const people = staff.filter((u) => !u.disabledAt).map((u) => ({ id: u.id, name: u.name }));
    const when = (d: Date | string | null) => (d ? formatInZone(new Date(d), zone) : '');
    const latest = state.latest;
    const upcoming = state.upcoming;
    return this.views!.render('interview-times', {
      title: `Interview times for ${candidate.name}`,
      ...pageContext(req, this.identity),
      application,
      candidate,
      active: application.status === 'active',
      zone,
      notice: opts.notice,
      error: opts.error,
      latest: latest && {
        ...latest,
        open: latest.status === 'open',
        booked: latest.status === 'booked',
        expired: latest.status === 'expired',
        statusText: statusText(latest.status, latest.closedBy),
        againText:
          latest.round > 1
            ? `offer ${latest.round}: ${latest.after === 'cancelled' ? 'the candidate cancelled the interviews they had booked' : 'the earlier times were not answered in time'}`
            : null,
        offeredText: when(latest.offeredAt),
        expiresText: when(latest.expiresAt),
        closedText: when(latest.closedAt),
        times: latest.slots.map((x) => formatInZone(new Date(x.startsAt), zone, new Date(x.endsAt))),
        planText: latest.plan.sessions.map((x) => `${x.kindText}, ${x.durationMinutes} minutes, with ${x.interviewers.join(' and ')}`),
        breakMinutes: latest.plan.breakMinutes,
      },
      loop: state.loop && {
        intact: state.loop.intact,
        sessions: state.loop.sessions.map((x) => ({
          text: `${x.kindText} with ${x.interviewers.join(' and ')}: ${formatInZone(new Date(x.startsAt), zone, new Date(x.endsAt))}`,
          cancelled: x.status !== 'scheduled',
          moved: x.sequence > 0 && x.status === 'scheduled',
        })),
      },
      history: state.history.slice(1).map((h) => ({
        text: `Offer ${h.round}: offered ${when(h.offeredAt)}; ${statusText(h.status, h.closedBy).toLowerCase()}${h.closedAt ? ` (${when(h.closedAt)})` : ''}`,
      })),
      rows: Array.from({ length: ROWS }, (_, n) => ({
        n,
        number: n + 1,
        kinds: kinds.map((k) => ({ key: k, name: kindName(k), selected: values[`kind_${n}`] === k })),
        first: people.map((p) => ({ ...p, selected: values[`interviewer_${n}`] === p.id })),
        second: people.map((p) => ({ ...p, selected: values[`interviewer2_${n}`] === p.id })),
        duration: values[`duration_${n}`] ?? '60',
      })),
      breakMinutes: values.breakMinutes ?? '15',
      stillBooked: upcoming.length > 0 && {
        count: upcoming.length,
        firstText: formatInZone(new Date(upcoming[0].startsAt), zone),
        anotherRound: values.anotherRound === 'yes',
      },
    });
  }

  @Get(':id/interview-times')
  @Header('content-type', 'text/html; charset=utf-8')
  show(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @CurrentUser() me: Principal, @Query('done') done?: string) {
    return this.page(req, id, me, {
      notice: done ? 'Interview times offered: the candidate has them by e-mail with a link to choose one.' : undefined,
    });
  }

  @Post(':id/interview-times')
  async offer(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(body ?? {})) if (k !== '_csrf' && typeof v === 'string' && v.length <= 200) values[k] = v;
    await renderOnRefusal(
      res,
      async () => {
        const plan = this.offers.parsePlan(this.planFromForm(body));
        // A loop booked from an earlier offer still to come: new times book a second loop, so ask first.
        if (field(body, 'anotherRound') !== 'yes' && (await this.offers.upcomingSessions(id)).length)
          throw badRequest(
            'The candidate still has interviews booked from earlier times. Tick "These times are for another round" to offer more, or cancel the booked interviews on the application page first',
          );
        await this.offers.offer(id, plan, { kind: 'user', id: me.id });
        res.redirect(303, `/dashboard/applications/${id}/interview-times?done=1`);
      },
      (message) => this.page(req, id, me, { error: message, values }),
    );
  }

  /** The form's rows as the API's plan, refusing in plain words what the API would refuse by field name. */
  private planFromForm(body: Record<string, unknown>) {
    const sessions: Array<{ kind: string; interviewerIds: string[]; durationMinutes: number }> = [];
    for (let n = 0; n < ROWS; n++) {
      const kind = field(body, `kind_${n}`);
      const ids = [field(body, `interviewer_${n}`), field(body, `interviewer2_${n}`)].filter((x): x is string => !!x);
      if (!kind && !ids.length) continue;
      const label = `Session ${n + 1}`;
      if (!kind) throw badRequest(`${label}: choose what kind of interview it is`);
      if (!ids.length) throw badRequest(`${label}: choose at least one interviewer`);
      const raw = field(body, `duration_${n}`) ?? '';
      const minutes = Number(raw);
      if (!/^\d+$/.test(raw) || minutes < 15 || minutes > 240)
        throw badRequest(`${label}: the length must be a whole number of minutes from 15 to 240`);
      sessions.push({ kind, interviewerIds: ids, durationMinutes: minutes });
    }
    if (!sessions.length) throw badRequest('Fill in at least one session: its kind, an interviewer and its length');
    const rawBreak = field(body, 'breakMinutes') ?? '15';
    const breakMinutes = Number(rawBreak);
    if (!/^\d+$/.test(rawBreak) || breakMinutes < 15 || breakMinutes > 120)
      throw badRequest('The break between sessions must be a whole number of minutes from 15 to 120');
    return { sessions, breakMinutes };
  }
}
