import { Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { createReadStream } from 'node:fs';
import { parseMultipart } from '../assessments/upload';
import { ApplicationException } from '../common/errors/application.exception';
import { Public } from '../identity/decorators';
import { ApplyUseCase } from './apply.usecase';
import { CareersService, PublicOpeningDetail } from './careers.service';
import { CareersView } from './careers-view';
import { cleanSourceValue, sourceFromLink } from './domain/application-source';
import { RESUME_MAX_BYTES } from './domain/resume-sniff';
import { ApplicationQuestionsService, MAX_APPLICATION_QUESTIONS } from './application-questions.service';

export const APPLY_TEXT_FIELDS = [
  'name',
  'email',
  'timezone',
  'consent',
  'codeUrl',
  'otherUrl',
  'links',
  'website',
  'source',
  'ref',
  ...Array.from({ length: MAX_APPLICATION_QUESTIONS }, (_, i) => `answer_${i}`),
];

/** The form's answer_0, answer_1, … fields by position. */
export function answersFromFields(fields: Record<string, string | undefined>): Record<number, string> {
  const out: Record<number, string> = {};
  for (let i = 0; i < MAX_APPLICATION_QUESTIONS; i++) {
    const v = fields[`answer_${i}`];
    if (typeof v === 'string') out[i] = v;
  }
  return out;
}
const ZONES: string[] = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');

/** Plain text of Markdown for meta descriptions. */
const excerpt = (md: string) =>
  md
    .replace(/[#*_`>[\]()!-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);

/** Public careers pages: the list, one opening with its form, the thank-you page. No sign-in. */
@ApiExcludeController()
@Controller('careers')
export class CareersPagesController {
  constructor(
    private readonly careers: CareersService,
    private readonly view: CareersView,
    private readonly apply: ApplyUseCase,
    private readonly questions: ApplicationQuestionsService,
  ) {}

  @Public()
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async list(@Query('location') location?: string, @Query('remote') remote?: string) {
    const loc = typeof location === 'string' && location.trim() ? location.trim().slice(0, 200) : undefined;
    const [openings, locations] = await Promise.all([
      this.careers.list({ location: loc, remote: remote === 'yes' }),
      this.careers.locations(),
    ]);
    return this.view.render('list', {
      title: `Jobs at ${this.careers.cfg.COMPANY_NAME}`,
      description: `Open positions at ${this.careers.cfg.COMPANY_NAME}, each with its pay range and hiring process.`,
      canonical: '/careers',
      openings,
      locations: locations.map((l) => ({ name: l, selected: l === loc })),
      remote: remote === 'yes',
      filtered: Boolean(loc || remote === 'yes'),
    });
  }

  @Public()
  @Get('logo')
  logo(@Res() res: Response) {
    const file = this.careers.cfg.COMPANY_LOGO_FILE;
    if (!file) return res.status(404).end();
    const type = file.toLowerCase().endsWith('.svg') ? 'image/svg+xml' : file.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg';
    res.type(type).set('cache-control', 'public, max-age=3600');
    createReadStream(file)
      .on('error', () => res.status(404).end())
      .pipe(res);
  }

  @Public()
  @Get(':openingId')
  @Header('content-type', 'text/html; charset=utf-8')
  async opening(@Param('openingId') openingId: string, @Query('source') source?: string, @Query('ref') ref?: string) {
    const opening = await this.careers.get(openingId);
    return this.renderOpening(opening, await this.questions.publicQuestions(opening.id), {
      source: cleanSourceValue(source),
      ref: typeof ref === 'string' ? ref.slice(0, 40) : null,
      timezone: 'UTC',
    });
  }

  @Public()
  @Post(':openingId/apply')
  @HttpCode(303)
  async submit(@Param('openingId') openingId: string, @Req() req: Request, @Res() res: Response) {
    let fields: Record<string, string> = {};
    try {
      const upload = await parseMultipart(req, res, {
        fileFields: ['resume'],
        textFields: APPLY_TEXT_FIELDS,
        maxFileBytes: RESUME_MAX_BYTES,
        maxFieldBytes: 8 * 1024,
      });
      fields = upload.fields;
      const resume = upload.files.resume;
      const result = await this.apply.execute({
        openingId,
        name: fields.name,
        email: fields.email,
        timezone: fields.timezone,
        consent: fields.consent === 'yes',
        links: [fields.codeUrl, fields.otherUrl].filter((l): l is string => typeof l === 'string'),
        honeypot: fields.website,
        source: sourceFromLink({ source: fields.source, ref: fields.ref }),
        resume: resume && resume.buffer.length ? { bytes: resume.buffer, originalName: resume.originalName } : undefined,
        answersByIndex: answersFromFields(fields),
        ip: req.ip ?? 'unknown',
      });
      void result;
      res.redirect(303, `/careers/${encodeURIComponent(openingId)}/thanks`);
    } catch (e) {
      if (!(e instanceof ApplicationException)) throw e;
      let opening: PublicOpeningDetail;
      try {
        opening = await this.careers.get(openingId);
      } catch {
        throw e;
      }
      const already = (e.details as { reason?: string })?.reason === 'ALREADY_APPLIED';
      const errors = ((e.details as { fields?: Array<{ message: string }> })?.fields?.map((f) => f.message) ?? [e.message]).map(plainError);
      res
        .status(e.status)
        .type('html')
        .send(
          this.renderOpening(opening, await this.questions.publicQuestions(opening.id), {
            source: cleanSourceValue(fields.source),
            ref: fields.ref?.slice(0, 40) ?? null,
            timezone: fields.timezone,
            values: { name: fields.name, email: fields.email, codeUrl: fields.codeUrl, otherUrl: fields.otherUrl },
            answers: answersFromFields(fields),
            errors: already ? [] : errors,
            already: already ? e.message : null,
          }),
        );
    }
  }

  @Public()
  @Get(':openingId/thanks')
  @Header('content-type', 'text/html; charset=utf-8')
  async thanks(@Param('openingId') openingId: string) {
    const opening = await this.careers.get(openingId);
    return this.view.render('thanks', {
      title: `Thank you for applying: ${opening.title}`,
      noindex: true,
      opening,
      firstStage: opening.stages[0],
    });
  }

  private renderOpening(
    opening: PublicOpeningDetail,
    questions: Array<{ index: number; id: string; prompt: string }>,
    form: {
      answers?: Record<number, string>;
      source: string | null;
      ref: string | null;
      timezone?: string;
      values?: Record<string, string | undefined>;
      errors?: string[];
      already?: string | null;
    },
  ) {
    const cfg = this.careers.cfg;
    const base = this.careers.baseUrl;
    const jobPosting: Record<string, unknown> = {
      '@context': 'https://schema.org/',
      '@type': 'JobPosting',
      title: opening.title,
      description: opening.descriptionHtml || opening.title,
      datePosted: opening.publishedAt ? new Date(opening.publishedAt).toISOString().slice(0, 10) : undefined,
      directApply: true,
      url: `${base}/careers/${opening.id}`,
      identifier: { '@type': 'PropertyValue', name: cfg.COMPANY_NAME, value: opening.id },
      hiringOrganization: {
        '@type': 'Organization',
        name: cfg.COMPANY_NAME,
        ...(cfg.COMPANY_URL ? { sameAs: cfg.COMPANY_URL } : {}),
        ...(cfg.COMPANY_LOGO_FILE ? { logo: `${base}/careers/logo` } : {}),
      },
      baseSalary: {
        '@type': 'MonetaryAmount',
        currency: opening.pay.currency,
        value: { '@type': 'QuantitativeValue', minValue: opening.pay.min, maxValue: opening.pay.max, unitText: 'YEAR' },
      },
      ...(opening.location
        ? { jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: opening.location } } }
        : {}),
      ...(opening.remote
        ? {
            jobLocationType: 'TELECOMMUTE',
            applicantLocationRequirements: opening.remoteTimeZones.length
              ? opening.remoteTimeZones.map((z) => ({ '@type': 'AdministrativeArea', name: z }))
              : { '@type': 'Country', name: 'Anywhere' },
          }
        : {}),
    };
    const selected = form.timezone && ZONES.includes(form.timezone) ? form.timezone : 'UTC';
    return this.view.render('opening', {
      title: `${opening.title} at ${cfg.COMPANY_NAME}`,
      description: excerpt(opening.descriptionMarkdown) || `${opening.title}: ${opening.pay.text}`,
      canonical: `/careers/${opening.id}`,
      ogType: 'website',
      opening,
      jobPosting,
      scripts: ['/static/careers.js'],
      zones: ['UTC', ...ZONES.filter((z) => z !== 'UTC')].map((z) => ({ name: z, selected: z === selected })),
      form: { ...form, values: form.values ?? {} },
      questions: questions.map((q) => ({ ...q, number: q.index + 1, value: form.answers?.[q.index] ?? '' })),
      hasErrors: Boolean(form.errors?.length),
    });
  }
}

/** Field names in messages become plain words on the page. */
function plainError(m: string): string {
  return m
    .replace(/^resume: /, 'Résumé: ')
    .replace(/^name: /, 'Name: ')
    .replace(/^email: /, 'Email: ')
    .replace(/^timezone: /, 'Time zone: ')
    .replace(/^consent: /, 'Privacy notice: ')
    .replace(/^links: /, 'Links: ')
    .replace(/^answers: /, 'Questions: ');
}
