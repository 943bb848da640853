import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages keep no live link secret: the bodies are stored with the portal token and the privacy
 * link's HMAC replaced by [hidden], and those secrets sealed here (AES-256-GCM, key 'message-secrets');
 * delivery opens them at send time. Existing rows are redacted in place only where already sent.
 */
export class MessageSecrets1796544298143 implements MigrationInterface {
  name = 'MessageSecrets1796544298143';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN secrets_enc text`);
    // Sent, failed or cancelled messages never go out again: their links need not be kept.
    await q.query(String.raw`
      UPDATE messages SET
        text = regexp_replace(regexp_replace(text, '(/portal/)[A-Za-z0-9_-]{8,}', '\1[hidden]', 'g'), '(/privacy/[0-9a-fA-F-]{36}\?t(=|&#x3D;))[A-Za-z0-9_-]+', '\1[hidden]', 'g'),
        html = regexp_replace(regexp_replace(html, '(/portal/)[A-Za-z0-9_-]{8,}', '\1[hidden]', 'g'), '(/privacy/[0-9a-fA-F-]{36}\?t(=|&#x3D;))[A-Za-z0-9_-]+', '\1[hidden]', 'g')
       WHERE status IN ('sent', 'failed', 'cancelled')`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN secrets_enc`);
  }
}
