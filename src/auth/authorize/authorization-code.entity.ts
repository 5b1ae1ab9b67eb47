import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Client } from '../../clients/client.entity.js';
import { TimestampColumn } from '../../database/columns.js';
import { User } from '../../users/user.entity.js';

/**
 * One authorization code (RFC 6749 §4.1.2), stored only as its SHA-256 and
 * bound to everything the authorization request fixed. Once used it stays,
 * marked, until it would have expired: a second presentation is how a
 * replay is detected, and what the first one produced is then revoked.
 */
@Entity('authorization_codes')
export class AuthorizationCode {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('uq_authorization_codes_hash', { unique: true })
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @ManyToOne(() => Client, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  /** The clients table's id. */
  @Column({ name: 'client_id', type: 'varchar', length: 36 })
  clientId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** The browser session that approved it; the refresh-token family it starts is linked to it. */
  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId!: string;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri!: string;

  /** BASE64URL(SHA-256(code_verifier)), RFC 7636 S256. */
  @Column({ name: 'code_challenge', type: 'varchar', length: 64 })
  codeChallenge!: string;

  @Column({ type: 'text' })
  scope!: string;

  @Column({ type: 'varchar', length: 512, nullable: true })
  nonce!: string | null;

  /** When the user signed in (for OpenID's auth_time). */
  @TimestampColumn({ name: 'auth_time' })
  authTime!: Date;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @Index('ix_authorization_codes_expires_at')
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @TimestampColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;

  /** What the exchange produced, revoked if the code is ever presented again. */
  @Column({ name: 'family_id', type: 'varchar', length: 36, nullable: true })
  familyId!: string | null;

  @Column({ name: 'access_token_jti', type: 'varchar', length: 36, nullable: true })
  accessTokenJti!: string | null;

  /** How long the access token's revocation must be remembered. */
  @TimestampColumn({ name: 'access_token_expires_at', nullable: true })
  accessTokenExpiresAt!: Date | null;
}
