import { Column, Entity, Index, JoinTable, ManyToMany, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../database/columns.js';
import { Role } from './role.entity.js';

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  /** Lower-cased username: uniqueness and look-up are case-insensitive on both dialects. */
  @Index('uq_users_username_normalized', { unique: true })
  @Column({ name: 'username_normalized', type: 'varchar', length: 64 })
  usernameNormalized!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100 })
  passwordHash!: string;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /** Access tokens issued at or before this instant stay dead, even after re-enabling. */
  @TimestampColumn({ name: 'tokens_not_before', nullable: true })
  tokensNotBefore!: Date | null;

  @ManyToMany(() => Role, { onDelete: 'CASCADE' })
  @JoinTable({
    name: 'user_roles',
    joinColumn: { name: 'user_id', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'role_name', referencedColumnName: 'name' },
  })
  roles!: Role[];

  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
