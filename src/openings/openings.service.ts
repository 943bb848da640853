import { Injectable } from '@nestjs/common';
import { EventBus } from '../common/events/event-bus';
import { AlertsRepository } from '../alerts/alerts.repository';
import './openings.events';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApplicationException, ErrorCode, badRequest, notFound } from '../common/errors/application.exception';
import { IdentityService } from '../identity/identity.service';
import { canManageOpening, canRecruitForOpening } from '../identity/domain/account-rules';
import { teamFilterSql } from '../identity/team-scope';
import { User } from '../identity/user.entity';
import {
  defaultStages,
  DEFAULT_CONTACT_SLA_BUSINESS_DAYS,
  DEFAULT_STAGES,
  DEFAULT_STALE_AFTER_BUSINESS_DAYS,
  StageDefinition,
  validateStages,
} from '../pipeline/domain/stages';
import { CreateOpeningDto, StageDto, UpdateOpeningDto } from './dto/opening.dto';
import { Opening } from './opening.entity';
import { applyPublishing } from './publishing';

@Injectable()
export class OpeningsService {
  constructor(
    @InjectRepository(Opening) private readonly openings: Repository<Opening>,
    private readonly identity: IdentityService,
    private readonly bus: EventBus,
    private readonly alerts: AlertsRepository,
  ) {}

  async create(dto: CreateOpeningDto): Promise<Opening> {
    if (dto.compensation.max < dto.compensation.min) throw badRequest('compensation.max must be at least compensation.min');
    const { manager } = await this.checkOwners(dto);
    const stages = dto.stages ? this.buildStages(dto.stages) : defaultStages();
    const saved = await this.openings.save(
      this.openings.create({
        title: dto.title.trim(),
        hiringManagerId: dto.hiringManagerId,
        recruiterId: dto.recruiterId,
        compensationMin: dto.compensation.min,
        compensationMax: dto.compensation.max,
        compensationCurrency: dto.compensation.currency,
        stages,
        autoCheckins: dto.autoCheckins ?? true,
        holidays: dto.holidays ?? [],
        timezone: dto.timezone ?? manager!.timezone,
        reviewDurationMinutes: dto.reviewDurationMinutes ?? 60,
      }),
    );
    await this.bus.emit('opening.created', { opening: saved });
    return saved;
  }

  private buildStages(input: StageDto[]): StageDefinition[] {
    const stages: StageDefinition[] = input.map((s) => {
      const known = DEFAULT_STAGES.find((d) => d.key === s.key);
      return {
        key: s.key,
        name: s.name ?? known?.name ?? s.key.replace(/[_-]/g, ' ').replace(/^./, (c) => c.toUpperCase()),
        kind: (s.kind ?? known?.kind ?? 'custom') as StageDefinition['kind'],
        description: s.description ?? known?.description ?? '',
        contactSlaBusinessDays: s.contactSlaBusinessDays ?? DEFAULT_CONTACT_SLA_BUSINESS_DAYS,
        staleAfterBusinessDays: s.staleAfterBusinessDays ?? DEFAULT_STALE_AFTER_BUSINESS_DAYS,
      };
    });
    const result = validateStages(stages);
    if (!result.ok) {
      throw new ApplicationException(
        ErrorCode.ValidationFailed,
        `Invalid stages: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        { fields: result.errors },
      );
    }
    return result.stages;
  }

  async get(id: string): Promise<Opening> {
    const o = await this.openings.findOne({ where: { id } });
    if (!o) throw notFound('Opening');
    return o;
  }

  /** Newest first; `viewer` (a user id) limits the list to the openings whose team they are on, null: all. */
  list(viewer: string | null = null): Promise<Opening[]> {
    const q = this.openings.createQueryBuilder('o').orderBy('o.created_at', 'DESC').take(500);
    if (viewer) q.andWhere(teamFilterSql('o.id', ':viewer'), { viewer });
    return q.getMany();
  }

  /** Owners must be active accounts with a role that does the work. */
  private async checkOwners(dto: { hiringManagerId?: string; recruiterId?: string }): Promise<{ manager?: User }> {
    let manager: User | undefined;
    if (dto.hiringManagerId !== undefined) {
      manager = (await this.identity.getUser(dto.hiringManagerId).catch(() => null)) ?? undefined;
      if (!manager || manager.disabledAt || !canManageOpening(manager.roles))
        throw badRequest('hiringManagerId must be an active user with the hiring_manager role');
    }
    if (dto.recruiterId !== undefined) {
      const recruiter = await this.identity.getUser(dto.recruiterId).catch(() => null);
      if (!recruiter || recruiter.disabledAt || !canRecruitForOpening(recruiter.roles))
        throw badRequest('recruiterId must be an active user with the recruiter role');
    }
    return { manager };
  }

  /** How long this opening keeps candidates' data after an application closes (null: the company-wide period). */
  async setRetentionMonths(id: string, months: number | null): Promise<void> {
    await this.openings.query(`UPDATE openings SET retention_months = $2, updated_at = now() WHERE id = $1`, [id, months]);
  }

  /**
   * Changes an opening. A hand-over (new hiringManagerId or recruiterId) also hands over the open
   * alerts the previous owner had for this opening's candidates (stale-candidate alerts go with the
   * hiring manager, SLA breaches with the recruiter), in the same transaction, so nothing waits in
   * the inbox of someone who left. The audit log records the change.
   */
  async update(id: string, dto: UpdateOpeningDto): Promise<Opening> {
    await this.checkOwners(dto);
    return this.openings.manager.transaction(async (m) => {
      const o = await m.findOne(Opening, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!o) throw notFound('Opening');
      this.applyUpdate(o, dto);
      if (dto.hiringManagerId !== undefined && dto.hiringManagerId !== o.hiringManagerId) {
        await this.alerts.handOver(m, id, 'hiring_manager', o.hiringManagerId, dto.hiringManagerId);
        o.hiringManagerId = dto.hiringManagerId;
      }
      if (dto.recruiterId !== undefined && dto.recruiterId !== o.recruiterId) {
        await this.alerts.handOver(m, id, 'recruiter', o.recruiterId, dto.recruiterId);
        o.recruiterId = dto.recruiterId;
      }
      return m.save(Opening, o);
    });
  }

  private applyUpdate(o: Opening, dto: UpdateOpeningDto): void {
    if (dto.compensation) {
      if (dto.compensation.max < dto.compensation.min) throw badRequest('compensation.max must be at least compensation.min');
      Object.assign(o, {
        compensationMin: dto.compensation.min,
        compensationMax: dto.compensation.max,
        compensationCurrency: dto.compensation.currency,
      });
    }
    if (dto.title !== undefined) o.title = dto.title.trim();
    if (dto.autoCheckins !== undefined) o.autoCheckins = dto.autoCheckins;
    if (dto.holidays !== undefined) o.holidays = dto.holidays;
    if (dto.reviewDurationMinutes !== undefined) o.reviewDurationMinutes = dto.reviewDurationMinutes;
    if (dto.replySlaBusinessDays !== undefined) o.replySlaBusinessDays = dto.replySlaBusinessDays;
    if (dto.stageSettings) {
      const unknown = dto.stageSettings.filter((x) => !o.stages.some((s) => s.key === x.key)).map((x) => `"${x.key}"`);
      if (unknown.length) throw badRequest(`stageSettings names stages this opening does not have: ${unknown.join(', ')}`);
      const stages = o.stages.map((s) => {
        const x = dto.stageSettings!.find((y) => y.key === s.key);
        return x
          ? {
              ...s,
              contactSlaBusinessDays: x.contactSlaBusinessDays ?? s.contactSlaBusinessDays,
              staleAfterBusinessDays: x.staleAfterBusinessDays ?? s.staleAfterBusinessDays,
            }
          : s;
      });
      const result = validateStages(stages);
      if (!result.ok)
        throw new ApplicationException(
          ErrorCode.ValidationFailed,
          `Invalid stages: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
          { fields: result.errors },
        );
      o.stages = result.stages;
    }
    applyPublishing(o, dto, new Date());
  }
}

export function openingDto(o: Opening) {
  return {
    id: o.id,
    title: o.title,
    hiringManagerId: o.hiringManagerId,
    recruiterId: o.recruiterId,
    compensation: { min: o.compensationMin, max: o.compensationMax, currency: o.compensationCurrency },
    stages: o.stages,
    autoCheckins: o.autoCheckins,
    holidays: o.holidays,
    timezone: o.timezone,
    reviewDurationMinutes: o.reviewDurationMinutes,
    replySlaBusinessDays: o.replySlaBusinessDays,
    published: o.published,
    publishedAt: o.publishedAt,
    description: o.description,
    location: o.location,
    remote: o.remote,
    remoteTimeZones: o.remoteTimeZones,
    createdAt: o.createdAt,
  };
}
