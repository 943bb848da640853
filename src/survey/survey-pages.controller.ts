import { Body, Controller, Get, Optional, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { formatInZone } from '../communications/ics';
import { Public } from '../identity/decorators';
import { ViewService } from '../web/view.service';
import { INFORMED, SurveyService, SurveyView } from './survey.service';

const INFORMED_LABELS: Record<string, string> = { yes: 'Yes', partly: 'Partly', no: 'No' };
const NOTICES: Record<string, string> = {
  saved: 'Thank you: your answer is recorded.',
  updated: 'Thank you: your answer is updated. Only this latest answer counts.',
};

/**
 * The experience survey page in the candidate portal (`/portal/<token>/survey`, the link from the
 * e-mail sent when an application ends). No account: the signed link is the key; a bad link gets
 * the portal's one 404 page. A plain HTML form (POST-redirect-GET), no script needed.
 */
@ApiExcludeController()
@Controller('portal')
@Public()
export class SurveyPagesController {
  constructor(
    private readonly surveys: SurveyService,
    // Pages exist only in the API process (WebModule); the worker loads this module without them.
    @Optional() private readonly views?: ViewService,
  ) {}

  private headers(res: Response): void {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-robots-tag', 'noindex, nofollow');
    res.type('html');
  }

  private async load(token: string, res: Response): Promise<SurveyView | null> {
    try {
      return await this.surveys.view(token);
    } catch (e) {
      if (e instanceof ApplicationException && e.code === ErrorCode.NotFound) {
        this.headers(res);
        res.status(404).send(this.views!.render('portal-not-found', { title: 'This link does not work' }));
        return null;
      }
      throw e;
    }
  }

  private render(
    res: Response,
    token: string,
    v: SurveyView,
    opts: { status?: number; error?: string; notice?: string; form?: Record<string, unknown> } = {},
  ) {
    this.headers(res);
    const score = opts.form ? String(opts.form.score ?? '') : v.score === null ? '' : String(v.score);
    const informed = opts.form ? String(opts.form.informed ?? '') : (v.informed ?? '');
    const comment = opts.form ? String(opts.form.comment ?? '') : (v.comment ?? '');
    res.status(opts.status ?? 200).send(
      this.views!.render('survey', {
        title: `Your experience · ${v.openingTitle}`,
        token,
        v,
        firstName: v.candidateName.split(/\s+/)[0],
        answered: v.answeredAt !== null,
        answeredText: v.answeredAt ? formatInZone(v.answeredAt, v.timezone) : '',
        scores: Array.from({ length: 11 }, (_, n) => ({ n, checked: score === String(n) })),
        informedOptions: INFORMED.map((k) => ({ value: k, label: INFORMED_LABELS[k], checked: informed === k })),
        comment,
        error: opts.error,
        notice: opts.notice,
      }),
    );
  }

  @Get(':token/survey')
  async show(@Param('token') token: string, @Query('done') done: string | undefined, @Res() res: Response): Promise<void> {
    const v = await this.load(token, res);
    if (v) this.render(res, token, v, { notice: done ? NOTICES[done] : undefined });
  }

  @Post(':token/survey')
  async submit(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const v = await this.load(token, res);
    if (!v) return;
    try {
      const r = await this.surveys.answer(token, body);
      res.redirect(303, `/portal/${encodeURIComponent(token)}/survey?done=${r.updated ? 'updated' : 'saved'}#survey`);
    } catch (e) {
      if (e instanceof ApplicationException && e.status === 400) {
        return this.render(res, token, v, { status: 400, error: e.message, form: body ?? {} });
      }
      throw e;
    }
  }
}
