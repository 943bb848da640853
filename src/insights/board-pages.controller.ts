import { Controller, Get, Header, Optional, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { Clock } from '../common/clock/clock';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { BoardService } from './board.service';
import { flowChart, funnelChart } from './charts';
import { parseInsightsQuery } from './insights-query';
import { InsightsService } from './insights.service';

const SOURCE_NAMES: Record<string, string> = { referral: 'Referral', internship: 'Internship', partner: 'Partner', job_board: 'Job board', direct: 'Direct', other: 'Other' };
const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
const days = (v: number | null) => (v === null ? '–' : String(Number(v.toFixed(1))));

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
  ) {}

  @Get('openings/:id')
  @Header('content-type', 'text/html; charset=utf-8')
  async page(@Param('id', ParseUUIDPipe) id: string, @Query() query: Record<string, unknown>, @Req() req: Request, @CurrentUser() me: Principal) {
    const now = this.clock.now();
    const window = parseInsightsQuery({ from: query.from, to: query.to });
    const [b, alerts, funnel, flow] = await Promise.all([
      this.board.board(id, now),
      this.board.openAlerts(id, me.id, me.roles.includes(Role.Admin)),
      this.insights.funnel({ ...window, openingId: id }),
      this.insights.flow({ ...window, openingId: id }),
    ]);
    const sources = funnel.bySource.map((s) => {
      const f = flow.bySource.find((x) => x.source === s.source)!;
      return {
        source: SOURCE_NAMES[s.source] ?? s.source, applications: s.totals.applications, hired: s.totals.hired, rejected: s.totals.rejected, withdrew: s.totals.withdrew,
        hireRate: pct(s.totals.hireRate), timeToHire: days(f.timeToHire.medianBusinessDays), checkins: f.sla.checkins, breaches: f.sla.breaches,
      };
    });
    return this.views!.render('board', {
      title: `${b.opening.title} · board`,
      ...pageContext(req, this.identity),
      opening: b.opening,
      columns: b.columns.map((c) => ({ ...c, count: c.cards.length })),
      counts: b.counts,
      active: b.active,
      alerts,
      next: `/dashboard/openings/${id}`,
      window: { from: typeof query.from === 'string' ? query.from : '', to: typeof query.to === 'string' ? query.to : '' },
      funnelSvg: funnelChart(funnel.stages.map((s) => ({ name: s.name, entered: s.entered, advanced: s.advanced, conversion: s.conversion }))),
      flowSvg: flowChart(flow.stages.map((s) => ({ name: s.name, visits: s.visits, median: s.medianBusinessDays, p90: s.p90BusinessDays }))),
      funnel: funnel.stages.map((s) => ({ ...s, conversionText: pct(s.conversion) })),
      flow: flow.stages.map((s) => ({ ...s, medianText: days(s.medianBusinessDays), p90Text: days(s.p90BusinessDays), stddevText: days(s.stddevBusinessDays) })),
      timeToHire: { ...flow.timeToHire, medianText: days(flow.timeToHire.medianBusinessDays), p90Text: days(flow.timeToHire.p90BusinessDays) },
      sla: flow.sla,
      sources,
    });
  }
}
