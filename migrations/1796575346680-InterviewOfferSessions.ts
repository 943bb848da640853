import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The interview sessions a candidate's pick of an interview offer booked (in the plan's order), so
 * the candidate can later move or cancel exactly that loop from their link.
 */
export class InterviewOfferSessions1796575346680 implements MigrationInterface {
  name = 'InterviewOfferSessions1796575346680';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slot_offers ADD COLUMN session_ids uuid[]`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slot_offers DROP COLUMN session_ids`);
  }
}
