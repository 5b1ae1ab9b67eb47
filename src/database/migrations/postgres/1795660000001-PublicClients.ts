import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PublicClientsPostgres1795660000001 implements MigrationInterface {
  name = 'PublicClientsPostgres1795660000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clients" ADD "token_endpoint_auth_method" character varying(32) NOT NULL DEFAULT \'client_secret_basic\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "clients" DROP COLUMN "token_endpoint_auth_method"');
  }
}
