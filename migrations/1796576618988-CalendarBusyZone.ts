import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The zone a calendar's all-day and floating times were read in at its last successful read (the
 * owner's reviewer-profile zone, else their account's). When the owner's zone changes, the calendar
 * is read again before the next booking (its stored busy times were whole days of the old zone).
 */
export class CalendarBusyZone1796576618988 implements MigrationInterface {
  name = 'CalendarBusyZone1796576618988';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calendar_connections ADD COLUMN busy_zone text`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calendar_connections DROP COLUMN busy_zone`);
  }
}
