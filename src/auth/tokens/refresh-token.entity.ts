import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns.js';
import { RefreshTokenFamily } from './refresh-token-family.entity.js';

/**
 * One opaque refresh token, stored only as its SHA-256. A token is live while it
 * is neither used nor revoked, its family is not revoked, and neither lifetime
 * has passed.
 */
@Entity('refresh_tokens')
@Index('ix_refresh_tokens_family', ['familyId'])
export class RefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('uq_refresh_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @ManyToOne(() => RefreshTokenFamily, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'family_id' })
  family?: RefreshTokenFamily;

  @Column({ name: 'family_id', type: 'varchar', length: 36 })
  familyId!: string;

  /** The token this one replaced; null for the first token of a family. */
  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId!: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  /** Idle expiry: REFRESH_TOKEN_IDLE_TTL after issue, never past the family's end. */
  @Index('ix_refresh_tokens_expires_at')
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @TimestampColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;

  /** Set when a grace-period retry superseded this token before it was ever used. */
  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
