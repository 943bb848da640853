import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The candidate experience survey (issue 22): one row per closed application, made when the
 * survey e-mail is queued (the opening and the stage where it ended), answered at most once per
 * application (a second answer replaces the first). Insights read only answered rows.
 */
export class CandidateSurvey1796559065380 implements MigrationInterface {
  name = 'CandidateSurvey1796559065380';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE candidate_surveys (
      application_id uuid PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
      candidate_id uuid NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
      opening_id uuid NOT NULL REFERENCES openings(id) ON DELETE CASCADE,
      stage text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('hired', 'rejected', 'withdrawn')),
      score int CHECK (score BETWEEN 0 AND 10),
      informed text CHECK (informed IN ('yes', 'partly', 'no')),
      comment text,
      sent_at timestamptz NOT NULL,
      answered_at timestamptz,
      updated_at timestamptz
    )`);
    await q.query(`CREATE INDEX candidate_surveys_opening ON candidate_surveys (opening_id) WHERE answered_at IS NOT NULL`);
    await q.query(`CREATE INDEX candidate_surveys_candidate ON candidate_surveys (candidate_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE candidate_surveys`);
  }
}
