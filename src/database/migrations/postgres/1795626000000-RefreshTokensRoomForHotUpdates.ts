import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every rotation sets `used_at` on the presented token. With free room on its
 * page PostgreSQL updates the row in place (a HOT update: no new entry in any
 * of the table's four indexes); at the default fillfactor of 100 the page is
 * full and every claim writes four index entries and more WAL. SQLite updates
 * rows in place anyway.
 */
export class RefreshTokensRoomForHotUpdatesPostgres1795626000000 implements MigrationInterface {
  name = 'RefreshTokensRoomForHotUpdatesPostgres1795626000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "refresh_tokens" SET (fillfactor = 80)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "refresh_tokens" RESET (fillfactor)');
  }
}
