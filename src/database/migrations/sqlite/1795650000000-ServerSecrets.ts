import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Secrets the server makes for itself and shares between instances, sealed (the refresh-token successor key). */
export class ServerSecretsSqlite1795650000000 implements MigrationInterface {
  name = 'ServerSecretsSqlite1795650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "server_secrets" ("name" varchar(64) PRIMARY KEY NOT NULL, "sealed" text NOT NULL, "created_at" bigint NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "server_secrets"');
  }
}
