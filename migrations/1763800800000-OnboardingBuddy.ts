import { MigrationInterface, QueryRunner } from 'typeorm';

/** Onboarding: the buddy chosen by the hiring manager, and who ticked an item off. */
export class OnboardingBuddy1763800800000 implements MigrationInterface {
  name = 'OnboardingBuddy1763800800000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE onboarding_plans ADD COLUMN buddy_id uuid REFERENCES users(id)`);
    await q.query(`ALTER TABLE onboarding_items ADD COLUMN done_by uuid REFERENCES users(id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE onboarding_items DROP COLUMN done_by`);
    await q.query(`ALTER TABLE onboarding_plans DROP COLUMN buddy_id`);
  }
}
