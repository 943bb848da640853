import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Interview loops, offers, onboarding plans, the configurable interview kinds, and the SQL helper
 * the insights use for business days in a stage.
 */
export class Interviews1763800500000 implements MigrationInterface {
  name = 'Interviews1763800500000';
  async up(q: QueryRunner): Promise<void> {
    // Key/value settings of the interviews module (today: the allowed interview kinds). A missing
    // row means the default (DEFAULT_INTERVIEW_KINDS in src/interviews/domain).
    await q.query(`
      CREATE TABLE interview_settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE interview_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications(id),
        kind text NOT NULL,
        interviewer_ids uuid[] NOT NULL CHECK (cardinality(interviewer_ids) >= 1),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','cancelled')),
        sequence int NOT NULL DEFAULT 0 CHECK (sequence >= 0),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        cancelled_at timestamptz,
        cancelled_by uuid REFERENCES users(id),
        cancel_reason text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX interview_sessions_application_idx ON interview_sessions (application_id, starts_at)`);
    await q.query(
      `CREATE INDEX interview_sessions_interviewers_idx ON interview_sessions USING gin (interviewer_ids) WHERE status = 'scheduled'`,
    );
    await q.query(`
      CREATE TABLE offers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES applications(id),
        amount numeric(12,2) NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        start_date date,
        stage text NOT NULL,
        range_min numeric(12,2) NOT NULL,
        range_max numeric(12,2) NOT NULL,
        overridden boolean NOT NULL DEFAULT false,
        outside text CHECK (outside IN ('below_range','above_range')),
        override_reason text,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL,
        CHECK (NOT overridden OR (outside IS NOT NULL AND coalesce(btrim(override_reason), '') <> ''))
      )`);
    await q.query(`CREATE INDEX offers_application_idx ON offers (application_id, created_at)`);
    await q.query(`
      CREATE TABLE onboarding_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL UNIQUE REFERENCES applications(id),
        owner_id uuid NOT NULL REFERENCES users(id),
        start_date date NOT NULL,
        timezone text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE onboarding_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES onboarding_plans(id) ON DELETE CASCADE,
        position int NOT NULL,
        key text NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        owner_role text NOT NULL CHECK (owner_role IN ('hiring_manager','buddy')),
        owner_id uuid NOT NULL REFERENCES users(id),
        owner_fallback boolean NOT NULL DEFAULT false,
        week_offset int NOT NULL,
        due_date date NOT NULL,
        due_at timestamptz NOT NULL,
        done_at timestamptz,
        UNIQUE (plan_id, key)
      )`);
    await q.query(`CREATE INDEX onboarding_items_owner_idx ON onboarding_items (owner_id, due_date) WHERE done_at IS NULL`);
    /*
     * Business time elapsed between two instants, in (fractional) business days, counted in a time
     * zone: the SQL twin of businessDaysElapsedFraction (src/common/domain/business-days.ts).
     * For every local calendar date touched by [f, t] that is Monday..Friday and not in
     * `holidays` ('YYYY-MM-DD'), add the wall-clock share of that date covered (a local day counts
     * as 24 wall-clock hours, DST days included). 0 when t <= f.
     */
    await q.query(`
      CREATE FUNCTION business_days_elapsed(f timestamptz, t timestamptz, tz text, holidays text[] DEFAULT '{}')
      RETURNS double precision LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN t <= f THEN 0::double precision ELSE coalesce(sum(
                 extract(epoch FROM least(t AT TIME ZONE tz, d + interval '1 day') - greatest(f AT TIME ZONE tz, d)) / 86400.0
               ), 0)::double precision END
          FROM generate_series(date_trunc('day', f AT TIME ZONE tz), date_trunc('day', t AT TIME ZONE tz), interval '1 day') AS d
         WHERE extract(isodow FROM d) < 6 AND NOT (to_char(d, 'YYYY-MM-DD') = ANY (coalesce(holidays, '{}')))
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION business_days_elapsed(timestamptz, timestamptz, text, text[])`);
    for (const t of ['onboarding_items', 'onboarding_plans', 'offers', 'interview_sessions', 'interview_settings'])
      await q.query(`DROP TABLE ${t}`);
  }
}
