import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `retention` sweep (src/privacy/retention.service.ts) looks only at candidates created before
 * the shortest retention period began: with this index, a sweep in which no candidate is that old
 * reads none, instead of scanning every candidate and anti-joining every active application.
 */
export class RetentionCreatedIndex1796610202145 implements MigrationInterface {
  name = 'RetentionCreatedIndex1796610202145';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX candidates_retention_created_idx ON candidates (created_at) WHERE anonymized_at IS NULL`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX candidates_retention_created_idx`);
  }
}
