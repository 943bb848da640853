import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calendars: one connected calendar per staff user (CalDAV or a secret ICS address, its URL and
 * credentials sealed with the 'calendar-credentials' key), the busy intervals read from it (replaced
 * wholesale by each successful sync), and the events the platform wrote back into it.
 */
export class Calendars1796554213703 implements MigrationInterface {
  name = 'Calendars1796554213703';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE calendar_connections (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('caldav', 'ics')),
      url_sealed text NOT NULL,
      url_display text NOT NULL,
      username text,
      secret_sealed text,
      calendar_urls jsonb NOT NULL DEFAULT '[]',
      status text NOT NULL CHECK (status IN ('pending', 'ok', 'error')),
      last_synced_at timestamptz,
      last_attempt_at timestamptz,
      last_error text,
      error_since timestamptz,
      busy_from timestamptz,
      busy_to timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE calendar_busy (
      id bigserial PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES calendar_connections(user_id) ON DELETE CASCADE,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX calendar_busy_user_idx ON calendar_busy (user_id, starts_at)`);
    await q.query(`CREATE TABLE calendar_writebacks (
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      uid text NOT NULL,
      session_kind text NOT NULL CHECK (session_kind IN ('review', 'interview')),
      session_id uuid NOT NULL,
      href text,
      state text NOT NULL CHECK (state IN ('pending', 'written', 'removing', 'removed', 'failed')),
      ics text,
      attempts int NOT NULL DEFAULT 0,
      last_error text,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, uid)
    )`);
    await q.query(`CREATE INDEX calendar_writebacks_due_idx ON calendar_writebacks (state) WHERE state IN ('pending', 'removing')`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_writebacks`);
    await q.query(`DROP TABLE calendar_busy`);
    await q.query(`DROP TABLE calendar_connections`);
  }
}
