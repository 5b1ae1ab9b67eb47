import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FirstPartyClientsPostgres1795610496291 implements MigrationInterface {
  name = 'FirstPartyClientsPostgres1795610496291';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clients" ADD "first_party" boolean NOT NULL DEFAULT false');
    // The bootstrap client made before this column existed is first-party too.
    await queryRunner.query('UPDATE "clients" SET "first_party" = true WHERE "owner_id" IS NULL AND "review_note" = \'bootstrap\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clients" DROP COLUMN "first_party"');
  }
}
