import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns.js';

/** Append-only: rows are inserted and, past the retention period, pruned; never updated. */
@Entity('audit_events')
@Index('ix_audit_events_client', ['clientId', 'id'])
@Index('ix_audit_events_user', ['userId', 'id'])
@Index('ix_audit_events_type', ['type', 'id'])
export class AuditEvent {
  /** Monotonic, so "newest first" and pagination are stable even within one millisecond. */
  @PrimaryGeneratedColumn('increment', { type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** Who did it: a user id, a client id, or null for the system itself. */
  @Column({ name: 'actor_id', type: 'varchar', length: 64, nullable: true })
  actorId!: string | null;

  /** The client concerned (the clients table's id), when there is one. */
  @Column({ name: 'client_id', type: 'varchar', length: 36, nullable: true })
  clientId!: string | null;

  /** The user concerned, when there is one. */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Event-specific facts (never a secret), as JSON. */
  @JsonColumn()
  details!: Record<string, unknown>;

  @Index('ix_audit_events_created_at')
  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
