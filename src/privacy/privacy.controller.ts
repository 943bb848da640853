import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { OpeningsService } from '../openings/openings.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { notFound } from '../common/errors/application.exception';
import { rowsOf } from '../common/database/rows';
import { ApiController } from '../common/http/api-controller';
import { AuditWithoutChanges } from '../audit/audit.decorators';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { Role } from '../identity/user.entity';
import { SettingsService } from '../integrations/settings.service';
import { ConsentDto, OpeningRetentionDto } from './dto/privacy.dto';
import { ErasureService } from './erasure.service';
import { ExportService } from './export.service';
import { RetentionService } from './retention.service';

/** Right of access, erasure and consent for one candidate (recruiters and admins). */
@ApiController('candidates', 'privacy')
@Roles(Role.Recruiter)
export class PrivacyController {
  constructor(
    private readonly exporter: ExportService,
    private readonly erasure: ErasureService,
    private readonly retention: RetentionService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** Everything stored about the candidate, as JSON. */
  @Get(':id/export')
  export(@Param('id', ParseUUIDPipe) id: string) {
    return this.exporter.export(id);
  }

  /** Erase now: personal data is removed everywhere, a placeholder candidate row stays. */
  @Post(':id/erasure')
  @HttpCode(200)
  @AuditWithoutChanges()
  erase(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    return this.erasure.erase(id, 'staff', me.id);
  }

  @Put(':id/consent')
  async consent(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ConsentDto) {
    const rows = rowsOf<{ consent_at: Date | null }>(
      await this.ds.query(
        `UPDATE candidates SET consent_at = $2, updated_at = now() WHERE id = $1 AND anonymized_at IS NULL RETURNING consent_at`,
        [id, dto.given ? this.clock.now() : null],
      ),
    );
    if (!rows.length) throw notFound('Candidate');
    return { candidateId: id, consentAt: rows[0].consent_at, keptUntil: await this.retention.keptUntil(id) };
  }
}

/** Retention period of one opening. */
@ApiController('openings', 'privacy')
@Roles(Role.Recruiter)
export class OpeningRetentionController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly openings: OpeningsService,
  ) {}

  private async read(id: string) {
    const [row]: Array<{ retention_months: number | null }> = await this.ds.query(`SELECT retention_months FROM openings WHERE id = $1`, [
      id,
    ]);
    if (!row) throw notFound('Opening');
    const { defaultMonths } = await this.settings.retention();
    return { openingId: id, months: row.retention_months, effectiveMonths: row.retention_months ?? defaultMonths };
  }

  @Get(':id/retention')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.read(id);
  }

  @Put(':id/retention')
  async put(@Param('id', ParseUUIDPipe) id: string, @Body() dto: OpeningRetentionDto) {
    await this.openings.setRetentionMonths(id, dto.months);
    return this.read(id);
  }
}
