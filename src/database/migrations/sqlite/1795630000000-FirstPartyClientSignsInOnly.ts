import type { MigrationInterface, QueryRunner } from 'typeorm';

const SIGN_IN_GRANTS = '["password","refresh_token","authorization_code"]';
const FORMER_GRANTS = '["password","refresh_token","client_credentials"]';

/**
 * The bootstrap first-party client loses client_credentials (its secret sits
 * in a login front end, so it must not be a principal of its own) and gains
 * authorization_code, in a database made before, as a new one is seeded.
 */
export class FirstPartyClientSignsInOnlySqlite1795630000000 implements MigrationInterface {
  name = 'FirstPartyClientSignsInOnlySqlite1795630000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('UPDATE "clients" SET "grant_types" = ?, "requested_grant_types" = ? WHERE "first_party" = 1', [SIGN_IN_GRANTS, SIGN_IN_GRANTS]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('UPDATE "clients" SET "grant_types" = ?, "requested_grant_types" = ? WHERE "first_party" = 1', [FORMER_GRANTS, FORMER_GRANTS]);
  }
}
