import { Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns.js';

/**
 * A place an account was signed in to successfully: an address, and (from
 * issue 14) a browser's device cookie. Only a digest of (account, kind,
 * value) is kept: the table answers "has this source signed in to this
 * account before?" and nothing else, and names no address or device.
 */
@Entity('sign_in_sources')
export class SignInSource {
  /** SHA-256 (hex) of account, kind and value. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  digest!: string;

  @Index('ix_sign_in_sources_last_seen')
  @TimestampColumn({ name: 'last_seen_at' })
  lastSeenAt!: Date;
}
