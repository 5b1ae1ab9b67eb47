import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Client } from '../../clients/client.entity.js';
import { JsonColumn, TimestampColumn } from '../../database/columns.js';
import { User } from '../../users/user.entity.js';

/** What a user allowed one client: the scopes, remembered so the consent page is not asked again. */
@Entity('consents')
@Index('uq_consents_user_client', ['userId', 'clientId'], { unique: true })
export class Consent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne(() => Client, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  /** The clients table's id (not the public client_id). */
  @Index('ix_consents_client')
  @Column({ name: 'client_id', type: 'varchar', length: 36 })
  clientId!: string;

  @JsonColumn()
  scopes!: string[];

  @TimestampColumn({ name: 'granted_at' })
  grantedAt!: Date;
}
