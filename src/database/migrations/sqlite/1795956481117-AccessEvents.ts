import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessEventsSqlite1795956481117 implements MigrationInterface {
  name = 'AccessEventsSqlite1795956481117';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "access_events" ("id" bigint PRIMARY KEY NOT NULL, "type" varchar(40) NOT NULL, "data" text NOT NULL, "created_at" bigint NOT NULL)',
    );
    await queryRunner.query('CREATE INDEX "ix_access_events_created_at" ON "access_events" ("created_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "ix_access_events_created_at"');
    await queryRunner.query('DROP TABLE "access_events"');
  }
}
