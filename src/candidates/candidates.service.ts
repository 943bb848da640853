import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { badRequest, conflict, notFound } from '../common/errors/application.exception';
import { IdentityService } from '../identity/identity.service';
import { Candidate } from './candidate.entity';
import { CreateCandidateDto } from './dto/candidate.dto';

@Injectable()
export class CandidatesService {
  constructor(
    @InjectRepository(Candidate) private readonly candidates: Repository<Candidate>,
    private readonly identity: IdentityService,
    private readonly clock: Clock,
  ) {}

  /** E-mail is unique ignoring case: a second create answers 409 with the existing id. */
  async create(dto: CreateCandidateDto): Promise<Candidate> {
    const email = dto.email.trim();
    const existing = await this.findByEmail(email);
    if (existing) throw conflict(`A candidate with e-mail ${email} already exists`, { existingId: existing.id });
    const { kind, detail, referrerId } = dto.source;
    if (kind === 'referral') {
      if (!referrerId) throw badRequest('source.referrerId is required for a referral (the staff user who referred the candidate)');
      await this.identity.getUser(referrerId).catch(() => {
        throw badRequest('source.referrerId is not a staff user');
      });
    } else if (referrerId) {
      throw badRequest('source.referrerId is only for source.kind "referral"');
    }
    if ((kind === 'partner' || kind === 'job_board') && !detail?.trim()) {
      throw badRequest(
        `source.detail is required for ${kind === 'partner' ? 'a partner (the bootcamp or organisation)' : 'a job board (which board)'}`,
      );
    }
    try {
      return await this.candidates.save(
        this.candidates.create({
          name: dto.name.trim(),
          email,
          timezone: dto.timezone,
          phone: dto.phone ?? null,
          sourceKind: kind,
          sourceDetail: detail?.trim() || null,
          referrerId: referrerId ?? null,
          publicCodeUrl: dto.publicCodeUrl ?? null,
          consentAt: dto.consent ? this.clock.now() : null,
        }),
      );
    } catch (e) {
      if ((e as { driverError?: { code?: string } } | null)?.driverError?.code === '23505') {
        const again = await this.findByEmail(email);
        throw conflict(`A candidate with e-mail ${email} already exists`, { existingId: again?.id });
      }
      throw e;
    }
  }

  /**
   * A public application's candidate: found by e-mail ignoring case (`INSERT … ON CONFLICT
   * ((lower(email))) DO NOTHING`, so two concurrent first applications make one candidate), else
   * created with the application's source. An erased candidate's address cannot be used again (409).
   */
  async findOrCreateApplicant(f: {
    name: string;
    email: string;
    timezone: string;
    source: { kind: string; detail: string | null; referrerId?: string | null };
    publicCodeUrl: string | null;
  }): Promise<{ candidateId: string; reused: boolean }> {
    const now = this.clock.now();
    const inserted: Array<{ id: string }> = await this.candidates.query(
      `INSERT INTO candidates (name, email, timezone, source_kind, source_detail, referrer_id, public_code_url, consent_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
      [f.name, f.email, f.timezone, f.source.kind, f.source.detail, f.source.referrerId ?? null, f.publicCodeUrl, now],
    );
    if (inserted.length) return { candidateId: inserted[0].id, reused: false };
    const [c] = await this.candidates.query(`SELECT id, anonymized_at FROM candidates WHERE lower(email) = lower($1)`, [f.email]);
    if (!c || c.anonymized_at) throw conflict('email: this address cannot be used; please write to us instead');
    return { candidateId: c.id, reused: true };
  }

  /**
   * What an application adds to its candidate: the résumé's text (for search), a public-code link
   * when none is known yet, the consent instant, and the time zone for a new candidate (a returning
   * one keeps theirs). Inside the caller's transaction when `m` is given.
   */
  async recordApplication(
    candidateId: string,
    f: { resumeText: string; publicCodeUrl: string | null; timezone: string; reused: boolean },
    m?: EntityManager,
  ): Promise<void> {
    const now = this.clock.now();
    await (m ?? this.candidates.manager).query(
      `UPDATE candidates SET resume_text = $2, public_code_url = coalesce(public_code_url, $3), consent_at = $4,
         timezone = CASE WHEN $5 THEN timezone ELSE $6 END, updated_at = $4 WHERE id = $1 AND anonymized_at IS NULL`,
      [candidateId, f.resumeText, f.publicCodeUrl, now, f.reused, f.timezone],
    );
  }

  findByEmail(email: string): Promise<Candidate | null> {
    return this.candidates.createQueryBuilder('c').where('lower(c.email) = lower(:email)', { email: email.trim() }).getOne();
  }

  async get(id: string): Promise<Candidate> {
    const c = await this.candidates.findOne({ where: { id } });
    if (!c) throw notFound('Candidate');
    return c;
  }
}

export function candidateDto(c: Candidate) {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    timezone: c.timezone,
    phone: c.phone,
    source: { kind: c.sourceKind, detail: c.sourceDetail, referrerId: c.referrerId },
    publicCodeUrl: c.publicCodeUrl,
    consentAt: c.consentAt,
    anonymizedAt: c.anonymizedAt,
    createdAt: c.createdAt,
  };
}
