import { Body, Controller, Get, Optional, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { Public } from '../identity/decorators';
import { ViewService } from '../web/view.service';
import { PortalService } from './portal.service';
import { readSubmissionUpload } from './portal.controller';
import { SubmitSolution } from './submit-solution.usecase';

const rid = (req: Request) => String((req as Request & { id?: string }).id ?? '');
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const NOTICES: Record<string, string> = {
  attested: 'Thank you: the attestation is signed and the starter code is open.',
  uploaded: 'Thank you: we received your upload. A receipt is on its way to your inbox.',
  feedback: 'Thank you for your feedback: it helps us make this exercise better.',
};

/**
 * The candidate portal pages (server-rendered, no account: the link is the key). Forms are plain
 * HTML posts that redirect back (POST-redirect-GET); public/portal.js only refreshes the status.
 * An unknown or expired link gets the same 404 page, which reveals nothing and says what to do.
 */
@ApiExcludeController()
@Controller('portal')
@Public()
export class PortalPagesController {
  constructor(
    private readonly portal: PortalService,
    private readonly submit: SubmitSolution,
    // Pages exist only in the API process (WebModule); the worker loads this module without them.
    @Optional() private readonly views?: ViewService,
  ) {}

  private headers(res: Response): void {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-robots-tag', 'noindex, nofollow');
    res.type('html');
  }

  private notFound(res: Response): void {
    this.headers(res);
    res.status(404).send(this.views!.render('portal-not-found', { title: 'This link does not work' }));
  }

  /** Renders the portal (with an error when a form was refused), or the one 404 page. */
  private async page(token: string, res: Response, opts: { status?: number; error?: string; notice?: string } = {}): Promise<void> {
    let v;
    try {
      v = await this.portal.view(token);
    } catch (e) {
      if (e instanceof ApplicationException && e.code === ErrorCode.NotFound) return this.notFound(res);
      throw e;
    }
    this.headers(res);
    const latest = v.submissions[v.submissions.length - 1];
    res.status(opts.status ?? 200).send(
      this.views!.render('portal', {
        title: `${v.assignment.title} · take-home`,
        scripts: ['/static/portal.js'],
        token,
        v,
        latest,
        waiting: latest?.status === 'received',
        submissions: [...v.submissions].reverse(),
        clarityOptions: [1, 2, 3, 4, 5].map((n) => ({ n, label: ['', 'very unclear', 'unclear', 'mostly clear', 'clear', 'very clear'][n] })),
        error: opts.error,
        notice: opts.notice,
      }),
    );
  }

  /** A refused form shows the page again with the reason; an invalid link shows the 404 page. */
  private async refused(token: string, res: Response, e: unknown): Promise<void> {
    if (e instanceof ApplicationException) {
      if (e.code === ErrorCode.NotFound && (e.details as { reason?: string }).reason === 'invalid_link') return this.notFound(res);
      return this.page(token, res, { status: e.status, error: e.message });
    }
    throw e;
  }

  @Get(':token')
  async show(@Param('token') token: string, @Query('done') done: string | undefined, @Res() res: Response): Promise<void> {
    await this.page(token, res, { notice: done ? NOTICES[done] : undefined });
  }

  @Post(':token/attest')
  async attest(@Param('token') token: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      if (!['on', 'true', 'yes'].includes(str(body?.agreed))) {
        throw new ApplicationException(ErrorCode.ValidationFailed, 'Tick the box to agree to the statement, then sign with your full name');
      }
      await this.portal.attest(token, str(body?.fullName), { ip: req.ip, userAgent: req.get('user-agent') });
      res.redirect(303, `/portal/${token}?done=attested#starter`);
    } catch (e) {
      await this.refused(token, res, e);
    }
  }

  @Post(':token/submit')
  async upload(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const file = await readSubmissionUpload(this.submit, token, req, res);
      await this.submit.execute({ token, file: { buffer: file.buffer, originalName: file.originalName }, idempotencyKey: str(req.headers['idempotency-key']) || undefined, requestId: rid(req) });
      res.redirect(303, `/portal/${token}?done=uploaded#status`);
    } catch (e) {
      await this.refused(token, res, e);
    }
  }

  @Post(':token/feedback')
  async feedback(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    try {
      const clarity = Number.parseInt(str(body?.clarity), 10);
      const minutesSpent = Number.parseInt(str(body?.minutesSpent), 10);
      if (!(clarity >= 1 && clarity <= 5)) throw new ApplicationException(ErrorCode.ValidationFailed, 'Choose how clear the instructions were, from 1 to 5');
      if (!(minutesSpent >= 0 && minutesSpent <= 10080)) throw new ApplicationException(ErrorCode.ValidationFailed, 'Enter the minutes you spent, as a whole number');
      const comments = str(body?.comments).slice(0, 5000);
      await this.portal.feedback(token, { clarity, minutesSpent, comments });
      res.redirect(303, `/portal/${token}?done=feedback#feedback`);
    } catch (e) {
      await this.refused(token, res, e);
    }
  }
}
