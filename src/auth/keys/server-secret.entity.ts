import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../database/columns.js';

/**
 * A secret the server makes for itself and every instance must share (today:
 * the key that derives a refresh token's successor). Kept sealed like the
 * private signing keys (see KeyEncryption), never in clear when a
 * SIGNING_KEY_ENCRYPTION_SECRET is set.
 */
@Entity('server_secrets')
export class ServerSecret {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text' })
  sealed!: string;

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
