import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the set-based sweeps (src/communications/sla.service.ts, src/alerts/alerts.service.ts).
 * Both join each active application to its current stage's settings (one row per opening and
 * stage) and keep only rows old enough to be due, so each (opening, stage) pair is one range scan
 * over the instant its clock counts from, instead of a scan of every active application.
 */
export class SweepIndexes1763800700000 implements MigrationInterface {
  name = 'SweepIndexes1763800700000';
  async up(q: QueryRunner): Promise<void> {
    // sla-checkins: the SLA reference is the later of the last contact and the stage entry.
    await q.query(`
      CREATE INDEX applications_sla_reference_idx
          ON applications (opening_id, stage, (greatest(stage_entered_at, coalesce(last_contact_at, stage_entered_at))))
       WHERE status = 'active'`);
    // stale-alerts: time in the stage counts from the stage entry.
    await q.query(
      `CREATE INDEX applications_stage_entered_idx ON applications (opening_id, stage, stage_entered_at) WHERE status = 'active'`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX applications_stage_entered_idx`);
    await q.query(`DROP INDEX applications_sla_reference_idx`);
  }
}
