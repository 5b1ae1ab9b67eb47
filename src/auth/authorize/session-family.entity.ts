import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SignInSession } from '../../signin/sessions/signin-session.entity.js';
import { RefreshTokenFamily } from '../tokens/refresh-token-family.entity.js';

/**
 * Which browser session a refresh-token family was made through. A table of
 * its own rather than a column on the family, so the token store stays as it
 * is: ending a session (logout) finds its families here and revokes them.
 */
@Entity('signin_session_families')
export class SessionFamily {
  @PrimaryColumn({ name: 'family_id', type: 'varchar', length: 36 })
  familyId!: string;

  @ManyToOne(() => RefreshTokenFamily, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'family_id' })
  family?: RefreshTokenFamily;

  @Index('ix_signin_session_families_session')
  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId!: string;

  @ManyToOne(() => SignInSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: SignInSession;
}
