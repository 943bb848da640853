import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in limits as atomic fixed-window counters: one row per account ("a:<email>") and per
 * client address ("i:<ip>"), bumped by a single INSERT ... ON CONFLICT DO UPDATE ... RETURNING
 * (the row lock serializes parallel attempts, so no check-then-insert gap).
 */
export class LoginLimits1796543916685 implements MigrationInterface {
  name = 'LoginLimits1796543916685';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE login_limits (key text PRIMARY KEY, window_start timestamptz NOT NULL, failures int NOT NULL)`);
    await q.query(`CREATE INDEX login_limits_window_idx ON login_limits (window_start)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_limits`);
  }
}
