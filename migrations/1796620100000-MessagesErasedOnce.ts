import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nothing is ever mailed to an erased candidate (Integrations1763800600000): a message row written
 * for one is cancelled and emptied. Checked once per INSERT statement instead of once per row: the
 * rows the statement inserted (its transition table) are joined to the erased candidates, found
 * through a partial index of them, and those rows emptied before the statement returns. A sweep's
 * page of 500 check-ins paid 500 trigger calls, each an EXISTS query, ~15-25 µs apiece
 * (docs/performance.md, session 13); now one join. Same outcome for every row the statement wrote:
 * stored `cancelled`, to `erased-<id>@invalid`, subject `[erased]`, bodies and attachments empty;
 * the original body exists only in the statement's own dead row version (as the erasure's UPDATE
 * leaves its own), never committed.
 */
export class MessagesErasedOnce1796620100000 implements MigrationInterface {
  name = 'MessagesErasedOnce1796620100000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX candidates_erased_idx ON candidates (id) WHERE anonymized_at IS NOT NULL`);
    await q.query(`DROP TRIGGER messages_cancel_to_erased ON messages`);
    await q.query(`
      CREATE FUNCTION cancel_mail_to_erased_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE messages m
           SET status = 'cancelled', to_address = 'erased-' || m.candidate_id || '@invalid', to_name = NULL, subject = '[erased]',
               html = '', text = '', attachments = '[]'::jsonb, last_error = 'recipient erased'
          FROM new_messages n JOIN candidates c ON c.id = n.candidate_id AND c.anonymized_at IS NOT NULL
         WHERE m.id = n.id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER messages_cancel_to_erased AFTER INSERT ON messages REFERENCING NEW TABLE AS new_messages
      FOR EACH STATEMENT EXECUTE FUNCTION cancel_mail_to_erased_rows()`);
    await q.query(`DROP FUNCTION cancel_mail_to_erased()`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER messages_cancel_to_erased ON messages`);
    await q.query(`DROP FUNCTION cancel_mail_to_erased_rows()`);
    await q.query(`
      CREATE FUNCTION cancel_mail_to_erased() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.candidate_id IS NOT NULL AND EXISTS (SELECT 1 FROM candidates WHERE id = NEW.candidate_id AND anonymized_at IS NOT NULL) THEN
          NEW.status := 'cancelled';
          NEW.to_address := 'erased-' || NEW.candidate_id || '@invalid';
          NEW.to_name := NULL;
          NEW.subject := '[erased]';
          NEW.html := '';
          NEW.text := '';
          NEW.attachments := '[]'::jsonb;
          NEW.last_error := 'recipient erased';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER messages_cancel_to_erased BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION cancel_mail_to_erased()`,
    );
    await q.query(`DROP INDEX candidates_erased_idx`);
  }
}
