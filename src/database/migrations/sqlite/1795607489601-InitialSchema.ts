import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaSqlite1795607489601 implements MigrationInterface {
  name = 'InitialSchemaSqlite1795607489601';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "type" varchar(64) NOT NULL, "actor_id" varchar(64), "client_id" varchar(36), "user_id" varchar(36), "ip" varchar(64), "reason" text, "details" text NOT NULL, "created_at" bigint NOT NULL)',
    );
    await queryRunner.query('CREATE INDEX "ix_audit_events_created_at" ON "audit_events" ("created_at") ');
    await queryRunner.query('CREATE INDEX "ix_audit_events_type" ON "audit_events" ("type", "id") ');
    await queryRunner.query('CREATE INDEX "ix_audit_events_user" ON "audit_events" ("user_id", "id") ');
    await queryRunner.query('CREATE INDEX "ix_audit_events_client" ON "audit_events" ("client_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "signing_keys" ("kid" varchar(64) PRIMARY KEY NOT NULL, "alg" varchar(8) NOT NULL, "public_jwk" text NOT NULL, "private_key" text NOT NULL, "status" varchar(16) NOT NULL, "created_at" bigint NOT NULL, "retired_at" bigint)',
    );
    await queryRunner.query(
      'CREATE TABLE "roles" ("name" varchar(64) PRIMARY KEY NOT NULL, "permissions" text NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)',
    );
    await queryRunner.query(
      'CREATE TABLE "users" ("id" varchar(36) PRIMARY KEY NOT NULL, "username" varchar(64) NOT NULL, "username_normalized" varchar(64) NOT NULL, "password_hash" varchar(100) NOT NULL, "disabled" boolean NOT NULL DEFAULT (0), "tokens_not_before" bigint, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_users_username_normalized" ON "users" ("username_normalized") ');
    await queryRunner.query(
      'CREATE TABLE "clients" ("id" varchar(36) PRIMARY KEY NOT NULL, "client_id" varchar(64), "owner_id" varchar(36), "name" varchar(100) NOT NULL, "description" text NOT NULL DEFAULT (\'\'), "contact_email" varchar(254), "redirect_uris" text NOT NULL, "requested_grant_types" text NOT NULL, "requested_scopes" text NOT NULL, "grant_types" text NOT NULL, "scopes" text NOT NULL, "trusted" boolean NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL, "review_note" text, "secret_digest" varchar(64), "secret_created_at" bigint, "tokens_not_before" bigint, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_clients_client_id" ON "clients" ("client_id") ');
    await queryRunner.query('CREATE INDEX "ix_clients_owner" ON "clients" ("owner_id") ');
    await queryRunner.query('CREATE INDEX "ix_clients_status" ON "clients" ("status") ');
    await queryRunner.query(
      'CREATE TABLE "refresh_token_families" ("id" varchar(36) PRIMARY KEY NOT NULL, "client_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "scope" text NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "revoked_at" bigint, "revoked_reason" varchar(64))',
    );
    await queryRunner.query('CREATE INDEX "ix_refresh_families_expires_at" ON "refresh_token_families" ("expires_at") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_user" ON "refresh_token_families" ("user_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_client" ON "refresh_token_families" ("client_id") ');
    await queryRunner.query(
      'CREATE TABLE "refresh_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "family_id" varchar(36) NOT NULL, "parent_id" varchar(36), "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "used_at" bigint, "revoked_at" bigint)',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens" ("token_hash") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_expires_at" ON "refresh_tokens" ("expires_at") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_parent" ON "refresh_tokens" ("parent_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens" ("family_id") ');
    await queryRunner.query(
      'CREATE TABLE "revoked_access_tokens" ("jti" varchar(64) PRIMARY KEY NOT NULL, "expires_at" bigint NOT NULL, "revoked_at" bigint NOT NULL)',
    );
    await queryRunner.query('CREATE INDEX "ix_revoked_access_tokens_expires_at" ON "revoked_access_tokens" ("expires_at") ');
    await queryRunner.query(
      'CREATE TABLE "token_issuance_counts" ("hour_start" bigint NOT NULL, "grant_type" varchar(32) NOT NULL, "count" integer NOT NULL DEFAULT (0), PRIMARY KEY ("hour_start", "grant_type"))',
    );
    await queryRunner.query(
      'CREATE TABLE "notes" ("id" varchar(36) PRIMARY KEY NOT NULL, "owner_id" varchar(36) NOT NULL, "title" varchar(200) NOT NULL, "body" text NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)',
    );
    await queryRunner.query('CREATE INDEX "ix_notes_owner_created" ON "notes" ("owner_id", "created_at") ');
    await queryRunner.query(
      'CREATE TABLE "user_roles" ("user_id" varchar(36) NOT NULL, "role_name" varchar(64) NOT NULL, PRIMARY KEY ("user_id", "role_name"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_87b8888186ca9769c960e92687" ON "user_roles" ("user_id") ');
    await queryRunner.query('CREATE INDEX "IDX_85683c502a3882013c989f4ee3" ON "user_roles" ("role_name") ');
    await queryRunner.query('DROP INDEX "uq_clients_client_id"');
    await queryRunner.query('DROP INDEX "ix_clients_owner"');
    await queryRunner.query('DROP INDEX "ix_clients_status"');
    await queryRunner.query(
      'CREATE TABLE "temporary_clients" ("id" varchar(36) PRIMARY KEY NOT NULL, "client_id" varchar(64), "owner_id" varchar(36), "name" varchar(100) NOT NULL, "description" text NOT NULL DEFAULT (\'\'), "contact_email" varchar(254), "redirect_uris" text NOT NULL, "requested_grant_types" text NOT NULL, "requested_scopes" text NOT NULL, "grant_types" text NOT NULL, "scopes" text NOT NULL, "trusted" boolean NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL, "review_note" text, "secret_digest" varchar(64), "secret_created_at" bigint, "tokens_not_before" bigint, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "FK_fe0ecb806e3c381981349ac237b" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_clients"("id", "client_id", "owner_id", "name", "description", "contact_email", "redirect_uris", "requested_grant_types", "requested_scopes", "grant_types", "scopes", "trusted", "status", "review_note", "secret_digest", "secret_created_at", "tokens_not_before", "created_at", "updated_at") SELECT "id", "client_id", "owner_id", "name", "description", "contact_email", "redirect_uris", "requested_grant_types", "requested_scopes", "grant_types", "scopes", "trusted", "status", "review_note", "secret_digest", "secret_created_at", "tokens_not_before", "created_at", "updated_at" FROM "clients"',
    );
    await queryRunner.query('DROP TABLE "clients"');
    await queryRunner.query('ALTER TABLE "temporary_clients" RENAME TO "clients"');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_clients_client_id" ON "clients" ("client_id") ');
    await queryRunner.query('CREATE INDEX "ix_clients_owner" ON "clients" ("owner_id") ');
    await queryRunner.query('CREATE INDEX "ix_clients_status" ON "clients" ("status") ');
    await queryRunner.query('DROP INDEX "ix_refresh_families_expires_at"');
    await queryRunner.query('DROP INDEX "ix_refresh_families_user"');
    await queryRunner.query('DROP INDEX "ix_refresh_families_client"');
    await queryRunner.query(
      'CREATE TABLE "temporary_refresh_token_families" ("id" varchar(36) PRIMARY KEY NOT NULL, "client_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "scope" text NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "revoked_at" bigint, "revoked_reason" varchar(64), CONSTRAINT "FK_c676073d5133e5e3339fb25bcaa" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_cb724d64e7cc9276571acdabeb5" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_refresh_token_families"("id", "client_id", "user_id", "scope", "created_at", "expires_at", "revoked_at", "revoked_reason") SELECT "id", "client_id", "user_id", "scope", "created_at", "expires_at", "revoked_at", "revoked_reason" FROM "refresh_token_families"',
    );
    await queryRunner.query('DROP TABLE "refresh_token_families"');
    await queryRunner.query('ALTER TABLE "temporary_refresh_token_families" RENAME TO "refresh_token_families"');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_expires_at" ON "refresh_token_families" ("expires_at") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_user" ON "refresh_token_families" ("user_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_client" ON "refresh_token_families" ("client_id") ');
    await queryRunner.query('DROP INDEX "uq_refresh_tokens_hash"');
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_expires_at"');
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_parent"');
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_family"');
    await queryRunner.query(
      'CREATE TABLE "temporary_refresh_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "family_id" varchar(36) NOT NULL, "parent_id" varchar(36), "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "used_at" bigint, "revoked_at" bigint, CONSTRAINT "FK_d5e27da0cd39bc3bb2811fc8bac" FOREIGN KEY ("family_id") REFERENCES "refresh_token_families" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_refresh_tokens"("id", "token_hash", "family_id", "parent_id", "created_at", "expires_at", "used_at", "revoked_at") SELECT "id", "token_hash", "family_id", "parent_id", "created_at", "expires_at", "used_at", "revoked_at" FROM "refresh_tokens"',
    );
    await queryRunner.query('DROP TABLE "refresh_tokens"');
    await queryRunner.query('ALTER TABLE "temporary_refresh_tokens" RENAME TO "refresh_tokens"');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens" ("token_hash") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_expires_at" ON "refresh_tokens" ("expires_at") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_parent" ON "refresh_tokens" ("parent_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens" ("family_id") ');
    await queryRunner.query('DROP INDEX "ix_notes_owner_created"');
    await queryRunner.query(
      'CREATE TABLE "temporary_notes" ("id" varchar(36) PRIMARY KEY NOT NULL, "owner_id" varchar(36) NOT NULL, "title" varchar(200) NOT NULL, "body" text NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "FK_f9e103f8ae67cb1787063597925" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_notes"("id", "owner_id", "title", "body", "created_at", "updated_at") SELECT "id", "owner_id", "title", "body", "created_at", "updated_at" FROM "notes"',
    );
    await queryRunner.query('DROP TABLE "notes"');
    await queryRunner.query('ALTER TABLE "temporary_notes" RENAME TO "notes"');
    await queryRunner.query('CREATE INDEX "ix_notes_owner_created" ON "notes" ("owner_id", "created_at") ');
    await queryRunner.query('DROP INDEX "IDX_87b8888186ca9769c960e92687"');
    await queryRunner.query('DROP INDEX "IDX_85683c502a3882013c989f4ee3"');
    await queryRunner.query(
      'CREATE TABLE "temporary_user_roles" ("user_id" varchar(36) NOT NULL, "role_name" varchar(64) NOT NULL, CONSTRAINT "FK_87b8888186ca9769c960e926870" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "FK_85683c502a3882013c989f4ee35" FOREIGN KEY ("role_name") REFERENCES "roles" ("name") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("user_id", "role_name"))',
    );
    await queryRunner.query('INSERT INTO "temporary_user_roles"("user_id", "role_name") SELECT "user_id", "role_name" FROM "user_roles"');
    await queryRunner.query('DROP TABLE "user_roles"');
    await queryRunner.query('ALTER TABLE "temporary_user_roles" RENAME TO "user_roles"');
    await queryRunner.query('CREATE INDEX "IDX_87b8888186ca9769c960e92687" ON "user_roles" ("user_id") ');
    await queryRunner.query('CREATE INDEX "IDX_85683c502a3882013c989f4ee3" ON "user_roles" ("role_name") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_85683c502a3882013c989f4ee3"');
    await queryRunner.query('DROP INDEX "IDX_87b8888186ca9769c960e92687"');
    await queryRunner.query('ALTER TABLE "user_roles" RENAME TO "temporary_user_roles"');
    await queryRunner.query(
      'CREATE TABLE "user_roles" ("user_id" varchar(36) NOT NULL, "role_name" varchar(64) NOT NULL, PRIMARY KEY ("user_id", "role_name"))',
    );
    await queryRunner.query('INSERT INTO "user_roles"("user_id", "role_name") SELECT "user_id", "role_name" FROM "temporary_user_roles"');
    await queryRunner.query('DROP TABLE "temporary_user_roles"');
    await queryRunner.query('CREATE INDEX "IDX_85683c502a3882013c989f4ee3" ON "user_roles" ("role_name") ');
    await queryRunner.query('CREATE INDEX "IDX_87b8888186ca9769c960e92687" ON "user_roles" ("user_id") ');
    await queryRunner.query('DROP INDEX "ix_notes_owner_created"');
    await queryRunner.query('ALTER TABLE "notes" RENAME TO "temporary_notes"');
    await queryRunner.query(
      'CREATE TABLE "notes" ("id" varchar(36) PRIMARY KEY NOT NULL, "owner_id" varchar(36) NOT NULL, "title" varchar(200) NOT NULL, "body" text NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)',
    );
    await queryRunner.query(
      'INSERT INTO "notes"("id", "owner_id", "title", "body", "created_at", "updated_at") SELECT "id", "owner_id", "title", "body", "created_at", "updated_at" FROM "temporary_notes"',
    );
    await queryRunner.query('DROP TABLE "temporary_notes"');
    await queryRunner.query('CREATE INDEX "ix_notes_owner_created" ON "notes" ("owner_id", "created_at") ');
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_family"');
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_parent"');
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_expires_at"');
    await queryRunner.query('DROP INDEX "uq_refresh_tokens_hash"');
    await queryRunner.query('ALTER TABLE "refresh_tokens" RENAME TO "temporary_refresh_tokens"');
    await queryRunner.query(
      'CREATE TABLE "refresh_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "family_id" varchar(36) NOT NULL, "parent_id" varchar(36), "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "used_at" bigint, "revoked_at" bigint)',
    );
    await queryRunner.query(
      'INSERT INTO "refresh_tokens"("id", "token_hash", "family_id", "parent_id", "created_at", "expires_at", "used_at", "revoked_at") SELECT "id", "token_hash", "family_id", "parent_id", "created_at", "expires_at", "used_at", "revoked_at" FROM "temporary_refresh_tokens"',
    );
    await queryRunner.query('DROP TABLE "temporary_refresh_tokens"');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens" ("family_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_parent" ON "refresh_tokens" ("parent_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_expires_at" ON "refresh_tokens" ("expires_at") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens" ("token_hash") ');
    await queryRunner.query('DROP INDEX "ix_refresh_families_client"');
    await queryRunner.query('DROP INDEX "ix_refresh_families_user"');
    await queryRunner.query('DROP INDEX "ix_refresh_families_expires_at"');
    await queryRunner.query('ALTER TABLE "refresh_token_families" RENAME TO "temporary_refresh_token_families"');
    await queryRunner.query(
      'CREATE TABLE "refresh_token_families" ("id" varchar(36) PRIMARY KEY NOT NULL, "client_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "scope" text NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "revoked_at" bigint, "revoked_reason" varchar(64))',
    );
    await queryRunner.query(
      'INSERT INTO "refresh_token_families"("id", "client_id", "user_id", "scope", "created_at", "expires_at", "revoked_at", "revoked_reason") SELECT "id", "client_id", "user_id", "scope", "created_at", "expires_at", "revoked_at", "revoked_reason" FROM "temporary_refresh_token_families"',
    );
    await queryRunner.query('DROP TABLE "temporary_refresh_token_families"');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_client" ON "refresh_token_families" ("client_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_user" ON "refresh_token_families" ("user_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_expires_at" ON "refresh_token_families" ("expires_at") ');
    await queryRunner.query('DROP INDEX "ix_clients_status"');
    await queryRunner.query('DROP INDEX "ix_clients_owner"');
    await queryRunner.query('DROP INDEX "uq_clients_client_id"');
    await queryRunner.query('ALTER TABLE "clients" RENAME TO "temporary_clients"');
    await queryRunner.query(
      'CREATE TABLE "clients" ("id" varchar(36) PRIMARY KEY NOT NULL, "client_id" varchar(64), "owner_id" varchar(36), "name" varchar(100) NOT NULL, "description" text NOT NULL DEFAULT (\'\'), "contact_email" varchar(254), "redirect_uris" text NOT NULL, "requested_grant_types" text NOT NULL, "requested_scopes" text NOT NULL, "grant_types" text NOT NULL, "scopes" text NOT NULL, "trusted" boolean NOT NULL DEFAULT (0), "status" varchar(16) NOT NULL, "review_note" text, "secret_digest" varchar(64), "secret_created_at" bigint, "tokens_not_before" bigint, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)',
    );
    await queryRunner.query(
      'INSERT INTO "clients"("id", "client_id", "owner_id", "name", "description", "contact_email", "redirect_uris", "requested_grant_types", "requested_scopes", "grant_types", "scopes", "trusted", "status", "review_note", "secret_digest", "secret_created_at", "tokens_not_before", "created_at", "updated_at") SELECT "id", "client_id", "owner_id", "name", "description", "contact_email", "redirect_uris", "requested_grant_types", "requested_scopes", "grant_types", "scopes", "trusted", "status", "review_note", "secret_digest", "secret_created_at", "tokens_not_before", "created_at", "updated_at" FROM "temporary_clients"',
    );
    await queryRunner.query('DROP TABLE "temporary_clients"');
    await queryRunner.query('CREATE INDEX "ix_clients_status" ON "clients" ("status") ');
    await queryRunner.query('CREATE INDEX "ix_clients_owner" ON "clients" ("owner_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_clients_client_id" ON "clients" ("client_id") ');
    await queryRunner.query('DROP INDEX "IDX_85683c502a3882013c989f4ee3"');
    await queryRunner.query('DROP INDEX "IDX_87b8888186ca9769c960e92687"');
    await queryRunner.query('DROP TABLE "user_roles"');
    await queryRunner.query('DROP INDEX "ix_notes_owner_created"');
    await queryRunner.query('DROP TABLE "notes"');
    await queryRunner.query('DROP TABLE "token_issuance_counts"');
    await queryRunner.query('DROP INDEX "ix_revoked_access_tokens_expires_at"');
    await queryRunner.query('DROP TABLE "revoked_access_tokens"');
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_family"');
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_parent"');
    await queryRunner.query('DROP INDEX "ix_refresh_tokens_expires_at"');
    await queryRunner.query('DROP INDEX "uq_refresh_tokens_hash"');
    await queryRunner.query('DROP TABLE "refresh_tokens"');
    await queryRunner.query('DROP INDEX "ix_refresh_families_client"');
    await queryRunner.query('DROP INDEX "ix_refresh_families_user"');
    await queryRunner.query('DROP INDEX "ix_refresh_families_expires_at"');
    await queryRunner.query('DROP TABLE "refresh_token_families"');
    await queryRunner.query('DROP INDEX "ix_clients_status"');
    await queryRunner.query('DROP INDEX "ix_clients_owner"');
    await queryRunner.query('DROP INDEX "uq_clients_client_id"');
    await queryRunner.query('DROP TABLE "clients"');
    await queryRunner.query('DROP INDEX "uq_users_username_normalized"');
    await queryRunner.query('DROP TABLE "users"');
    await queryRunner.query('DROP TABLE "roles"');
    await queryRunner.query('DROP TABLE "signing_keys"');
    await queryRunner.query('DROP INDEX "ix_audit_events_client"');
    await queryRunner.query('DROP INDEX "ix_audit_events_user"');
    await queryRunner.query('DROP INDEX "ix_audit_events_type"');
    await queryRunner.query('DROP INDEX "ix_audit_events_created_at"');
    await queryRunner.query('DROP TABLE "audit_events"');
  }
}
