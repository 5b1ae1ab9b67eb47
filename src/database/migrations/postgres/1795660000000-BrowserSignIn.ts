import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BrowserSignInPostgres1795660000000 implements MigrationInterface {
  name = 'BrowserSignInPostgres1795660000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "authorization_codes" ("id" character varying(36) NOT NULL, "code_hash" character varying(64) NOT NULL, "client_id" character varying(36) NOT NULL, "user_id" character varying(36) NOT NULL, "session_id" character varying(36) NOT NULL, "redirect_uri" text NOT NULL, "code_challenge" character varying(64) NOT NULL, "scope" text NOT NULL, "nonce" character varying(512), "auth_time" bigint NOT NULL, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "used_at" bigint, "family_id" character varying(36), "access_token_jti" character varying(36), "access_token_expires_at" bigint, CONSTRAINT "PK_f05b2eb99ad2db12d87544656c4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_authorization_codes_hash" ON "authorization_codes"  ("code_hash") ');
    await queryRunner.query('CREATE INDEX "ix_authorization_codes_expires_at" ON "authorization_codes"  ("expires_at") ');
    await queryRunner.query(
      'CREATE TABLE "signin_sessions" ("id" character varying(36) NOT NULL, "token_hash" character varying(64) NOT NULL, "user_id" character varying(36) NOT NULL, "created_at" bigint NOT NULL, "last_seen_at" bigint NOT NULL, "expires_at" bigint NOT NULL, "ended_at" bigint, CONSTRAINT "PK_ef76470aad63817988061f769f1" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_signin_sessions_token_hash" ON "signin_sessions"  ("token_hash") ');
    await queryRunner.query('CREATE INDEX "ix_signin_sessions_expires_at" ON "signin_sessions"  ("expires_at") ');
    await queryRunner.query('CREATE INDEX "ix_signin_sessions_user" ON "signin_sessions"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "signin_session_families" ("family_id" character varying(36) NOT NULL, "session_id" character varying(36) NOT NULL, CONSTRAINT "PK_6d0c6c9c8f43373991610f038b1" PRIMARY KEY ("family_id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_signin_session_families_session" ON "signin_session_families"  ("session_id") ');
    await queryRunner.query(
      'CREATE TABLE "consents" ("id" character varying(36) NOT NULL, "user_id" character varying(36) NOT NULL, "client_id" character varying(36) NOT NULL, "scopes" text NOT NULL, "granted_at" bigint NOT NULL, CONSTRAINT "PK_9efc68eb6aba7d638fb6ea034dd" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "ix_consents_client" ON "consents"  ("client_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_consents_user_client" ON "consents"  ("user_id", "client_id") ');
    await queryRunner.query(
      'ALTER TABLE "authorization_codes" ADD CONSTRAINT "FK_9b6780f6c2ce73987f7cabb4ae3" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "authorization_codes" ADD CONSTRAINT "FK_68f8ccfda6bb17fb159cc965cce" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "signin_sessions" ADD CONSTRAINT "FK_e747036897745c2423df8730b5b" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "signin_session_families" ADD CONSTRAINT "FK_6d0c6c9c8f43373991610f038b1" FOREIGN KEY ("family_id") REFERENCES "refresh_token_families"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "signin_session_families" ADD CONSTRAINT "FK_1bd43e1cf6972d127fd2f2708a6" FOREIGN KEY ("session_id") REFERENCES "signin_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "consents" ADD CONSTRAINT "FK_946390b9024aba22cd1c1621430" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "consents" ADD CONSTRAINT "FK_618e4fb7c4dc5b95a223cc9866c" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "consents" DROP CONSTRAINT "FK_618e4fb7c4dc5b95a223cc9866c"');
    await queryRunner.query('ALTER TABLE "consents" DROP CONSTRAINT "FK_946390b9024aba22cd1c1621430"');
    await queryRunner.query('ALTER TABLE "signin_session_families" DROP CONSTRAINT "FK_1bd43e1cf6972d127fd2f2708a6"');
    await queryRunner.query('ALTER TABLE "signin_session_families" DROP CONSTRAINT "FK_6d0c6c9c8f43373991610f038b1"');
    await queryRunner.query('ALTER TABLE "signin_sessions" DROP CONSTRAINT "FK_e747036897745c2423df8730b5b"');
    await queryRunner.query('ALTER TABLE "authorization_codes" DROP CONSTRAINT "FK_68f8ccfda6bb17fb159cc965cce"');
    await queryRunner.query('ALTER TABLE "authorization_codes" DROP CONSTRAINT "FK_9b6780f6c2ce73987f7cabb4ae3"');
    await queryRunner.query('DROP INDEX "public"."uq_consents_user_client"');
    await queryRunner.query('DROP INDEX "public"."ix_consents_client"');
    await queryRunner.query('DROP TABLE "consents"');
    await queryRunner.query('DROP INDEX "public"."ix_signin_session_families_session"');
    await queryRunner.query('DROP TABLE "signin_session_families"');
    await queryRunner.query('DROP INDEX "public"."ix_signin_sessions_user"');
    await queryRunner.query('DROP INDEX "public"."ix_signin_sessions_expires_at"');
    await queryRunner.query('DROP INDEX "public"."uq_signin_sessions_token_hash"');
    await queryRunner.query('DROP TABLE "signin_sessions"');
    await queryRunner.query('DROP INDEX "public"."ix_authorization_codes_expires_at"');
    await queryRunner.query('DROP INDEX "public"."uq_authorization_codes_hash"');
    await queryRunner.query('DROP TABLE "authorization_codes"');
  }
}
