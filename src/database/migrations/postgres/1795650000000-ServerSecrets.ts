import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Secrets the server makes for itself and shares between instances, sealed (the refresh-token successor key). */
export class ServerSecretsPostgres1795650000000 implements MigrationInterface {
  name = 'ServerSecretsPostgres1795650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "server_secrets" ("name" character varying(64) NOT NULL, "sealed" text NOT NULL, "created_at" bigint NOT NULL, CONSTRAINT "PK_776280895f188bb4dd7028779cd" PRIMARY KEY ("name"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "server_secrets"');
  }
}
