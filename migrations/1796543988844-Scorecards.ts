import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scorecards: per opening the competencies and the decision rule (scorecard_templates), one
 * scorecard per person per interview or code review (scorecards, current version), every version
 * filed (scorecard_versions: amendments keep their history), and the feedback reminders sent.
 */
export class Scorecards1796543988844 implements MigrationInterface {
  name = 'Scorecards1796543988844';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scorecard_templates (
        opening_id uuid PRIMARY KEY REFERENCES openings(id),
        competencies jsonb NOT NULL,
        decision_rule text NOT NULL CHECK (decision_rule IN ('no_strong_no_and_one_strong_yes','majority_yes','unanimous_yes')),
        feedback_due_business_hours int NOT NULL DEFAULT 24 CHECK (feedback_due_business_hours BETWEEN 1 AND 240),
        anonymous_review boolean NOT NULL DEFAULT false,
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE scorecards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications(id),
        session_kind text NOT NULL CHECK (session_kind IN ('interview','review')),
        session_id uuid NOT NULL,
        author_id uuid NOT NULL REFERENCES users(id),
        ratings jsonb NOT NULL,
        recommendation text NOT NULL CHECK (recommendation IN ('strong_no','no','yes','strong_yes')),
        notes text NOT NULL DEFAULT '',
        version int NOT NULL DEFAULT 1 CHECK (version >= 1),
        filed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (session_kind, session_id, author_id)
      )`);
    await q.query(`CREATE INDEX scorecards_application_idx ON scorecards (application_id)`);
    await q.query(`
      CREATE TABLE scorecard_versions (
        id bigserial PRIMARY KEY,
        scorecard_id uuid NOT NULL REFERENCES scorecards(id) ON DELETE CASCADE,
        version int NOT NULL,
        ratings jsonb NOT NULL,
        recommendation text NOT NULL,
        notes text NOT NULL,
        filed_at timestamptz NOT NULL,
        UNIQUE (scorecard_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['scorecard_versions', 'scorecards', 'scorecard_templates']) await q.query(`DROP TABLE ${t}`);
  }
}
