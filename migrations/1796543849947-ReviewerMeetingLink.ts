import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each reviewer's own video-call link, put in the code-review invitation as its place. */
export class ReviewerMeetingLink1796543849947 implements MigrationInterface {
  name = 'ReviewerMeetingLink1796543849947';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reviewer_profiles ADD COLUMN meeting_url text`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reviewer_profiles DROP COLUMN meeting_url`);
  }
}
