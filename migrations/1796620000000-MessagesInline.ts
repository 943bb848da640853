import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message row up to a page's size is stored as it is: inline and uncompressed. By default a row
 * over ~2 kB has its largest texts compressed (pglz) and, still over ~2 kB, moved out of line
 * into the TOAST table (one more heap row, index entry and OID per message): a check-in (~4.9 kB:
 * html 2.7 kB, text 1.4 kB) paid both, ~60 µs of PostgreSQL CPU per row, for ~25% less space
 * (docs/performance.md, session 13). Larger rows (a digest of thousands of alerts) are compressed
 * and moved out of line as before. Applies to rows written from now on.
 */
export class MessagesInline1796620000000 implements MigrationInterface {
  name = 'MessagesInline1796620000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages SET (toast_tuple_target = 8160)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages RESET (toast_tuple_target)`);
  }
}
