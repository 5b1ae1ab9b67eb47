import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SignInSourcesSqlite1795640000000 implements MigrationInterface {
  name = 'SignInSourcesSqlite1795640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "sign_in_sources" ("digest" varchar(64) PRIMARY KEY NOT NULL, "last_seen_at" bigint NOT NULL)');
    await queryRunner.query('CREATE INDEX "ix_sign_in_sources_last_seen" ON "sign_in_sources" ("last_seen_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "ix_sign_in_sources_last_seen"');
    await queryRunner.query('DROP TABLE "sign_in_sources"');
  }
}
