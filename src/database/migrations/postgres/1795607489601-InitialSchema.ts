import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchemaPostgres1795607489601 implements MigrationInterface {
  name = 'InitialSchemaPostgres1795607489601';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_events" ("id" SERIAL NOT NULL, "type" character varying(64) NOT NULL, "actor_id" character varying(64), "client_id" character varying(36), "user_id" character varying(36), "ip" character varying(64), "reason" text, "details" text NOT NULL, "created_at" bigint NOT NULL, CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_audit_events_created_at" ON "audit_events"  ("created_at") ');
    await queryRunner.query('CREATE INDEX "ix_audit_events_type" ON "audit_events"  ("type", "id") ');
    await queryRunner.query('CREATE INDEX "ix_audit_events_user" ON "audit_events"  ("user_id", "id") ');
    await queryRunner.query('CREATE INDEX "ix_audit_events_client" ON "audit_events"  ("client_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "signing_keys" ("kid" character varying(64) NOT NULL, "alg" character varying(8) NOT NULL, "public_jwk" text NOT NULL, "private_key" text NOT NULL, "status" character varying(16) NOT NULL, "created_at" bigint NOT NULL, "retired_at" bigint, CONSTRAINT "PK_13362ac3e792c69417e1a53d355" PRIMARY KEY ("kid"))',
    );
    await queryRunner.query(
      'CREATE TABLE "roles" ("name" character varying(64) NOT NULL, "permissions" text NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "PK_648e3f5447f725579d7d4ffdfb7" PRIMARY KEY ("name"))',
    );
    await queryRunner.query(
      'CREATE TABLE "users" ("id" character varying(36) NOT NULL, "username" character varying(64) NOT NULL, "username_normalized" character varying(64) NOT NULL, "password_hash" character varying(100) NOT NULL, "disabled" boolean NOT NULL DEFAULT false, "tokens_not_before" bigint, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_users_username_normalized" ON "users"  ("username_normalized") ');
    await queryRunner.query(
      'CREATE TABLE "clients" ("id" character varying(36) NOT NULL, "client_id" character varying(64), "owner_id" character varying(36), "name" character varying(100) NOT NULL, "description" text NOT NULL DEFAULT \'\', "contact_email" character varying(254), "redirect_uris" text NOT NULL, "requested_grant_types" text NOT NULL, "requested_scopes" text NOT NULL, "grant_types" text NOT NULL, "scopes" text NOT NULL, "trusted" boolean NOT NULL DEFAULT false, "status" character varying(16) NOT NULL, "review_note" text, "secret_digest" character varying(64), "secret_created_at" bigint, "tokens_not_before" bigint, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "PK_f1ab7cf3a5714dbc6bb4e1c28a4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_clients_client_id" ON "clients"  ("client_id") ');
    await queryRunner.query('CREATE INDEX "ix_clients_owner" ON "clients"  ("owner_id") ');
    await queryRunner.query('CREATE INDEX "ix_clients_status" ON "clients"  ("status") ');
    await queryRunner.query(
      'CREATE TABLE "refresh_token_families" ("id" character varying(36) NOT NULL, "client_id" character varying(36) NOT NULL, "user_id" character varying(36) NOT NULL, "scope" text NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "revoked_at" bigint, "revoked_reason" character varying(64), CONSTRAINT "PK_6912327ad39338e9032e1c76049" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_refresh_families_expires_at" ON "refresh_token_families"  ("expires_at") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_user" ON "refresh_token_families"  ("user_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_families_client" ON "refresh_token_families"  ("client_id") ');
    await queryRunner.query(
      'CREATE TABLE "refresh_tokens" ("id" character varying(36) NOT NULL, "token_hash" character varying(64) NOT NULL, "family_id" character varying(36) NOT NULL, "parent_id" character varying(36), "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "used_at" bigint, "revoked_at" bigint, CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens"  ("token_hash") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_expires_at" ON "refresh_tokens"  ("expires_at") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_parent" ON "refresh_tokens"  ("parent_id") ');
    await queryRunner.query('CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens"  ("family_id") ');
    await queryRunner.query(
      'CREATE TABLE "revoked_access_tokens" ("jti" character varying(64) NOT NULL, "expires_at" bigint NOT NULL, "revoked_at" bigint NOT NULL, CONSTRAINT "PK_340815421be58a8330570a1d6fb" PRIMARY KEY ("jti"))',
    );
    await queryRunner.query('CREATE INDEX "ix_revoked_access_tokens_expires_at" ON "revoked_access_tokens"  ("expires_at") ');
    await queryRunner.query(
      'CREATE TABLE "token_issuance_counts" ("hour_start" bigint NOT NULL, "grant_type" character varying(32) NOT NULL, "count" integer NOT NULL DEFAULT \'0\', CONSTRAINT "PK_15dde2f0e508cf315579f222e03" PRIMARY KEY ("hour_start", "grant_type"))',
    );
    await queryRunner.query(
      'CREATE TABLE "notes" ("id" character varying(36) NOT NULL, "owner_id" character varying(36) NOT NULL, "title" character varying(200) NOT NULL, "body" text NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, CONSTRAINT "PK_af6206538ea96c4e77e9f400c3d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_notes_owner_created" ON "notes"  ("owner_id", "created_at") ');
    await queryRunner.query(
      'CREATE TABLE "user_roles" ("user_id" character varying(36) NOT NULL, "role_name" character varying(64) NOT NULL, CONSTRAINT "PK_c8d9ca75dfb1ebc8e57ab2cf799" PRIMARY KEY ("user_id", "role_name"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_87b8888186ca9769c960e92687" ON "user_roles"  ("user_id") ');
    await queryRunner.query('CREATE INDEX "IDX_85683c502a3882013c989f4ee3" ON "user_roles"  ("role_name") ');
    await queryRunner.query(
      'ALTER TABLE "clients" ADD CONSTRAINT "FK_fe0ecb806e3c381981349ac237b" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "refresh_token_families" ADD CONSTRAINT "FK_c676073d5133e5e3339fb25bcaa" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "refresh_token_families" ADD CONSTRAINT "FK_cb724d64e7cc9276571acdabeb5" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_d5e27da0cd39bc3bb2811fc8bac" FOREIGN KEY ("family_id") REFERENCES "refresh_token_families"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "notes" ADD CONSTRAINT "FK_f9e103f8ae67cb1787063597925" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "user_roles" ADD CONSTRAINT "FK_87b8888186ca9769c960e926870" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE',
    );
    await queryRunner.query(
      'ALTER TABLE "user_roles" ADD CONSTRAINT "FK_85683c502a3882013c989f4ee35" FOREIGN KEY ("role_name") REFERENCES "roles"("name") ON DELETE CASCADE ON UPDATE CASCADE',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "user_roles" DROP CONSTRAINT "FK_85683c502a3882013c989f4ee35"');
    await queryRunner.query('ALTER TABLE "user_roles" DROP CONSTRAINT "FK_87b8888186ca9769c960e926870"');
    await queryRunner.query('ALTER TABLE "notes" DROP CONSTRAINT "FK_f9e103f8ae67cb1787063597925"');
    await queryRunner.query('ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_d5e27da0cd39bc3bb2811fc8bac"');
    await queryRunner.query('ALTER TABLE "refresh_token_families" DROP CONSTRAINT "FK_cb724d64e7cc9276571acdabeb5"');
    await queryRunner.query('ALTER TABLE "refresh_token_families" DROP CONSTRAINT "FK_c676073d5133e5e3339fb25bcaa"');
    await queryRunner.query('ALTER TABLE "clients" DROP CONSTRAINT "FK_fe0ecb806e3c381981349ac237b"');
    await queryRunner.query('DROP INDEX "public"."IDX_85683c502a3882013c989f4ee3"');
    await queryRunner.query('DROP INDEX "public"."IDX_87b8888186ca9769c960e92687"');
    await queryRunner.query('DROP TABLE "user_roles"');
    await queryRunner.query('DROP INDEX "public"."ix_notes_owner_created"');
    await queryRunner.query('DROP TABLE "notes"');
    await queryRunner.query('DROP TABLE "token_issuance_counts"');
    await queryRunner.query('DROP INDEX "public"."ix_revoked_access_tokens_expires_at"');
    await queryRunner.query('DROP TABLE "revoked_access_tokens"');
    await queryRunner.query('DROP INDEX "public"."ix_refresh_tokens_family"');
    await queryRunner.query('DROP INDEX "public"."ix_refresh_tokens_parent"');
    await queryRunner.query('DROP INDEX "public"."ix_refresh_tokens_expires_at"');
    await queryRunner.query('DROP INDEX "public"."uq_refresh_tokens_hash"');
    await queryRunner.query('DROP TABLE "refresh_tokens"');
    await queryRunner.query('DROP INDEX "public"."ix_refresh_families_client"');
    await queryRunner.query('DROP INDEX "public"."ix_refresh_families_user"');
    await queryRunner.query('DROP INDEX "public"."ix_refresh_families_expires_at"');
    await queryRunner.query('DROP TABLE "refresh_token_families"');
    await queryRunner.query('DROP INDEX "public"."ix_clients_status"');
    await queryRunner.query('DROP INDEX "public"."ix_clients_owner"');
    await queryRunner.query('DROP INDEX "public"."uq_clients_client_id"');
    await queryRunner.query('DROP TABLE "clients"');
    await queryRunner.query('DROP INDEX "public"."uq_users_username_normalized"');
    await queryRunner.query('DROP TABLE "users"');
    await queryRunner.query('DROP TABLE "roles"');
    await queryRunner.query('DROP TABLE "signing_keys"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_events_client"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_events_user"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_events_type"');
    await queryRunner.query('DROP INDEX "public"."ix_audit_events_created_at"');
    await queryRunner.query('DROP TABLE "audit_events"');
  }
}
