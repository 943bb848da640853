import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening: a versioned question bank per opening, and the sessions recruiters run with it.
 * A session points at the exact form version it used (form_id), so editing a form (a new
 * version) never alters a past session; form versions themselves are append-only.
 */
export class Screening1763800200000 implements MigrationInterface {
  name = 'Screening1763800200000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE screening_forms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        opening_id uuid NOT NULL REFERENCES openings(id),
        version int NOT NULL CHECK (version >= 1),
        pass_threshold numeric(5,2) NOT NULL CHECK (pass_threshold BETWEEN 0 AND 100),
        questions jsonb NOT NULL,
        lint jsonb NOT NULL DEFAULT '[]',
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (opening_id, version)
      )`);
    // A saved version is history: sessions pin it, so it is never rewritten.
    await q.query(
      `CREATE TRIGGER screening_forms_append_only BEFORE UPDATE OR DELETE ON screening_forms FOR EACH ROW EXECUTE FUNCTION forbid_rewrite()`,
    );
    await q.query(`
      CREATE TABLE screening_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications(id),
        form_id uuid NOT NULL REFERENCES screening_forms(id),
        form_version int NOT NULL,
        score numeric(5,2) NOT NULL CHECK (score BETWEEN 0 AND 100),
        passed boolean NOT NULL,
        knockout_failed boolean NOT NULL,
        failed_knockouts text[] NOT NULL DEFAULT '{}',
        answers jsonb NOT NULL,
        checklist jsonb NOT NULL DEFAULT '{}',
        outcome text CHECK (outcome IN ('advanced','rejected')),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX screening_sessions_app_idx ON screening_sessions (application_id, created_at)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE screening_sessions`);
    await q.query(`DROP TABLE screening_forms`);
  }
}
