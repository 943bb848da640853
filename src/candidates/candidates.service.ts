import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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
    } catch (e: any) {
      if (e?.driverError?.code === '23505') {
        const again = await this.findByEmail(email);
        throw conflict(`A candidate with e-mail ${email} already exists`, { existingId: again?.id });
      }
      throw e;
    }
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
