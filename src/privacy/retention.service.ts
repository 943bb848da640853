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
    // The shortest retention period, as a value: the planner then estimates how many candidates are
    // old enough (an index range when few are, a scan when most are).
    const [{ months: shortest }]: Array<{ months: number }> = await this.ds.query(
      `SELECT least($1::int, min(retention_months))::int AS months FROM openings`,
      [defaultMonths],
    );
    let after = '00000000-0000-0000-0000-000000000000';
    let erased = 0,
      failed = 0,
      checked = 0,
      first = true;
    for (;;) {
      // Only candidates whose data can have expired are looked at further. Their expiry
      // (EXPIRES_AT_SQL) is at least their creation plus the shortest retention period (`shortest`:
      // the default or any opening's; every application is closed or updated after its candidate was created)
      // and at least their consent plus the default. Both bounds are compared as instants computed
      // once (the period subtracted from now, plus 4 days: adding months shortens a month-end by up
      // to 3 days, and a DST change by an hour), so they can only let in a few too many, whose
      // exact expiry is checked below; an index over the creation (anonymized_at IS NULL) finds
      // them, so a sweep in which no candidate is old enough reads none.
      // Of those, the candidates without an active application first (anti-join), then the expiry
      // of those alone: evaluated the other way round, the expiry subquery ran for every candidate.
      const [page]: Array<{ ids: string[] | null; old: number }> = await this.ds.query(
        `WITH old AS MATERIALIZED (
           SELECT c.id, c.created_at, c.consent_at FROM candidates c
            WHERE c.anonymized_at IS NULL AND c.id > $1
              AND c.created_at <= $2::timestamptz - make_interval(months => $4::int) + interval '4 days'
              AND (c.consent_at IS NULL OR c.consent_at <= $2::timestamptz - make_interval(months => $3::int) + interval '4 days')),
         idle AS MATERIALIZED (
           SELECT c.* FROM old c
            WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = c.id AND a.status = 'active'))
         SELECT (SELECT count(*) FROM old)::int AS old,
                (SELECT array_agg(id ORDER BY id) FROM (
                   SELECT c.id FROM idle c WHERE ${expiresAtSql(3)} <= $2 ORDER BY c.id LIMIT ${PAGE}) due) AS ids`,
        [after, now, defaultMonths, shortest],
      );
      if (first) checked = page.old;
      first = false;
      const rows = (page.ids ?? []).map((id) => ({ id }));
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
    // checked: the candidates old enough to have expired, which the sweep looked at further.
    return { erased, failed, checked };
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
