import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { ApplicationException, ErrorCode, badRequest, notFound } from '../common/errors/application.exception';
import { CandidatesService } from '../candidates/candidates.service';
import { ApplicationsService } from '../pipeline/applications.service';
import { CAREERS_CONFIG, CareersConfig } from './careers.config';
import { ApplicationSource, CAREERS_PAGE_DETAIL, isPublicCodeUrl } from './domain/application-source';
import { ResumeReader } from './resume-reader';
import { ResumesService } from './resumes.service';
import { ReferralsService } from './referrals.service';
import { ApplicationQuestionsService } from './application-questions.service';
import { CAREERS_ATTEMPTS_LOCK } from '../common/database/locks';

export interface ApplyInput {
  openingId: string;
  name?: string;
  email?: string;
  timezone?: string;
  consent?: boolean;
  links?: string[];
  /** The honeypot: a field people never see; a bot that fills it is ignored. */
  honeypot?: string;
  source: ApplicationSource;
  resume?: { bytes: Buffer; originalName: string };
  /** Answers to the opening's application questions, by question id (the form sends them by position: see answersFromFields). */
  answers?: Array<{ questionId: string; answer: string }>;
  /** Answers by position on the form (answer_0, answer_1, …), mapped to the opening's questions. */
  answersByIndex?: Record<number, string>;
  ip: string;
}

export type ApplyResult = { kind: 'applied'; applicationId: string; candidateId: string; reusedCandidate: boolean } | { kind: 'ignored' };

/** A second application to the same opening: refused kindly (409), naming nothing internal. */
export class AlreadyAppliedException extends ApplicationException {
  constructor(title: string) {
    super(
      ErrorCode.Conflict,
      `You have already applied for ${title}. We have your application and will write to you at every step, so there is nothing more to do.`,
      { reason: 'ALREADY_APPLIED' },
    );
  }
}

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * A person applies through the careers page (or its API twin): spam checks, the résumé read
 * (type by content, text extracted) before anything is written, the candidate found by e-mail
 * ignoring case or created, and the application created through ApplicationsService.create,
 * which writes the first-contact message once (its idempotency key is the application).
 */
@Injectable()
export class ApplyUseCase {
  private readonly logger = new Logger('Careers');
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly apps: ApplicationsService,
    private readonly candidates: CandidatesService,
    private readonly resumes: ResumeReader,
    private readonly stored: ResumesService,
    private readonly referrals: ReferralsService,
    private readonly questions: ApplicationQuestionsService,
    private readonly clock: Clock,
    @Inject(CAREERS_CONFIG) private readonly cfg: CareersConfig,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async execute(input: ApplyInput): Promise<ApplyResult> {
    await this.rateLimit(input.ip);
    if (input.honeypot && input.honeypot.trim()) {
      this.logger.warn({ openingId: input.openingId }, 'careers form: honeypot filled, application ignored');
      return { kind: 'ignored' };
    }
    const opening = await this.publishedOpening(input.openingId);
    const fields = this.validate(input);
    const answers = await this.questions.check(opening.id, await this.givenAnswers(opening.id, input));
    if (!input.resume) throw badRequest('resume: attach your résumé (PDF or Word .docx, up to 10 MB)', { field: 'resume' });
    const resume = await this.resumes.read(input.resume.bytes);
    const source = await this.checkedSource(input.source);
    const codeUrl = fields.links.find(isPublicCodeUrl) ?? null;

    const { candidateId, reused } = await this.candidates.findOrCreateApplicant({
      name: fields.name,
      email: fields.email,
      timezone: fields.timezone,
      source,
      publicCodeUrl: codeUrl,
    });
    const [existing] = await this.ds.query(`SELECT id FROM applications WHERE candidate_id = $1 AND opening_id = $2`, [
      candidateId,
      opening.id,
    ]);
    if (existing) throw new AlreadyAppliedException(opening.title);

    let applicationId: string;
    try {
      const app = await this.apps.create(candidateId, opening.id, { kind: 'candidate', id: candidateId }, source);
      applicationId = app.id;
    } catch (e) {
      if (e instanceof ApplicationException && e.status === 409 && /already has an application/.test(e.message))
        throw new AlreadyAppliedException(opening.title);
      throw e;
    }
    const messageIds = await this.ds.transaction(async (m) => {
      await this.stored.store(m, {
        candidateId,
        applicationId,
        fileName: safeFileName(input.resume!.originalName, resume.kind),
        contentType: resume.contentType,
        bytes: input.resume!.bytes,
        text: resume.text,
      });
      await this.candidates.recordApplication(
        candidateId,
        { resumeText: resume.text, publicCodeUrl: codeUrl, timezone: fields.timezone, reused },
        m,
      );
      if (answers) await this.questions.store(m, applicationId, answers);
      if (source.kind !== 'referral' || !source.referrerId) return [];
      return [
        await this.referrals.notify(m, 'referral_received', {
          applicationId,
          referrerId: source.referrerId,
          candidateName: fields.name,
          openingId: opening.id,
          openingTitle: opening.title,
        }),
      ];
    });
    await this.referrals.dispatch(messageIds);
    return { kind: 'applied', applicationId, candidateId, reusedCandidate: reused };
  }

  private async givenAnswers(openingId: string, input: ApplyInput): Promise<Array<{ questionId: string; answer: string }>> {
    const given = [...(input.answers ?? [])];
    if (input.answersByIndex) {
      const asked = await this.questions.publicQuestions(openingId);
      for (const q of asked)
        if (input.answersByIndex[q.index] !== undefined) given.push({ questionId: q.id, answer: input.answersByIndex[q.index] });
    }
    return given;
  }

  /** Published and not closed, else 404 (a draft is not revealed). */
  async publishedOpening(id: string): Promise<{ id: string; title: string }> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('Opening');
    const [o] = await this.ds.query(`SELECT id, title FROM openings WHERE id = $1 AND published AND closed_at IS NULL`, [id]);
    if (!o) throw notFound('Opening');
    return o;
  }

  private validate(input: ApplyInput) {
    const errors: Array<{ field: string; message: string }> = [];
    const name = (input.name ?? '').trim();
    const email = (input.email ?? '').trim();
    const timezone = (input.timezone ?? '').trim() || 'UTC';
    if (!name) errors.push({ field: 'name', message: 'name: please give your name' });
    else if (name.length > 200) errors.push({ field: 'name', message: 'name: at most 200 characters' });
    if (!isEmail(email) || email.length > 320) errors.push({ field: 'email', message: 'email: please give a valid e-mail address' });
    if (!validZone(timezone)) errors.push({ field: 'timezone', message: 'timezone: not a known time zone (such as Europe/Berlin)' });
    if (input.consent !== true)
      errors.push({ field: 'consent', message: 'consent: please agree to the privacy notice so we can process your application' });
    const links = (input.links ?? []).map((l) => l.trim()).filter(Boolean);
    if (links.length > 3) errors.push({ field: 'links', message: 'links: at most 3 links' });
    for (const l of links) {
      let ok = false;
      try {
        ok = ['http:', 'https:'].includes(new URL(l).protocol) && l.length <= 500;
      } catch {
        ok = false;
      }
      if (!ok) errors.push({ field: 'links', message: `links: "${l.slice(0, 80)}" is not a web address (https://…)` });
    }
    if (errors.length)
      throw new ApplicationException(ErrorCode.ValidationFailed, errors.map((e) => e.message).join('; '), { fields: errors });
    return { name, email, timezone, links };
  }

  /** A referral link naming someone who is not an active staff user counts as the careers page. */
  private async checkedSource(source: ApplicationSource): Promise<ApplicationSource> {
    if (source.kind !== 'referral') return source;
    const [u] = await this.ds.query(`SELECT id FROM users WHERE id = $1 AND disabled_at IS NULL`, [source.referrerId]);
    return u ? source : { kind: 'direct', detail: CAREERS_PAGE_DETAIL };
  }

  /**
   * Every attempt counts (a bot's too); the address is kept only as a keyed hash. The count and
   * the insert run under a transaction lock on that hash, so attempts sent at once from one
   * address take turns and the hour's limit holds for them too (counted apart, each saw room).
   */
  private async rateLimit(ip: string): Promise<void> {
    const hash = createHmac('sha256', this.env.SESSION_SECRET).update(`careers:${ip}`).digest('hex').slice(0, 32);
    const now = this.clock.now();
    const since = new Date(now.getTime() - 3_600_000);
    await this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [CAREERS_ATTEMPTS_LOCK, hash]);
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM careers_attempts WHERE ip_hash = $1 AND at > $2`, [hash, since]);
      if (n >= this.cfg.CAREERS_APPLY_PER_HOUR) {
        throw new ApplicationException(
          ErrorCode.TooManyRequests,
          'Too many applications from your network in the last hour; please try again later',
        );
      }
      await m.query(`INSERT INTO careers_attempts (ip_hash, at) VALUES ($1, $2)`, [hash, now]);
    });
    if (Math.random() < 0.01) await this.ds.query(`DELETE FROM careers_attempts WHERE at < $1`, [new Date(now.getTime() - 86_400_000)]);
  }
}

function safeFileName(name: string, kind: string): string {
  const base =
    (name || 'resume')
      .replace(/[^\p{L}\p{N} ._-]+/gu, '_')
      .slice(0, 120)
      .trim() || 'resume';
  return base.toLowerCase().endsWith(`.${kind}`) ? base : `${base}.${kind}`;
}
