import { MigrationInterface, QueryRunner } from 'typeorm';

/** Single sign-on: the OpenID provider's stable id of a person (issuer and subject), one account each. */
export class SsoSubject1796546475955 implements MigrationInterface {
  name = 'SsoSubject1796546475955';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN sso_subject text`);
    await q.query(`CREATE UNIQUE INDEX users_sso_subject_idx ON users (sso_subject) WHERE sso_subject IS NOT NULL`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN sso_subject`);
  }
}
