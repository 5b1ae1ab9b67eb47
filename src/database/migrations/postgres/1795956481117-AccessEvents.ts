import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessEventsPostgres1795956481117 implements MigrationInterface {
  name = 'AccessEventsPostgres1795956481117';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "access_events" ("id" bigint NOT NULL, "type" character varying(40) NOT NULL, "data" text NOT NULL, "created_at" bigint NOT NULL, CONSTRAINT "PK_b5edb54463ff60f59a3d40f71e3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_access_events_created_at" ON "access_events"  ("created_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_access_events_created_at"');
    await queryRunner.query('DROP TABLE "access_events"');
  }
}
