import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-way conversations (docs/inbox.md): candidates' replies read from the team mailbox
 * (inbound_messages, one row per distinct mail: dedupe_key is unique), their attachments, the
 * mailbox reader's last state (one row, for /health and the admin page), the threading headers
 * of outbound messages, and the per-opening reply SLA. Chat notifications: one webhook per
 * destination (the URL sealed) and its delivery log.
 */
export class Inbox1796554038167 implements MigrationInterface {
  name = 'Inbox1796554038167';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL UNIQUE,
        message_id_header text,
        application_id uuid REFERENCES applications(id) ON DELETE CASCADE,
        candidate_id uuid REFERENCES candidates(id) ON DELETE CASCADE,
        matched_by text CHECK (matched_by IN ('thread','reply_address','sender','assigned')),
        from_address text NOT NULL,
        from_name text,
        subject text NOT NULL,
        text_display text NOT NULL,
        text_original text NOT NULL,
        in_reply_to text,
        "references" text[] NOT NULL DEFAULT '{}',
        raw bytea,
        raw_size int NOT NULL,
        notes text[] NOT NULL DEFAULT '{}',
        received_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        answered_at timestamptz,
        answered_by_message_id uuid,
        assigned_by uuid REFERENCES users(id),
        dismissed_at timestamptz,
        dismissed_by uuid REFERENCES users(id)
      )`);
    await q.query(`CREATE INDEX inbound_messages_application_idx ON inbound_messages (application_id, received_at)`);
    await q.query(
      `CREATE INDEX inbound_messages_unanswered_idx ON inbound_messages (received_at) WHERE application_id IS NOT NULL AND answered_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX inbound_messages_unmatched_idx ON inbound_messages (created_at) WHERE application_id IS NULL AND dismissed_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE inbound_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inbound_id uuid NOT NULL REFERENCES inbound_messages(id) ON DELETE CASCADE,
        filename text NOT NULL,
        content_type text NOT NULL,
        size int NOT NULL,
        content bytea NOT NULL
      )`);
    await q.query(`CREATE INDEX inbound_attachments_inbound_idx ON inbound_attachments (inbound_id)`);
    await q.query(`
      CREATE TABLE inbox_status (
        id int PRIMARY KEY CHECK (id = 1),
        ok_at timestamptz,
        error text,
        error_at timestamptz,
        imported int NOT NULL DEFAULT 0
      )`);
    await q.query(`ALTER TABLE messages ADD COLUMN in_reply_to text, ADD COLUMN "references" text`);
    await q.query(
      `ALTER TABLE openings ADD COLUMN reply_sla_business_days int NOT NULL DEFAULT 1 CHECK (reply_sla_business_days BETWEEN 1 AND 30)`,
    );
    await q.query(`
      CREATE TABLE chat_webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        flavor text NOT NULL CHECK (flavor IN ('slack','teams','mattermost')),
        url_enc text NOT NULL,
        url_hint text NOT NULL,
        kinds text[] NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE chat_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES chat_webhooks(id) ON DELETE CASCADE,
        dedupe_key text NOT NULL,
        text text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending','succeeded','failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_status int,
        last_error text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        UNIQUE (webhook_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX chat_deliveries_due_idx ON chat_deliveries (next_attempt_at) WHERE status = 'pending'`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE chat_deliveries`);
    await q.query(`DROP TABLE chat_webhooks`);
    await q.query(`ALTER TABLE openings DROP COLUMN reply_sla_business_days`);
    await q.query(`ALTER TABLE messages DROP COLUMN in_reply_to, DROP COLUMN "references"`);
    await q.query(`DROP TABLE inbox_status`);
    await q.query(`DROP TABLE inbound_attachments`);
    await q.query(`DROP TABLE inbound_messages`);
  }
}
