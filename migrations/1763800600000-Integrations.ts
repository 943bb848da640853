import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Integrations and data protection: webhook endpoints with their delivery outbox and attempt log,
 * platform settings (private webhook targets, default retention), a retention period per
 * opening, the append-only erasure record, and the append-only staff audit log.
 */
export class Integrations1763800600000 implements MigrationInterface {
  name = 'Integrations1763800600000';
  async up(q: QueryRunner): Promise<void> {
    // Key/value settings an admin changes at run time (env variables override nothing here: an
    // env value of WEBHOOKS_ALLOW_PRIVATE=true allows private targets whatever the row says).
    await q.query(`
      CREATE TABLE platform_settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        secret_enc text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        description text,
        enabled boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The webhook outbox: one row per (event, subscribed endpoint), written in the transaction of
    // the event (src/pipeline/timeline.ts). The worker's poller hands due rows to the queue.
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_id bigint,
        application_id uuid REFERENCES applications(id),
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivering','succeeded','failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        last_attempt_at timestamptz,
        last_status_code int,
        last_error text,
        delivered_at timestamptz,
        failed_at timestamptz,
        redelivery_of uuid REFERENCES webhook_deliveries(id),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC)`);
    await q.query(
      `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending','delivering')`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_application_idx ON webhook_deliveries (application_id)`);
    await q.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempt int NOT NULL,
        at timestamptz NOT NULL,
        status_code int,
        error text,
        duration_ms int NOT NULL,
        response_excerpt text
      )`);
    await q.query(`CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, attempt)`);

    // Retention: months after the candidate's last application closed; NULL = the global setting.
    await q.query(`ALTER TABLE openings ADD COLUMN retention_months int CHECK (retention_months BETWEEN 1 AND 240)`);
    // The record that an erasure happened (who asked, when, what was touched); no personal data.
    await q.query(`
      CREATE TABLE erasures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid NOT NULL REFERENCES candidates(id),
        reason text NOT NULL CHECK (reason IN ('request','retention')),
        requested_via text NOT NULL CHECK (requested_via IN ('staff','candidate','retention')),
        requested_by uuid REFERENCES users(id),
        at timestamptz NOT NULL,
        summary jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX erasures_candidate_idx ON erasures (candidate_id)`);
    await q.query(`CREATE TRIGGER erasures_append_only BEFORE UPDATE OR DELETE ON erasures FOR EACH ROW EXECUTE FUNCTION forbid_rewrite()`);
    // Nothing is ever mailed to an erased candidate: a message row written for one (a sweep's
    // check-in on a still-active application, say) is stored cancelled and empty.
    await q.query(`
      CREATE FUNCTION cancel_mail_to_erased() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.candidate_id IS NOT NULL AND EXISTS (SELECT 1 FROM candidates WHERE id = NEW.candidate_id AND anonymized_at IS NOT NULL) THEN
          NEW.status := 'cancelled';
          NEW.to_address := 'erased-' || NEW.candidate_id || '@invalid';
          NEW.to_name := NULL;
          NEW.subject := '[erased]';
          NEW.html := '';
          NEW.text := '';
          NEW.attachments := '[]'::jsonb;
          NEW.last_error := 'recipient erased';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER messages_cancel_to_erased BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION cancel_mail_to_erased()`,
    );

    // Every staff write (API or page). Append-only: the same trigger as the timeline; only an
    // erasure (SET LOCAL hiring.allow_rewrite = 'on') may scrub a person's data out of it.
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id uuid,
        actor_kind text NOT NULL DEFAULT 'user',
        token_kind text,
        token_id uuid,
        via text,
        method text NOT NULL,
        route text NOT NULL,
        path text NOT NULL,
        entity_type text,
        entity_id text,
        response_id text,
        status_code int NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('succeeded','failed')),
        request_id text,
        ip text,
        body jsonb,
        changes jsonb,
        error text
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at)`);
    await q.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity_id)`);
    await q.query(
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION forbid_rewrite()`,
    );
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION forbid_rewrite()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TRIGGER messages_cancel_to_erased ON messages`);
    await q.query(`DROP FUNCTION cancel_mail_to_erased()`);
    await q.query(`DROP TABLE erasures`);
    await q.query(`ALTER TABLE openings DROP COLUMN retention_months`);
    for (const t of ['webhook_attempts', 'webhook_deliveries', 'webhook_endpoints', 'platform_settings']) await q.query(`DROP TABLE ${t}`);
  }
}
