import { Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns.js';

/** A revoked access token's jti, kept until the token would have expired anyway. */
@Entity('revoked_access_tokens')
export class RevokedAccessToken {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jti!: string;

  @Index('ix_revoked_access_tokens_expires_at')
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @TimestampColumn({ name: 'revoked_at' })
  revokedAt!: Date;
}
