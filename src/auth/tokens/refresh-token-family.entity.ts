import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Client } from '../../clients/client.entity.js';
import { TimestampColumn } from '../../database/columns.js';
import { User } from '../../users/user.entity.js';

/** Every refresh token descended from one login; revoking the family revokes them all. */
@Entity('refresh_token_families')
@Index('ix_refresh_families_client', ['clientId'])
@Index('ix_refresh_families_user', ['userId'])
export class RefreshTokenFamily {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @ManyToOne(() => Client, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  /** The clients table's id (not the public client_id). */
  @Column({ name: 'client_id', type: 'varchar', length: 36 })
  clientId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** The scope granted at login; a refresh may narrow the access token's scope, never this. */
  @Column({ type: 'text' })
  scope!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  /** Absolute end of the family (REFRESH_TOKEN_TTL after login). */
  @Index('ix_refresh_families_expires_at')
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 64, nullable: true })
  revokedReason!: string | null;
}
