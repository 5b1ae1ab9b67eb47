import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns.js';
import { User } from '../../users/user.entity.js';

/**
 * A browser sign-in, kept in the database so every instance sees it. The
 * cookie holds a 256-bit random value; only its SHA-256 is stored, so a
 * leaked table does not sign anyone in.
 */
@Entity('signin_sessions')
@Index('ix_signin_sessions_user', ['userId'])
export class SignInSession {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('uq_signin_sessions_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** When the user proved who they are (OpenID `auth_time`, `max_age`). */
  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  /** Idle expiry counts from here (SESSION_IDLE_TTL). */
  @TimestampColumn({ name: 'last_seen_at' })
  lastSeenAt!: Date;

  /** Absolute end (SESSION_TTL after sign-in). */
  @Index('ix_signin_sessions_expires_at')
  @TimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  /** Set by a sign-out; an ended session is never used again. */
  @TimestampColumn({ name: 'ended_at', nullable: true })
  endedAt!: Date | null;
}
