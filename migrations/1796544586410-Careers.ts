import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Careers page and applications: published openings (Markdown description, location or remote
 * with allowed time zones), where each application came from, résumés, and candidate search
 * (unaccent + a generated tsvector over name, e-mail, résumé text and notes, with a GIN index).
 */
export class Careers1796544586410 implements MigrationInterface {
  name = 'Careers1796544586410';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE openings
      ADD COLUMN published boolean NOT NULL DEFAULT false,
      ADD COLUMN published_at timestamptz,
      ADD COLUMN description text NOT NULL DEFAULT '',
      ADD COLUMN location text,
      ADD COLUMN remote boolean NOT NULL DEFAULT false,
      ADD COLUMN remote_time_zones text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX openings_published_idx ON openings (published_at DESC) WHERE published AND closed_at IS NULL`);

    await q.query(`ALTER TABLE applications
      ADD COLUMN source_kind text,
      ADD COLUMN source_detail text,
      ADD COLUMN referrer_id uuid REFERENCES users(id)`);

    await q.query(`CREATE TABLE resumes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      candidate_id uuid NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
      application_id uuid REFERENCES applications(id) ON DELETE SET NULL,
      original_filename text NOT NULL,
      content_type text NOT NULL,
      bytes bytea NOT NULL,
      content text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX resumes_candidate_idx ON resumes (candidate_id, created_at DESC)`);

    // Per-IP rate limit of the public form: one row per attempt, the address kept only as a hash.
    await q.query(`CREATE TABLE careers_attempts (ip_hash text NOT NULL, at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX careers_attempts_ip_idx ON careers_attempts (ip_hash, at)`);

    // Search. unaccent() is only STABLE; a generated column needs an IMMUTABLE wrapper naming its dictionary.
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`CREATE OR REPLACE FUNCTION careers_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);
    await q.query(`ALTER TABLE candidates
      ADD COLUMN resume_text text,
      ADD COLUMN notes_text text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE candidates ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', careers_unaccent(coalesce(name, ''))), 'A') ||
        setweight(to_tsvector('simple', careers_unaccent(coalesce(email, '') || ' ' || translate(coalesce(email, ''), '@.-_+', '     '))), 'A') ||
        setweight(to_tsvector('simple', careers_unaccent(left(coalesce(resume_text, ''), 200000))), 'B') ||
        setweight(to_tsvector('simple', careers_unaccent(left(notes_text, 100000))), 'C')
      ) STORED`);
    await q.query(`CREATE INDEX candidates_search_idx ON candidates USING gin (search_vector)`);

    // Notes are timeline events; their text is copied to the candidate for search as they are added.
    await q.query(`CREATE OR REPLACE FUNCTION careers_note_to_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE candidates c SET notes_text = left(c.notes_text || ' ' || coalesce(NEW.data->>'text', ''), 100000)
          FROM applications a WHERE a.id = NEW.application_id AND c.id = a.candidate_id AND c.anonymized_at IS NULL;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER application_events_note_search AFTER INSERT ON application_events
      FOR EACH ROW WHEN (NEW.type = 'note.added') EXECUTE FUNCTION careers_note_to_candidate()`);
    await q.query(`UPDATE candidates c SET notes_text = n.text FROM (
        SELECT a.candidate_id, string_agg(e.data->>'text', ' ' ORDER BY e.id) AS text
        FROM application_events e JOIN applications a ON a.id = e.application_id WHERE e.type = 'note.added' GROUP BY a.candidate_id
      ) n WHERE n.candidate_id = c.id AND c.anonymized_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS application_events_note_search ON application_events`);
    await q.query(`DROP FUNCTION IF EXISTS careers_note_to_candidate()`);
    await q.query(`DROP INDEX IF EXISTS candidates_search_idx`);
    await q.query(`ALTER TABLE candidates DROP COLUMN search_vector, DROP COLUMN notes_text, DROP COLUMN resume_text`);
    await q.query(`DROP FUNCTION IF EXISTS careers_unaccent(text)`);
    await q.query(`DROP TABLE careers_attempts`);
    await q.query(`DROP TABLE resumes`);
    await q.query(`ALTER TABLE applications DROP COLUMN referrer_id, DROP COLUMN source_detail, DROP COLUMN source_kind`);
    await q.query(`DROP INDEX IF EXISTS openings_published_idx`);
    await q.query(
      `ALTER TABLE openings DROP COLUMN remote_time_zones, DROP COLUMN remote, DROP COLUMN location, DROP COLUMN description, DROP COLUMN published_at, DROP COLUMN published`,
    );
  }
}
