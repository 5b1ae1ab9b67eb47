import type { MigrationInterface } from 'typeorm';

/**
 * Nothing to do on SQLite: it rewrites a row in place on its page, so the
 * PostgreSQL fillfactor of this migration has no counterpart. It exists so
 * that both dialects keep the same list of migrations.
 */
export class RefreshTokensRoomForHotUpdatesSqlite1795626000000 implements MigrationInterface {
  name = 'RefreshTokensRoomForHotUpdatesSqlite1795626000000';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
