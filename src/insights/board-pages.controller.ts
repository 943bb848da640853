import { Body, Controller, Get, Header, Optional, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { AlertsService } from '../alerts/alerts.service';
import { ApplicationException, ErrorCode, notFound } from '../common/errors/application.exception';
import { formatInZone } from '../communications/ics';
import { ApplicationsService } from '../pipeline/applications.service';
import { nextStage } from '../pipeline/domain/stages';
import { Clock } from '../common/clock/clock';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { SurveyReport, SurveyService } from '../survey/survey.service';
import { BoardService } from './board.service';
import { flowChart, funnelChart } from './charts';
import { parseInsightsQuery } from './insights-query';
import { InsightsService } from './insights.service';

const SOURCE_NAMES: Record<string, string> = {
  referral: 'Referral',
  internship: 'Internship',
  partner: 'Partner',
  job_board: 'Job board',
  direct: 'Direct',
  other: 'Other',
};
const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
const days = (v: number | null) => (v === null ? '–' : String(Number(v.toFixed(1))));

/** The board's "Candidate experience" section: the whole opening first, then each stage where applications ended. */
function surveySection(r: SurveyReport) {
  return {
    sent: r.sent,
    answered: r.overall.answers,
    minimumAnswers: r.minimumAnswers,
    rows: [{ label: 'All stages', ...r.overall }, ...r.byStage.map((g) => ({ label: g.stageName, ...g }))],
    comments: r.comments,
  };
}

/**
 * The hiring manager's board for one opening (/dashboard/openings/:id): a column per stage, a card
 * per active candidate with business days in stage and SLA state, the open alerts with acknowledge,
 * funnel and flow charts as server-rendered SVG, and the table by source.
 */
@ApiExcludeController()
@Controller('dashboard')
@Roles(Role.Recruiter, Role.HiringManager)
export class BoardPagesController {
  constructor(
    private readonly board: BoardService,
    private readonly insights: InsightsService,
    private readonly identity: IdentityService,
    private readonly clock: Clock,
    // Pages exist only in the API process (WebModule); the worker loads this module without them.
    @Optional() private readonly views?: ViewService,
    @Optional() private readonly alerts?: AlertsService,
    @Optional() private readonly apps?: ApplicationsService,
    @Optional() private readonly surveys?: SurveyService,
  ) {}

  @Get('openings/:id')
  @Header('content-type', 'text/html; charset=utf-8')
  async page(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @CurrentUser() me: Principal,
    actionError?: string,
  ) {
    const now = this.clock.now();
    const window = parseInsightsQuery({ from: query.from, to: query.to });
    const [b, alerts, funnel, flow, survey] = await Promise.all([
      this.board.board(id, now),
      this.board.openAlerts(id, me.id, me.roles.includes(Role.Admin)),
      this.insights.funnel({ ...window, openingId: id }),
      this.insights.flow({ ...window, openingId: id }),
      this.surveys?.report(id),
    ]);
    const sources = funnel.bySource.map((s) => {
      const f = flow.bySource.find((x) => x.source === s.source)!;
      return {
        source: SOURCE_NAMES[s.source] ?? s.source,
        applications: s.totals.applications,
        hired: s.totals.hired,
        rejected: s.totals.rejected,
        withdrew: s.totals.withdrew,
        hireRate: pct(s.totals.hireRate),
        timeToHire: days(f.timeToHire.medianBusinessDays),
        checkins: f.sla.checkins,
        breaches: f.sla.breaches,
      };
    });
    // Each stale alert with what can be done about its candidate from here.
    const cards = new Map(b.columns.flatMap((c) => c.cards.map((card) => [card.applicationId, { card, stage: c }] as const)));
    const alertRows = (alerts as Array<{ id: string; level: string; message: string; applicationId: string | null; createdAt: Date }>).map(
      (a) => {
        const on = a.applicationId ? cards.get(a.applicationId) : undefined;
        const next = on ? nextStage(b.opening.stages, on.stage.key) : undefined;
        return {
          ...a,
          since: formatInZone(a.createdAt, me.timezone || 'UTC'),
          candidateName: on?.card.candidateName ?? null,
          stageName: on?.stage.name ?? null,
          next: next ? { key: next.key, name: next.name } : null,
        };
      },
    );
    const done = typeof query.done === 'string' ? query.done : '';
    const who = typeof query.application === 'string' ? (cards.get(query.application)?.card.candidateName ?? null) : null;
    const confirmations: Record<string, string> = {
      acknowledged: who ? `Acknowledged the alert about ${who}.` : 'Alert acknowledged.',
      nudged: who
        ? `The recruiter was asked to get in touch with ${who}; it is on their dashboard.`
        : 'The recruiter was asked to get in touch.',
      'already-nudged': who ? `The recruiter was already asked about ${who}.` : 'The recruiter was already asked.',
      moved: who ? `${who} moved to ${cards.get(String(query.application))?.stage.name ?? 'the next stage'}.` : 'Moved to the next stage.',
    };
    return this.views!.render('board', {
      title: `${b.opening.title} · board`,
      ...pageContext(req, this.identity),
      alertRows,
      survey: survey ? surveySection(survey) : null,
      confirmation: confirmations[done] ?? null,
      actionError,
      stageCount: b.columns.length,
      opening: b.opening,
      zone: me.timezone || 'UTC',
      columns: b.columns.map((c) => ({
        ...c,
        count: c.cards.length,
        cards: c.cards.map((card) => ({
          ...card,
          deadlineText: DateTime.fromJSDate(new Date(card.deadlineAt), { zone: me.timezone || 'UTC' })
            .setLocale('en-GB')
            .toFormat('ccc d LLL, HH:mm'),
        })),
      })),
      counts: b.counts,
      active: b.active,
      alerts,
      next: `/dashboard/openings/${id}`,
      window: { from: typeof query.from === 'string' ? query.from : '', to: typeof query.to === 'string' ? query.to : '' },
      funnelSvg: funnelChart(
        funnel.stages.map((s) => ({ name: s.name, entered: s.entered, advanced: s.advanced, conversion: s.conversion })),
      ),
      flowSvg: flowChart(
        flow.stages.map((s) => ({ name: s.name, visits: s.visits, median: s.medianBusinessDays, p90: s.p90BusinessDays })),
      ),
      funnel: funnel.stages.map((s) => ({ ...s, conversionText: pct(s.conversion) })),
      flow: flow.stages.map((s) => ({
        ...s,
        medianText: days(s.medianBusinessDays),
        p90Text: days(s.p90BusinessDays),
        stddevText: days(s.stddevBusinessDays),
      })),
      timeToHire: {
        ...flow.timeToHire,
        medianText: days(flow.timeToHire.medianBusinessDays),
        p90Text: days(flow.timeToHire.p90BusinessDays),
      },
      sla: flow.sla,
      sources,
    });
  }

  private back(res: Response, openingId: string, done: string, applicationId: string | null): void {
    res.redirect(303, `/dashboard/openings/${openingId}?done=${done}${applicationId ? `&application=${applicationId}` : ''}#stale-alerts`);
  }

  /** The alert, which must be about this opening (404 otherwise, as for someone else's alert). */
  private async alertOf(openingId: string, alertId: string, me: Principal) {
    const rows = await this.board.openAlerts(openingId, me.id, me.roles.includes(Role.Admin));
    const alert = rows.find((a) => a.id === alertId);
    if (!alert) throw notFound('Alert');
    return alert;
  }

  /** Acknowledge from the board: back to the alerts with a confirmation, not to the top of the page. */
  @Post('openings/:id/alerts/:alertId/ack')
  async ack(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('alertId', ParseUUIDPipe) alertId: string,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const alert = await this.alertOf(id, alertId, me);
    await this.alerts!.ack(alertId, me.id, me.roles.includes(Role.Admin));
    this.back(res, id, 'acknowledged', alert.applicationId);
  }

  /** Ask the opening's recruiter to get in touch with the candidate: an alert on their dashboard and in their digest. */
  @Post('openings/:id/alerts/:alertId/nudge')
  async nudge(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('alertId', ParseUUIDPipe) alertId: string,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    const alert = await this.alertOf(id, alertId, me);
    const { opening } = await this.board.board(id, this.clock.now());
    const raised = await this.alerts!.raiseOnce({
      kind: 'nudge',
      dedupeKey: `nudge:${alertId}`,
      recipientId: opening.recruiterId,
      applicationId: alert.applicationId ?? undefined,
      openingId: id,
      message: `${me.name} asks you to get in touch: ${alert.message}`,
      data: { alertId, askedBy: me.id },
    });
    this.back(res, id, raised ? 'nudged' : 'already-nudged', alert.applicationId);
  }

  /** Move the candidate of a stale alert on to the next stage (the same rule as the API's transition). */
  @Post('openings/:id/applications/:applicationId/advance')
  async advance(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Body() body: Record<string, unknown>,
    @Query() query: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    try {
      const to = typeof body.to === 'string' ? body.to : '';
      if (!to) throw new ApplicationException(ErrorCode.ValidationFailed, 'Choose the stage to move to');
      const app = await this.apps!.get(applicationId);
      if (app.openingId !== id) throw notFound('Application');
      await this.apps!.transition(applicationId, to, 'Moved on from the board', { kind: 'user', id: me.id });
      this.back(res, id, 'moved', applicationId);
    } catch (e) {
      if (!(e instanceof ApplicationException) || e.code === ErrorCode.NotFound) throw e;
      res
        .status(e.status)
        .type('html')
        .send(await this.page(id, {}, req, me, `Not moved: ${e.message}`));
    }
  }
}
