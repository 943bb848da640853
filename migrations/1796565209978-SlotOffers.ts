import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Self-scheduling offers: a candidate is offered code-review times and picks one from a portal
 * link (its own token, only the SHA-256 stored). One row per round: an offer nobody answers
 * within the configured business days expires and the next round is offered; `base_key` is the
 * review's dedupe key (the submission or exemption), so a round is offered once. Interview offers
 * carry the loop's `plan` (sessions, interviewers, durations, break) and book the whole loop.
 */
export class SlotOffers1796565209978 implements MigrationInterface {
  name = 'SlotOffers1796565209978';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE slot_offers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('review', 'interview')),
      base_key text NOT NULL,
      round int NOT NULL CHECK (round >= 1),
      status text NOT NULL CHECK (status IN ('open', 'booked', 'expired', 'withdrawn')),
      token_hash text NOT NULL UNIQUE,
      language text NOT NULL DEFAULT '',
      plan jsonb,
      submission_id uuid,
      exemption_id uuid,
      slots jsonb NOT NULL DEFAULT '[]',
      offered_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      closed_at timestamptz,
      closed_by text,
      session_id uuid REFERENCES review_sessions(id) ON DELETE SET NULL,
      UNIQUE (base_key, round)
    )`);
    await q.query(`CREATE INDEX slot_offers_open_idx ON slot_offers (expires_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX slot_offers_application_idx ON slot_offers (application_id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slot_offers`);
  }
}
