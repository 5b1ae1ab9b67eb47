import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DropRefreshTokenParentIndexSqlite1795614910593 implements MigrationInterface {
  name = 'DropRefreshTokenParentIndexSqlite1795614910593';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_parent"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_parent" ON "refresh_tokens" ("parent_id") ');
  }
}
