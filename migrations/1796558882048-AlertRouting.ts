import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-user routing of alerts and the daily digest (docs/notification-routes.md): each user's own
 * Slack and Teams webhook (sealed, key purpose 'chat-webhooks') and, per alert kind and for the
 * digest, where it goes. Personal chat deliveries share chat_deliveries (and its poller) with the
 * team webhooks: a row targets either a team webhook or a user's webhook of one flavor.
 */
export class AlertRouting1796558882048 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_routes (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        slack_url_enc text,
        slack_url_hint text,
        slack_since timestamptz,
        teams_url_enc text,
        teams_url_hint text,
        teams_since timestamptz,
        routes jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      ALTER TABLE chat_deliveries
        ALTER COLUMN webhook_id DROP NOT NULL,
        ADD COLUMN user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        ADD COLUMN flavor text CHECK (flavor IN ('slack','teams')),
        ADD CONSTRAINT chat_deliveries_one_target CHECK ((webhook_id IS NULL) = (user_id IS NOT NULL AND flavor IS NOT NULL))`);
    await q.query(
      `CREATE UNIQUE INDEX chat_deliveries_user_key ON chat_deliveries (user_id, flavor, dedupe_key) WHERE user_id IS NOT NULL`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM chat_deliveries WHERE webhook_id IS NULL`);
    await q.query(`DROP INDEX chat_deliveries_user_key`);
    await q.query(
      `ALTER TABLE chat_deliveries DROP CONSTRAINT chat_deliveries_one_target, DROP COLUMN flavor, DROP COLUMN user_id, ALTER COLUMN webhook_id SET NOT NULL`,
    );
    await q.query(`DROP TABLE notification_routes`);
  }
}
