import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SweepRegistry } from '../common/sweep/sweep.registry';
import { SettingsService } from '../integrations/settings.service';
import { ErasureService } from './erasure.service';
import { expiresAtSql } from './retention';

const PAGE = 200;

/** The `retention` sweep: anonymises every candidate whose retention period has passed. */
@Injectable()
export class RetentionService implements OnModuleInit {
  private readonly logger = new Logger('Retention');
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly erasure: ErasureService,
    private readonly settings: SettingsService,
    private readonly sweeps: SweepRegistry,
  ) {}

  onModuleInit(): void {
    this.sweeps.register({ name: 'retention', run: (now) => this.sweep(now) });
  }

  async sweep(now: Date): Promise<Record<string, number>> {
    const { defaultMonths } = await this.settings.retention();
    let after = '00000000-0000-0000-0000-000000000000';
    let erased = 0,
      failed = 0;
    for (;;) {
      // Candidates without an active application first (a hash anti-join), then the expiry of
      // those alone: evaluated the other way round, the expiry subquery ran for every candidate.
      const rows: Array<{ id: string }> = await this.ds.query(
        `WITH idle AS MATERIALIZED (
           SELECT c.id, c.created_at, c.consent_at FROM candidates c
            WHERE c.anonymized_at IS NULL AND c.id > $1
              AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = c.id AND a.status = 'active'))
         SELECT c.id FROM idle c WHERE ${expiresAtSql(3)} <= $2
          ORDER BY c.id LIMIT ${PAGE}`,
        [after, now, defaultMonths],
      );
      for (const r of rows) {
        try {
          await this.erasure.erase(r.id, 'retention', null, now);
          erased++;
        } catch (e) {
          failed++;
          this.logger.error({ candidateId: r.id, err: (e as Error).message }, 'retention erasure failed');
        }
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
    return { erased, failed };
  }

  /** When this candidate's data expires (null while an application is active). */
  async keptUntil(candidateId: string): Promise<Date | null> {
    const { defaultMonths } = await this.settings.retention();
    const [row]: Array<{ until: Date; active: boolean }> = await this.ds.query(
      `SELECT ${expiresAtSql(2)} AS until, EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = c.id AND a.status = 'active') AS active FROM candidates c WHERE c.id = $1`,
      [candidateId, defaultMonths],
    );
    return row && !row.active ? row.until : null;
  }
}
