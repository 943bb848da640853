import { Body, Controller, Get, Optional, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { formatInZone } from '../communications/ics';
import { Public } from '../identity/decorators';
import { ViewService } from '../web/view.service';
import { PortalService } from './portal.service';
import { readSubmissionUpload } from './portal.controller';
import { SubmitSolution } from './submit-solution.usecase';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Where each form lives on the page: a refusal is shown there and the page scrolls to it. */
const FORMS = { attest: 'attestation', upload: 'upload', feedback: 'feedback' } as const;
type FormName = keyof typeof FORMS;
const FLASH_COOKIE = 'portal_refusal';

/** A refusal in the candidate's words (the API's messages name multipart fields). */
function plainRefusal(message: string): string {
  return message
    .replace(/Attach your zip or tar\.gz archive as the multipart field "file"/, 'Choose your zip or tar.gz archive, then press Upload')
    .replace(/The file "file"/g, 'Your file');
}

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

  /** Renders the portal (with an error next to the form that was refused), or the one 404 page. */
  private async page(
    token: string,
    res: Response,
    opts: { status?: number; error?: string; notice?: string; refusedForm?: FormName } = {},
  ): Promise<void> {
    let v;
    try {
      v = await this.portal.view(token);
    } catch (e) {
      if (e instanceof ApplicationException && e.code === ErrorCode.NotFound) return this.notFound(res);
      throw e;
    }
    this.headers(res);
    const latest = v.submissions[v.submissions.length - 1];
    // Times in the candidate's own zone, named (the e-mails use the same zone).
    const zone = v.candidate.timezone || 'UTC';
    const at = (d: Date | string | null | undefined) => (d ? formatInZone(d, zone) : '');
    const errors = opts.error && opts.refusedForm ? { [opts.refusedForm]: opts.error } : {};
    res.status(opts.status ?? 200).send(
      this.views!.render('portal', {
        title: `${v.assignment.title} · take-home`,
        scripts: ['/static/portal.js'],
        token,
        v,
        latest,
        waiting: latest?.status === 'received',
        submissions: [...v.submissions].reverse().map((x) => ({ ...x, receivedText: at(x.receivedAt) })),
        expiresText: at(v.expiresAt),
        signedText: at(v.attestation.signedAt),
        errors,
        clarityOptions: [1, 2, 3, 4, 5].map((n) => ({
          n,
          label: ['', 'very unclear', 'unclear', 'mostly clear', 'clear', 'very clear'][n],
        })),
        error: opts.refusedForm ? undefined : opts.error,
        notice: opts.notice,
      }),
    );
  }

  /**
   * A refused form: back to the portal's own address (POST-redirect-GET, so the address bar never
   * holds a form's action, which has no page), with the reason in a one-minute cookie scoped to
   * this link and shown next to the form; an invalid link shows the 404 page.
   */
  private async refused(token: string, form: FormName, req: Request, res: Response, e: unknown): Promise<void> {
    if (e instanceof ApplicationException) {
      // An unknown, malformed, expired or erased link gets the one 404 page, whatever the form held
      // (a refusal of the form itself must not tell a dead link from a live one).
      if (e.code === ErrorCode.NotFound) return this.notFound(res);
      try {
        await this.portal.view(token);
      } catch (v) {
        if (v instanceof ApplicationException && v.code === ErrorCode.NotFound) return this.notFound(res);
        throw v;
      }
      res.cookie(FLASH_COOKIE, JSON.stringify({ form, message: plainRefusal(e.message), status: e.status }), {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        maxAge: 60_000,
        path: `/portal/${encodeURIComponent(token)}`,
      });
      res.redirect(303, `/portal/${encodeURIComponent(token)}?refused=${form}#${FORMS[form]}`);
      return;
    }
    throw e;
  }

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Query('done') done: string | undefined,
    @Query('refused') refusedForm: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let flash: { form?: string; message?: string; status?: number } = {};
    const raw = (req as Request & { cookies?: Record<string, string> }).cookies?.[FLASH_COOKIE];
    if (raw) {
      try {
        flash = JSON.parse(raw);
      } catch {
        flash = {};
      }
      res.clearCookie(FLASH_COOKIE, { path: `/portal/${encodeURIComponent(token)}` });
    }
    const form = refusedForm && refusedForm in FORMS && flash.form === refusedForm ? (refusedForm as FormName) : undefined;
    await this.page(token, res, {
      notice: done ? NOTICES[done] : undefined,
      ...(form && typeof flash.message === 'string' ? { refusedForm: form, error: flash.message.slice(0, 500), status: 200 } : {}),
    });
  }

  /** A form's address opened directly (a reload, a bookmark, the back button): the portal, at that form. */
  @Get(':token/attest')
  attestAddress(@Param('token') token: string, @Res() res: Response): void {
    res.redirect(303, `/portal/${encodeURIComponent(token)}#attestation`);
  }

  @Get(':token/submit')
  submitAddress(@Param('token') token: string, @Res() res: Response): void {
    res.redirect(303, `/portal/${encodeURIComponent(token)}#upload`);
  }

  @Get(':token/feedback')
  feedbackAddress(@Param('token') token: string, @Res() res: Response): void {
    res.redirect(303, `/portal/${encodeURIComponent(token)}#feedback`);
  }

  @Post(':token/attest')
  async attest(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      if (!['on', 'true', 'yes'].includes(str(body?.agreed))) {
        throw new ApplicationException(ErrorCode.ValidationFailed, 'Tick the box to agree to the statement, then sign with your full name');
      }
      await this.portal.attest(token, str(body?.fullName), { ip: req.ip, userAgent: req.get('user-agent') });
      res.redirect(303, `/portal/${token}?done=attested#starter`);
    } catch (e) {
      await this.refused(token, 'attest', req, res, e);
    }
  }

  @Post(':token/submit')
  async upload(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const file = await readSubmissionUpload(this.submit, token, req, res);
      await this.submit.execute({
        token,
        file: { buffer: file.buffer, originalName: file.originalName },
        idempotencyKey: str(req.headers['idempotency-key']) || undefined,
      });
      res.redirect(303, `/portal/${token}?done=uploaded#status`);
    } catch (e) {
      await this.refused(token, 'upload', req, res, e);
    }
  }

  @Post(':token/feedback')
  async feedback(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const clarity = Number.parseInt(str(body?.clarity), 10);
      const minutesSpent = Number.parseInt(str(body?.minutesSpent), 10);
      if (!(clarity >= 1 && clarity <= 5))
        throw new ApplicationException(ErrorCode.ValidationFailed, 'Choose how clear the instructions were, from 1 to 5');
      if (!(minutesSpent >= 0 && minutesSpent <= 10080))
        throw new ApplicationException(ErrorCode.ValidationFailed, 'Enter the minutes you spent, as a whole number');
      const comments = str(body?.comments).slice(0, 5000);
      await this.portal.feedback(token, { clarity, minutesSpent, comments });
      res.redirect(303, `/portal/${token}?done=feedback#feedback`);
    } catch (e) {
      await this.refused(token, 'feedback', req, res, e);
    }
  }
}
