import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JsonColumn, TimestampColumn } from '../database/columns.js';
import type { AccessEvent } from './access-event.js';

/** One row per access-change event; the id is the stream position. Kept for EVENT_RETENTION, then pruned. */
@Entity('access_events')
export class AccessEventRow {
  /**
   * Given by AccessEventLog.append, one more than the newest, while appends are serialized: so ids
   * are consecutive and committed in order (a sequence would leave gaps on rollback, and on
   * PostgreSQL could commit 11 before 10). bigint: positions must never run out.
   */
  @PrimaryColumn({ type: 'bigint' })
  id!: string | number;

  @Column({ type: 'varchar', length: 40 })
  type!: AccessEvent['type'];

  @JsonColumn()
  data!: AccessEvent;

  @Index('ix_access_events_created_at')
  @TimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
