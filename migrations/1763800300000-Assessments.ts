import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Take-home assessments: assignments and their versions (archives as bytea with SHA-256),
 * invitations (portal tokens stored as SHA-256 only), attestations, submissions (every upload
 * kept, graded once) and candidate feedback per version.
 */
export class Assessments1763800300000 implements MigrationInterface {
  name = 'Assessments1763800300000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        runtime text NOT NULL,
        instructions text NOT NULL,
        time_guidance_minutes int NOT NULL CHECK (time_guidance_minutes BETWEEN 1 AND 180),
        limits jsonb NOT NULL DEFAULT '{}',
        resubmission text NOT NULL DEFAULT 'until_first_graded' CHECK (resubmission IN ('until_deadline','until_first_graded')),
        candidate_sees text NOT NULL DEFAULT 'summary' CHECK (candidate_sees IN ('status_only','summary')),
        max_submission_bytes int NOT NULL DEFAULT 10485760 CHECK (max_submission_bytes BETWEEN 1024 AND 104857600),
        invitation_days int NOT NULL DEFAULT 7 CHECK (invitation_days BETWEEN 1 AND 60),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE assignment_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assignment_id uuid NOT NULL REFERENCES assignments(id),
        version int NOT NULL CHECK (version >= 1),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published')),
        instructions text NOT NULL,
        time_guidance_minutes int NOT NULL CHECK (time_guidance_minutes BETWEEN 1 AND 180),
        limits jsonb NOT NULL DEFAULT '{}',
        hidden_tests bytea NOT NULL,
        hidden_tests_sha256 char(64) NOT NULL,
        hidden_test_paths text[] NOT NULL,
        starter bytea,
        starter_sha256 char(64),
        reference_solution bytea NOT NULL,
        reference_solution_sha256 char(64) NOT NULL,
        layout_top_level text[] NOT NULL DEFAULT '{}',
        publish_check jsonb,
        published_at timestamptz,
        published_by uuid REFERENCES users(id),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        UNIQUE (assignment_id, version)
      )`);
    await q.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications(id),
        assignment_id uuid NOT NULL REFERENCES assignments(id),
        version_id uuid NOT NULL REFERENCES assignment_versions(id),
        token_hash char(64) NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX invitations_application_idx ON invitations (application_id, created_at)`);
    await q.query(`
      CREATE TABLE attestations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invitation_id uuid NOT NULL UNIQUE REFERENCES invitations(id),
        full_name text NOT NULL,
        statement text NOT NULL,
        signed_at timestamptz NOT NULL,
        ip text,
        user_agent text
      )`);
    await q.query(`
      CREATE TABLE submissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invitation_id uuid NOT NULL REFERENCES invitations(id),
        application_id uuid NOT NULL REFERENCES applications(id),
        version_id uuid NOT NULL REFERENCES assignment_versions(id),
        seq int NOT NULL CHECK (seq >= 1),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','grading','graded')),
        archive bytea NOT NULL,
        sha256 char(64) NOT NULL,
        size_bytes int NOT NULL,
        format text NOT NULL,
        file_count int NOT NULL,
        original_filename text,
        idempotency_key text,
        grading_run_id uuid,
        grading_started_at timestamptz,
        lease_expires_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        result jsonb,
        graded_at timestamptz,
        hooks_done_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (invitation_id, seq),
        UNIQUE (invitation_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX submissions_application_idx ON submissions (application_id, created_at)`);
    await q.query(`CREATE INDEX submissions_pending_idx ON submissions (updated_at) WHERE status IN ('queued','grading')`);
    await q.query(
      `CREATE INDEX submissions_hooks_pending_idx ON submissions (graded_at) WHERE status = 'graded' AND hooks_done_at IS NULL`,
    );
    await q.query(`CREATE INDEX submissions_duplicate_idx ON submissions (invitation_id, sha256, created_at)`);
    await q.query(`
      CREATE TABLE assignment_feedback (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invitation_id uuid NOT NULL UNIQUE REFERENCES invitations(id),
        version_id uuid NOT NULL REFERENCES assignment_versions(id),
        application_id uuid NOT NULL REFERENCES applications(id),
        clarity int NOT NULL CHECK (clarity BETWEEN 1 AND 5),
        minutes_spent int NOT NULL CHECK (minutes_spent BETWEEN 0 AND 10080),
        comments text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX assignment_feedback_version_idx ON assignment_feedback (version_id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    for (const t of ['assignment_feedback', 'submissions', 'attestations', 'invitations', 'assignment_versions', 'assignments']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
