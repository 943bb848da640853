import { Body, Controller, Get, Header, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { CandidateFilter, CandidateSearchService } from '../candidates/candidate-search.service';
import { ApplicationException } from '../common/errors/application.exception';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { TeamScope } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { OpeningsService } from '../openings/openings.service';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { BulkAction, BulkApplicationsService } from './bulk-applications.service';
import { describeSource } from './domain/application-source';

const AGES: Record<string, Pick<CandidateFilter, 'maxAgeDays' | 'minAgeDays'>> = {
  '7': { maxAgeDays: 7 },
  '30': { maxAgeDays: 30 },
  older30: { minAgeDays: 30 },
};
const STATUS_OPTIONS = [
  ['active', 'Active'],
  ['rejected', 'Rejected'],
  ['withdrawn', 'Withdrawn'],
  ['hired', 'Hired'],
];
const SOURCE_OPTIONS = [
  ['direct', 'Direct (careers page)'],
  ['referral', 'Referral'],
  ['job_board', 'Job board'],
  ['partner', 'Partner'],
  ['internship', 'Internship'],
  ['other', 'Other'],
];
const AGE_OPTIONS = [
  ['7', 'In the last 7 days'],
  ['30', 'In the last 30 days'],
  ['older30', 'More than 30 days ago'],
];
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const FILTER_KEYS = ['q', 'openingId', 'stage', 'status', 'source', 'age'];

/** The recruiter's candidate list: search, filters, a selection with bulk actions, and the CSV link. */
@ApiExcludeController()
@Controller('candidates')
@Roles(Role.Recruiter, Role.HiringManager)
export class CandidatesPagesController {
  constructor(
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly search: CandidateSearchService,
    private readonly openings: OpeningsService,
    private readonly bulk: BulkApplicationsService,
    private readonly scope: TeamScope,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async list(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response, @CurrentUser() me: Principal) {
    const q = Object.fromEntries(FILTER_KEYS.map((k) => [k, str(query[k]).trim().slice(0, 200)]));
    const filter: CandidateFilter = {
      q: q.q || undefined,
      openingId: q.openingId || undefined,
      stage: q.stage || undefined,
      status: q.status || undefined,
      source: q.source || undefined,
      ...(AGES[q.age] ?? {}),
      limit: 200,
    };
    // Only the openings and applications of the viewer's hiring teams (admins: all).
    const [openings, openingIds] = await Promise.all([this.openings.list(this.scope.viewer(me)), this.scope.openingIds(me)]);
    let hits: Awaited<ReturnType<CandidateSearchService['search']>> = [];
    let error: string | null = null;
    try {
      hits = await this.search.search(filter, { openingIds });
    } catch (e) {
      if (!(e instanceof ApplicationException)) throw e;
      error = e.message;
    }
    const zone = me.timezone || 'UTC';
    const rows = hits.flatMap(
      (c): Array<Record<string, unknown>> =>
        c.applications.length
          ? c.applications.map((a) => ({
              candidate: c,
              app: a,
              statusText: STATUS_OPTIONS.find(([k]) => k === a.status)?.[1] ?? a.status,
              sourceText: describeSource(a.source.kind, a.source.detail),
              applied: DateTime.fromJSDate(new Date(a.appliedAt)).setZone(zone).toFormat('d LLL yyyy, HH:mm'),
            }))
          : [{ candidate: c, app: null, statusText: '', sourceText: '', applied: '' }],
    );
    const stages = new Map<string, string>();
    for (const o of openings) for (const s of o.stages) if (!stages.has(s.key)) stages.set(s.key, s.name);
    const opt = (list: string[][], selected: string) => list.map(([value, label]) => ({ value, label, selected: value === selected }));
    const exportQuery = new URLSearchParams(
      Object.entries({ openingId: q.openingId, stage: q.stage, status: q.status, source: q.source }).filter(([, v]) => v),
    ).toString();
    const done = str(query.done);
    const failed = str(query.failed);
    const html = this.views.render('candidates', {
      title: 'Candidates',
      ...pageContext(req, this.identity),
      q,
      error,
      rows,
      count: hits.length,
      zone,
      openingOptions: opt(
        openings.map((o) => [o.id, o.title]),
        q.openingId,
      ),
      stageOptions: opt(
        [...stages].map(([k, n]) => [k, n]),
        q.stage,
      ),
      statusOptions: opt(STATUS_OPTIONS, q.status),
      sourceOptions: opt(SOURCE_OPTIONS, q.source),
      ageOptions: opt(AGE_OPTIONS, q.age),
      moveOptions: [...stages].map(([value, label]) => ({ value, label })),
      exportUrl: `/api/v1/applications/export.csv${exportQuery ? `?${exportQuery}` : ''}`,
      returnQuery: new URLSearchParams(Object.entries(q).filter(([, v]) => v)).toString(),
      outcome: done || failed ? { done: Number(done) || 0, failed: Number(failed) || 0, errors: str(query.errors).slice(0, 500) } : null,
    });
    res
      .status(error ? 400 : 200)
      .type('html')
      .send(html);
  }

  /** The bulk form (works without JavaScript): back to the same list with what happened. */
  @Post('bulk')
  async bulkAction(@Body() body: Record<string, unknown>, @CurrentUser() me: Principal, @Res() res: Response) {
    const raw = body.ids;
    const ids = (Array.isArray(raw) ? raw : raw ? [raw] : [])
      .map(String)
      .filter((id) => /^[0-9a-f-]{36}$/i.test(id))
      .slice(0, 200);
    const action = str(body.action) as BulkAction;
    const back = new URLSearchParams(str(body.returnQuery));
    const go = (params: Record<string, string>) => {
      for (const [k, v] of Object.entries(params)) back.set(k, v);
      res.redirect(303, `/candidates?${back.toString()}`);
    };
    if (!ids.length) return go({ done: '0', failed: '0', errors: 'Select at least one application first.' });
    if (!['move', 'reject', 'message'].includes(action))
      return go({ done: '0', failed: '0', errors: 'Choose what to do with the selected applications.' });
    try {
      const r = await this.bulk.run(
        { ids, action, to: str(body.to) || undefined, reason: str(body.reason) || undefined, text: str(body.text) || undefined },
        { kind: 'user', id: me.id },
        { openingIds: await this.scope.openingIds(me) },
      );
      go({
        done: String(r.succeeded),
        failed: String(r.failed),
        errors: [...new Set(r.results.filter((x) => !x.ok).map((x) => x.error))].join(' ').slice(0, 400),
      });
    } catch (e) {
      if (!(e instanceof ApplicationException)) throw e;
      go({ done: '0', failed: String(ids.length), errors: e.message.replace(/^(to|reason|text): /, '') });
    }
  }
}
