import { Body, Controller, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Response } from 'express';
import { DataSource } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { Public } from '../identity/decorators';
import { ViewService } from '../web/view.service';
import { ErasureService } from './erasure.service';
import { ExportService } from './export.service';
import { verifyPrivacyToken } from './privacy-token';
import { RetentionService } from './retention.service';

/**
 * The candidate's privacy page, reached from the footer of every e-mail. The link carries an
 * HMAC of the candidate id (privacy-token.ts); without a valid one the page does not exist (404,
 * the same answer as for an unknown id). Viewing never erases: the form asks for confirmation.
 */
@ApiExcludeController()
@Controller('privacy')
@Public()
export class PrivacyPagesController {
  constructor(
    private readonly views: ViewService,
    private readonly erasure: ErasureService,
    private readonly exporter: ExportService,
    private readonly retention: RetentionService,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(ENV) private readonly env: Env,
  ) {}

  private notFound(res: Response) {
    res
      .status(404)
      .type('html')
      .send(
        this.views.render('error', {
          title: 'Not found',
          heading: 'This link is not valid',
          message: 'Use the link from your most recent e-mail from us, or reply to that e-mail.',
        }),
      );
  }

  /** An erased person's link is revoked: 404, with a page that says why (nothing about them is left to show). */
  private erased(res: Response, erasedAt: Date) {
    res
      .status(404)
      .type('html')
      .send(this.views.render('privacy-erased', { title: 'Your data', erasedAt }));
  }

  private async summary(id: string) {
    const [c]: Array<{ id: string; name: string; email: string; anonymized_at: Date | null; consent_at: Date | null }> =
      await this.ds.query(`SELECT id, name, email, anonymized_at, consent_at FROM candidates WHERE id = $1`, [id]);
    if (!c) return null;
    const applications: Array<{ title: string; status: string; stage: string; created_at: Date }> = await this.ds.query(
      `SELECT o.title, a.status, a.stage, a.created_at FROM applications a JOIN openings o ON o.id = a.opening_id WHERE a.candidate_id = $1 ORDER BY a.created_at`,
      [id],
    );
    const [counts]: Array<{ messages: number; events: number }> = await this.ds.query(
      `SELECT (SELECT count(*)::int FROM messages WHERE candidate_id = $1) AS messages,
              (SELECT count(*)::int FROM application_events e JOIN applications a ON a.id = e.application_id WHERE a.candidate_id = $1) AS events`,
      [id],
    );
    return { c, applications, counts, keptUntil: await this.retention.keptUntil(id) };
  }

  @Get(':candidateId')
  @Header('cache-control', 'no-store')
  async page(@Param('candidateId', ParseUUIDPipe) id: string, @Query('t') t: string | undefined, @Res() res: Response) {
    if (!verifyPrivacyToken(this.env.SESSION_SECRET, id, t)) return this.notFound(res);
    const s = await this.summary(id);
    if (!s) return this.notFound(res);
    if (s.c.anonymized_at) return this.erased(res, s.c.anonymized_at);
    res.type('html').send(this.views.render('privacy', { title: 'Your data', candidateId: id, token: t, ...s, consentAt: s.c.consent_at }));
  }

  /** The same JSON export staff can produce (right of access). */
  @Get(':candidateId/export')
  @Header('cache-control', 'no-store')
  async download(@Param('candidateId', ParseUUIDPipe) id: string, @Query('t') t: string | undefined, @Res() res: Response) {
    if (!verifyPrivacyToken(this.env.SESSION_SECRET, id, t)) return this.notFound(res);
    const [c]: Array<{ anonymized_at: Date | null }> = await this.ds.query(`SELECT anonymized_at FROM candidates WHERE id = $1`, [id]);
    if (!c || c.anonymized_at) return this.notFound(res);
    const data = await this.exporter.export(id).catch(() => null);
    if (!data) return this.notFound(res);
    res.setHeader('content-disposition', `attachment; filename="my-data-${id}.json"`);
    res.type('json').send(JSON.stringify(data, null, 2));
  }

  @Post(':candidateId')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async erase(@Param('candidateId', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const t = body?.t;
    if (!verifyPrivacyToken(this.env.SESSION_SECRET, id, t)) return this.notFound(res);
    const s = await this.summary(id);
    if (!s) return this.notFound(res);
    if (s.c.anonymized_at) return this.erased(res, s.c.anonymized_at);
    if (body?.confirm !== 'yes') {
      return res
        .status(400)
        .type('html')
        .send(
          this.views.render('privacy', {
            title: 'Your data',
            candidateId: id,
            token: t,
            ...s,
            consentAt: s.c.consent_at,
            error: 'Tick the box to confirm that you want your data erased.',
          }),
        );
    }
    const result = await this.erasure.erase(id, 'candidate', null);
    res.type('html').send(this.views.render('privacy-erased', { title: 'Your data', erasedAt: result.erasedAt, justNow: true }));
  }
}
