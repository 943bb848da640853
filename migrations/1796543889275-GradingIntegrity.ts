import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trustworthy grading (issue 18):
 * - one upload at a time per link: at most one queued/grading submission per invitation, in
 *   the database itself (the upload transaction also decides it under the invitation's row lock).
 *   A database holding two pending rows for one link from before must grade them first.
 */
export class GradingIntegrity1796543889275 implements MigrationInterface {
  name = 'GradingIntegrity1796543889275';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX submissions_one_pending_idx ON submissions (invitation_id) WHERE status IN ('queued','grading')`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS submissions_one_pending_idx`);
  }
}
