import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PublicClientsSqlite1795660000001 implements MigrationInterface {
  name = 'PublicClientsSqlite1795660000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "uq_clients_client_id"');
    await queryRunner.query('DROP INDEX "ix_clients_owner"');
    await queryRunner.query('DROP INDEX "ix_clients_status"');
    await queryRunner.query(
      'CREATE TABLE "temporary_clients" ("id" varchar(36) PRIMARY KEY NOT NULL, "client_id" varchar(64), "owner_id" varchar(36), "name" varchar(100) NOT NULL, "description" text NOT NULL DEFAULT (\'\'), "contact_email" varchar(254), "redirect_uris" text NOT NULL, "requested_grant_types" text NOT NULL, "requested_scopes" text NOT NULL, "grant_types" text NOT NULL, "scopes" text NOT NULL, "trusted" boolean NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL, "review_note" text, "secret_digest" varchar(64), "secret_created_at" bigint, "tokens_not_before" bigint, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "first_party" boolean NOT NULL DEFAULT (0), "token_endpoint_auth_method" varchar(32) NOT NULL DEFAULT (\'client_secret_basic\'), CONSTRAINT "FK_fe0ecb806e3c381981349ac237b" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_clients"("id", "client_id", "owner_id", "name", "description", "contact_email", "redirect_uris", "requested_grant_types", "requested_scopes", "grant_types", "scopes", "trusted", "status", "review_note", "secret_digest", "secret_created_at", "tokens_not_before", "created_at", "updated_at", "first_party") SELECT "id", "client_id", "owner_id", "name", "description", "contact_email", "redirect_uris", "requested_grant_types", "requested_scopes", "grant_types", "scopes", "trusted", "status", "review_note", "secret_digest", "secret_created_at", "tokens_not_before", "created_at", "updated_at", "first_party" FROM "clients"',
    );
    await queryRunner.query('DROP TABLE "clients"');
    await queryRunner.query('ALTER TABLE "temporary_clients" RENAME TO "clients"');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_clients_client_id" ON "clients" ("client_id") ');
    await queryRunner.query('CREATE INDEX "ix_clients_owner" ON "clients" ("owner_id") ');
    await queryRunner.query('CREATE INDEX "ix_clients_status" ON "clients" ("status") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "ix_clients_status"');
    await queryRunner.query('DROP INDEX "ix_clients_owner"');
    await queryRunner.query('DROP INDEX "uq_clients_client_id"');
    await queryRunner.query('ALTER TABLE "clients" RENAME TO "temporary_clients"');
    await queryRunner.query(
      'CREATE TABLE "clients" ("id" varchar(36) PRIMARY KEY NOT NULL, "client_id" varchar(64), "owner_id" varchar(36), "name" varchar(100) NOT NULL, "description" text NOT NULL DEFAULT (\'\'), "contact_email" varchar(254), "redirect_uris" text NOT NULL, "requested_grant_types" text NOT NULL, "requested_scopes" text NOT NULL, "grant_types" text NOT NULL, "scopes" text NOT NULL, "trusted" boolean NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL, "review_note" text, "secret_digest" varchar(64), "secret_created_at" bigint, "tokens_not_before" bigint, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "first_party" boolean NOT NULL DEFAULT (0), CONSTRAINT "FK_fe0ecb806e3c381981349ac237b" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "clients"("id", "client_id", "owner_id", "name", "description", "contact_email", "redirect_uris", "requested_grant_types", "requested_scopes", "grant_types", "scopes", "trusted", "status", "review_note", "secret_digest", "secret_created_at", "tokens_not_before", "created_at", "updated_at", "first_party") SELECT "id", "client_id", "owner_id", "name", "description", "contact_email", "redirect_uris", "requested_grant_types", "requested_scopes", "grant_types", "scopes", "trusted", "status", "review_note", "secret_digest", "secret_created_at", "tokens_not_before", "created_at", "updated_at", "first_party" FROM "temporary_clients"',
    );
    await queryRunner.query('DROP TABLE "temporary_clients"');
    await queryRunner.query('CREATE INDEX "ix_clients_status" ON "clients" ("status") ');
    await queryRunner.query('CREATE INDEX "ix_clients_owner" ON "clients" ("owner_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_clients_client_id" ON "clients" ("client_id") ');
  }
}
