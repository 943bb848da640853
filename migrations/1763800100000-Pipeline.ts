import { MigrationInterface, QueryRunner } from 'typeorm';

export class Pipeline1763800100000 implements MigrationInterface {
  name = 'Pipeline1763800100000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE openings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        hiring_manager_id uuid NOT NULL REFERENCES users(id),
        recruiter_id uuid NOT NULL REFERENCES users(id),
        compensation_min numeric(12,2) NOT NULL CHECK (compensation_min >= 0),
        compensation_max numeric(12,2) NOT NULL,
        compensation_currency char(3) NOT NULL,
        stages jsonb NOT NULL,
        auto_checkins boolean NOT NULL DEFAULT true,
        holidays text[] NOT NULL DEFAULT '{}',
        timezone text NOT NULL DEFAULT 'UTC',
        review_duration_minutes int NOT NULL DEFAULT 60 CHECK (review_duration_minutes BETWEEN 15 AND 240),
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (compensation_max >= compensation_min)
      )`);
    await q.query(`
      CREATE TABLE candidates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text NOT NULL,
        timezone text NOT NULL,
        phone text,
        source_kind text NOT NULL CHECK (source_kind IN ('referral','internship','partner','job_board','direct','other')),
        source_detail text,
        referrer_id uuid REFERENCES users(id),
        public_code_url text,
        consent_at timestamptz,
        anonymized_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX candidates_email_lower_uq ON candidates (lower(email))`);
    await q.query(`
      CREATE TABLE applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid NOT NULL REFERENCES candidates(id),
        opening_id uuid NOT NULL REFERENCES openings(id),
        stage text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','rejected','withdrawn','hired')),
        stage_entered_at timestamptz NOT NULL,
        stage_visit int NOT NULL DEFAULT 1,
        last_contact_at timestamptz,
        closed_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (candidate_id, opening_id)
      )`);
    await q.query(`CREATE INDEX applications_active_idx ON applications (id) WHERE status = 'active'`);
    await q.query(`CREATE INDEX applications_opening_stage_idx ON applications (opening_id, stage, status)`);
    await q.query(`
      CREATE TABLE application_events (
        id bigserial PRIMARY KEY,
        application_id uuid NOT NULL REFERENCES applications(id),
        type text NOT NULL,
        at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('user','system','candidate')),
        actor_id uuid,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX application_events_app_idx ON application_events (application_id, id)`);
    await q.query(`CREATE INDEX application_events_type_idx ON application_events (type, at)`);
    // Append-only: updates and deletes are refused unless an erasure explicitly allows them.
    await q.query(`
      CREATE FUNCTION forbid_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('hiring.allow_rewrite', true), '') = 'on' THEN
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER application_events_append_only BEFORE UPDATE OR DELETE ON application_events FOR EACH ROW EXECUTE FUNCTION forbid_rewrite()`,
    );
    await q.query(`
      CREATE TABLE exemptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications(id),
        kind text NOT NULL CHECK (kind IN ('public_code')),
        url text NOT NULL,
        reason text NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX exemptions_app_idx ON exemptions (application_id)`);
    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        idempotency_key text NOT NULL UNIQUE,
        application_id uuid REFERENCES applications(id),
        candidate_id uuid REFERENCES candidates(id),
        recipient_user_id uuid REFERENCES users(id),
        to_address text NOT NULL,
        to_name text,
        template text NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        text text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sending','sent','failed','cancelled')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX messages_application_idx ON messages (application_id, created_at)`);
    await q.query(`CREATE INDEX messages_pending_idx ON messages (created_at) WHERE status IN ('queued','sending')`);
    await q.query(`
      CREATE TABLE message_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        opening_id uuid REFERENCES openings(id),
        key text NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        text text NOT NULL,
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX message_templates_uq ON message_templates (coalesce(opening_id, '00000000-0000-0000-0000-000000000000'::uuid), key)`,
    );
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        dedupe_key text NOT NULL UNIQUE,
        recipient_id uuid NOT NULL REFERENCES users(id),
        application_id uuid REFERENCES applications(id),
        opening_id uuid REFERENCES openings(id),
        stage text,
        level text NOT NULL DEFAULT 'raised' CHECK (level IN ('raised','escalated')),
        message text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        escalated_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by uuid REFERENCES users(id)
      )`);
    await q.query(`CREATE INDEX alerts_recipient_open_idx ON alerts (recipient_id, created_at) WHERE acknowledged_at IS NULL`);
    await q.query(`CREATE INDEX alerts_application_idx ON alerts (application_id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'alerts',
      'message_templates',
      'messages',
      'exemptions',
      'application_events',
      'applications',
      'candidates',
      'openings',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP FUNCTION forbid_rewrite()`);
  }
}
