import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Candidate search: keep `candidates.search_vector` in the row. A résumé's tsvector (~1.7 kB for
 * 150 words) does not compress, so with the default EXTENDED storage PostgreSQL moved it out to
 * the TOAST table and every `@@` and `ts_rank` of a search paid a TOAST index lookup and fetch
 * (bench/search: heap 108 MB, TOAST 195 MB). MAIN keeps it inline (the résumé text, EXTENDED,
 * is compressed or moved out first). New and updated rows only: rewriting every existing row
 * here timed out (30 s statement timeout) on the 100,000-candidate bench under load, so existing
 * vectors move in as their rows are next updated (an operator may run
 * `UPDATE candidates SET notes_text = notes_text WHERE …` in batches off-peak; docs/careers.md).
 */
export class SearchVectorInline1796557048659 implements MigrationInterface {
  name = 'SearchVectorInline1796557048659';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE candidates ALTER COLUMN search_vector SET STORAGE MAIN`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE candidates ALTER COLUMN search_vector SET STORAGE EXTENDED`);
  }
}
