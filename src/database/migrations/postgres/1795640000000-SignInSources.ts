import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SignInSourcesPostgres1795640000000 implements MigrationInterface {
  name = 'SignInSourcesPostgres1795640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "sign_in_sources" ("digest" character varying(64) NOT NULL, "last_seen_at" bigint NOT NULL, CONSTRAINT "PK_3956e20367d4c3282cc4a8e8082" PRIMARY KEY ("digest"))',
    );
    await queryRunner.query('CREATE INDEX "ix_sign_in_sources_last_seen" ON "sign_in_sources"  ("last_seen_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_sign_in_sources_last_seen"');
    await queryRunner.query('DROP TABLE "sign_in_sources"');
  }
}
