import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hiring teams. `opening_team_members` holds the members named through PUT /openings/:id/team
 * (a removed member keeps the row with removed_at set, so a former member is told 403, not 404).
 * The view `opening_team` is the whole team the access checks read: the opening's owners, the named
 * members, and everyone booked on one of its reviews or interviews (as interviewer).
 */
export class HiringTeams1796543895456 implements MigrationInterface {
  name = 'HiringTeams1796543895456';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE opening_team_members (
        opening_id uuid NOT NULL REFERENCES openings(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('recruiter','hiring_manager','coordinator','interviewer')),
        added_by uuid REFERENCES users(id),
        added_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz,
        PRIMARY KEY (opening_id, user_id)
      )`);
    await q.query(`CREATE INDEX opening_team_members_user_idx ON opening_team_members (user_id) WHERE removed_at IS NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS openings_hiring_manager_idx ON openings (hiring_manager_id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS openings_recruiter_idx ON openings (recruiter_id)`);
    await q.query(`
      CREATE VIEW opening_team AS
        SELECT o.id AS opening_id, o.hiring_manager_id AS user_id, 'hiring_manager'::text AS role, 'owner'::text AS source FROM openings o
        UNION ALL
        SELECT o.id, o.recruiter_id, 'recruiter', 'owner' FROM openings o
        UNION ALL
        SELECT m.opening_id, m.user_id, m.role, 'member' FROM opening_team_members m WHERE m.removed_at IS NULL
        UNION ALL
        SELECT a.opening_id, r.reviewer_id, 'interviewer', 'booked'
          FROM review_sessions r JOIN applications a ON a.id = r.application_id WHERE r.status <> 'cancelled'
        UNION ALL
        SELECT a.opening_id, u.id, 'interviewer', 'booked'
          FROM interview_sessions i JOIN applications a ON a.id = i.application_id CROSS JOIN LATERAL unnest(i.interviewer_ids) AS u(id)
         WHERE i.status <> 'cancelled'`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW opening_team`);
    await q.query(`DROP TABLE opening_team_members`);
  }
}
