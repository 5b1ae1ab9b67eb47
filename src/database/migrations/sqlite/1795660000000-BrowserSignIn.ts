import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BrowserSignInSqlite1795660000000 implements MigrationInterface {
  name = 'BrowserSignInSqlite1795660000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "authorization_codes" ("id" varchar(36) PRIMARY KEY NOT NULL, "code_hash" varchar(64) NOT NULL, "client_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "session_id" varchar(36) NOT NULL, "redirect_uri" text NOT NULL, "code_challenge" varchar(64) NOT NULL, "scope" text NOT NULL, "nonce" varchar(512), "auth_time" bigint NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "used_at" bigint, "family_id" varchar(36), "access_token_jti" varchar(36), "access_token_expires_at" bigint)',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_authorization_codes_hash" ON "authorization_codes" ("code_hash") ');
    await queryRunner.query('CREATE INDEX "ix_authorization_codes_expires_at" ON "authorization_codes" ("expires_at") ');
    await queryRunner.query(
      'CREATE TABLE "signin_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" bigint NOT NULL, "last_seen_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "ended_at" bigint)',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_signin_sessions_token_hash" ON "signin_sessions" ("token_hash") ');
    await queryRunner.query('CREATE INDEX "ix_signin_sessions_expires_at" ON "signin_sessions" ("expires_at") ');
    await queryRunner.query('CREATE INDEX "ix_signin_sessions_user" ON "signin_sessions" ("user_id") ');
    await queryRunner.query('CREATE TABLE "signin_session_families" ("family_id" varchar(36) PRIMARY KEY NOT NULL, "session_id" varchar(36) NOT NULL)');
    await queryRunner.query('CREATE INDEX "ix_signin_session_families_session" ON "signin_session_families" ("session_id") ');
    await queryRunner.query(
      'CREATE TABLE "consents" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "client_id" varchar(36) NOT NULL, "scopes" text NOT NULL, "granted_at" bigint NOT NULL)',
    );
    await queryRunner.query('CREATE INDEX "ix_consents_client" ON "consents" ("client_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_consents_user_client" ON "consents" ("user_id", "client_id") ');
    await queryRunner.query('DROP INDEX "uq_authorization_codes_hash"');
    await queryRunner.query('DROP INDEX "ix_authorization_codes_expires_at"');
    await queryRunner.query(
      'CREATE TABLE "temporary_authorization_codes" ("id" varchar(36) PRIMARY KEY NOT NULL, "code_hash" varchar(64) NOT NULL, "client_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "session_id" varchar(36) NOT NULL, "redirect_uri" text NOT NULL, "code_challenge" varchar(64) NOT NULL, "scope" text NOT NULL, "nonce" varchar(512), "auth_time" bigint NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "used_at" bigint, "family_id" varchar(36), "access_token_jti" varchar(36), "access_token_expires_at" bigint, CONSTRAINT "FK_9b6780f6c2ce73987f7cabb4ae3" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_68f8ccfda6bb17fb159cc965cce" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_authorization_codes"("id", "code_hash", "client_id", "user_id", "session_id", "redirect_uri", "code_challenge", "scope", "nonce", "auth_time", "created_at", "expires_at", "used_at", "family_id", "access_token_jti", "access_token_expires_at") SELECT "id", "code_hash", "client_id", "user_id", "session_id", "redirect_uri", "code_challenge", "scope", "nonce", "auth_time", "created_at", "expires_at", "used_at", "family_id", "access_token_jti", "access_token_expires_at" FROM "authorization_codes"',
    );
    await queryRunner.query('DROP TABLE "authorization_codes"');
    await queryRunner.query('ALTER TABLE "temporary_authorization_codes" RENAME TO "authorization_codes"');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_authorization_codes_hash" ON "authorization_codes" ("code_hash") ');
    await queryRunner.query('CREATE INDEX "ix_authorization_codes_expires_at" ON "authorization_codes" ("expires_at") ');
    await queryRunner.query('DROP INDEX "uq_signin_sessions_token_hash"');
    await queryRunner.query('DROP INDEX "ix_signin_sessions_expires_at"');
    await queryRunner.query('DROP INDEX "ix_signin_sessions_user"');
    await queryRunner.query(
      'CREATE TABLE "temporary_signin_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" bigint NOT NULL, "last_seen_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "ended_at" bigint, CONSTRAINT "FK_e747036897745c2423df8730b5b" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_signin_sessions"("id", "token_hash", "user_id", "created_at", "last_seen_at", "expires_at", "ended_at") SELECT "id", "token_hash", "user_id", "created_at", "last_seen_at", "expires_at", "ended_at" FROM "signin_sessions"',
    );
    await queryRunner.query('DROP TABLE "signin_sessions"');
    await queryRunner.query('ALTER TABLE "temporary_signin_sessions" RENAME TO "signin_sessions"');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_signin_sessions_token_hash" ON "signin_sessions" ("token_hash") ');
    await queryRunner.query('CREATE INDEX "ix_signin_sessions_expires_at" ON "signin_sessions" ("expires_at") ');
    await queryRunner.query('CREATE INDEX "ix_signin_sessions_user" ON "signin_sessions" ("user_id") ');
    await queryRunner.query('DROP INDEX "ix_signin_session_families_session"');
    await queryRunner.query(
      'CREATE TABLE "temporary_signin_session_families" ("family_id" varchar(36) PRIMARY KEY NOT NULL, "session_id" varchar(36) NOT NULL, CONSTRAINT "FK_6d0c6c9c8f43373991610f038b1" FOREIGN KEY ("family_id") REFERENCES "refresh_token_families" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_1bd43e1cf6972d127fd2f2708a6" FOREIGN KEY ("session_id") REFERENCES "signin_sessions" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_signin_session_families"("family_id", "session_id") SELECT "family_id", "session_id" FROM "signin_session_families"',
    );
    await queryRunner.query('DROP TABLE "signin_session_families"');
    await queryRunner.query('ALTER TABLE "temporary_signin_session_families" RENAME TO "signin_session_families"');
    await queryRunner.query('CREATE INDEX "ix_signin_session_families_session" ON "signin_session_families" ("session_id") ');
    await queryRunner.query('DROP INDEX "ix_consents_client"');
    await queryRunner.query('DROP INDEX "uq_consents_user_client"');
    await queryRunner.query(
      'CREATE TABLE "temporary_consents" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "client_id" varchar(36) NOT NULL, "scopes" text NOT NULL, "granted_at" bigint NOT NULL, CONSTRAINT "FK_946390b9024aba22cd1c1621430" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_618e4fb7c4dc5b95a223cc9866c" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_consents"("id", "user_id", "client_id", "scopes", "granted_at") SELECT "id", "user_id", "client_id", "scopes", "granted_at" FROM "consents"',
    );
    await queryRunner.query('DROP TABLE "consents"');
    await queryRunner.query('ALTER TABLE "temporary_consents" RENAME TO "consents"');
    await queryRunner.query('CREATE INDEX "ix_consents_client" ON "consents" ("client_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_consents_user_client" ON "consents" ("user_id", "client_id") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "uq_consents_user_client"');
    await queryRunner.query('DROP INDEX "ix_consents_client"');
    await queryRunner.query('ALTER TABLE "consents" RENAME TO "temporary_consents"');
    await queryRunner.query(
      'CREATE TABLE "consents" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "client_id" varchar(36) NOT NULL, "scopes" text NOT NULL, "granted_at" bigint NOT NULL)',
    );
    await queryRunner.query(
      'INSERT INTO "consents"("id", "user_id", "client_id", "scopes", "granted_at") SELECT "id", "user_id", "client_id", "scopes", "granted_at" FROM "temporary_consents"',
    );
    await queryRunner.query('DROP TABLE "temporary_consents"');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_consents_user_client" ON "consents" ("user_id", "client_id") ');
    await queryRunner.query('CREATE INDEX "ix_consents_client" ON "consents" ("client_id") ');
    await queryRunner.query('DROP INDEX "ix_signin_session_families_session"');
    await queryRunner.query('ALTER TABLE "signin_session_families" RENAME TO "temporary_signin_session_families"');
    await queryRunner.query('CREATE TABLE "signin_session_families" ("family_id" varchar(36) PRIMARY KEY NOT NULL, "session_id" varchar(36) NOT NULL)');
    await queryRunner.query(
      'INSERT INTO "signin_session_families"("family_id", "session_id") SELECT "family_id", "session_id" FROM "temporary_signin_session_families"',
    );
    await queryRunner.query('DROP TABLE "temporary_signin_session_families"');
    await queryRunner.query('CREATE INDEX "ix_signin_session_families_session" ON "signin_session_families" ("session_id") ');
    await queryRunner.query('DROP INDEX "ix_signin_sessions_user"');
    await queryRunner.query('DROP INDEX "ix_signin_sessions_expires_at"');
    await queryRunner.query('DROP INDEX "uq_signin_sessions_token_hash"');
    await queryRunner.query('ALTER TABLE "signin_sessions" RENAME TO "temporary_signin_sessions"');
    await queryRunner.query(
      'CREATE TABLE "signin_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "token_hash" varchar(64) NOT NULL, "user_id" varchar(36) NOT NULL, "created_at" bigint NOT NULL, "last_seen_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "ended_at" bigint)',
    );
    await queryRunner.query(
      'INSERT INTO "signin_sessions"("id", "token_hash", "user_id", "created_at", "last_seen_at", "expires_at", "ended_at") SELECT "id", "token_hash", "user_id", "created_at", "last_seen_at", "expires_at", "ended_at" FROM "temporary_signin_sessions"',
    );
    await queryRunner.query('DROP TABLE "temporary_signin_sessions"');
    await queryRunner.query('CREATE INDEX "ix_signin_sessions_user" ON "signin_sessions" ("user_id") ');
    await queryRunner.query('CREATE INDEX "ix_signin_sessions_expires_at" ON "signin_sessions" ("expires_at") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_signin_sessions_token_hash" ON "signin_sessions" ("token_hash") ');
    await queryRunner.query('DROP INDEX "ix_authorization_codes_expires_at"');
    await queryRunner.query('DROP INDEX "uq_authorization_codes_hash"');
    await queryRunner.query('ALTER TABLE "authorization_codes" RENAME TO "temporary_authorization_codes"');
    await queryRunner.query(
      'CREATE TABLE "authorization_codes" ("id" varchar(36) PRIMARY KEY NOT NULL, "code_hash" varchar(64) NOT NULL, "client_id" varchar(36) NOT NULL, "user_id" varchar(36) NOT NULL, "session_id" varchar(36) NOT NULL, "redirect_uri" text NOT NULL, "code_challenge" varchar(64) NOT NULL, "scope" text NOT NULL, "nonce" varchar(512), "auth_time" bigint NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "used_at" bigint, "family_id" varchar(36), "access_token_jti" varchar(36), "access_token_expires_at" bigint)',
    );
    await queryRunner.query(
      'INSERT INTO "authorization_codes"("id", "code_hash", "client_id", "user_id", "session_id", "redirect_uri", "code_challenge", "scope", "nonce", "auth_time", "created_at", "expires_at", "used_at", "family_id", "access_token_jti", "access_token_expires_at") SELECT "id", "code_hash", "client_id", "user_id", "session_id", "redirect_uri", "code_challenge", "scope", "nonce", "auth_time", "created_at", "expires_at", "used_at", "family_id", "access_token_jti", "access_token_expires_at" FROM "temporary_authorization_codes"',
    );
    await queryRunner.query('DROP TABLE "temporary_authorization_codes"');
    await queryRunner.query('CREATE INDEX "ix_authorization_codes_expires_at" ON "authorization_codes" ("expires_at") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_authorization_codes_hash" ON "authorization_codes" ("code_hash") ');
    await queryRunner.query('DROP INDEX "uq_consents_user_client"');
    await queryRunner.query('DROP INDEX "ix_consents_client"');
    await queryRunner.query('DROP TABLE "consents"');
    await queryRunner.query('DROP INDEX "ix_signin_session_families_session"');
    await queryRunner.query('DROP TABLE "signin_session_families"');
    await queryRunner.query('DROP INDEX "ix_signin_sessions_user"');
    await queryRunner.query('DROP INDEX "ix_signin_sessions_expires_at"');
    await queryRunner.query('DROP INDEX "uq_signin_sessions_token_hash"');
    await queryRunner.query('DROP TABLE "signin_sessions"');
    await queryRunner.query('DROP INDEX "ix_authorization_codes_expires_at"');
    await queryRunner.query('DROP INDEX "uq_authorization_codes_hash"');
    await queryRunner.query('DROP TABLE "authorization_codes"');
  }
}
