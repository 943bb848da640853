import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Careers: per-opening questions on the public application form (the screening engine's shape:
 * exact answers, accepted variants, knock-outs, weights, a pass threshold) and each application's
 * answers, scored when it arrives.
 */
export class ApplicationQuestions1796554397420 implements MigrationInterface {
  name = 'ApplicationQuestions1796554397420';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE application_questions (
      opening_id uuid PRIMARY KEY REFERENCES openings(id) ON DELETE CASCADE,
      form jsonb NOT NULL,
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE application_answers (
      application_id uuid PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
      answers jsonb NOT NULL,
      score numeric(5,2),
      passed boolean,
      knockout_failed boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE application_answers`);
    await q.query(`DROP TABLE application_questions`);
  }
}
