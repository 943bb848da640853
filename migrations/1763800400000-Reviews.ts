import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reviews1763800400000 implements MigrationInterface {
  name = 'Reviews1763800400000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL UNIQUE,
        application_id uuid NOT NULL REFERENCES applications(id),
        submission_id uuid,
        exemption_id uuid REFERENCES exemptions(id),
        reviewer_id uuid NOT NULL REFERENCES users(id),
        language text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','cancelled','completed')),
        sequence int NOT NULL DEFAULT 0,
        decision text CHECK (decision IN ('advance','reject')),
        notes text,
        decided_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX review_sessions_reviewer_idx ON review_sessions (reviewer_id, starts_at) WHERE status <> 'cancelled'`);
    await q.query(`CREATE INDEX review_sessions_application_idx ON review_sessions (application_id)`);
    await q.query(`
      CREATE TABLE busy_blocks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX busy_blocks_user_idx ON busy_blocks (user_id, starts_at)`);
    // Which language the public code is in, so the review goes to an engineer who knows it.
    await q.query(`ALTER TABLE exemptions ADD COLUMN language text`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE exemptions DROP COLUMN language`);
    await q.query(`DROP TABLE busy_blocks`);
    await q.query(`DROP TABLE review_sessions`);
  }
}
