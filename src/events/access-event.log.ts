import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, MoreThan, Repository } from 'typeorm';
import { deleteInBatches } from '../database/batch-delete.js';
import { TransactionService } from '../database/transaction.service.js';
import type { AccessEvent, RecordedAccessEvent } from './access-event.js';
import { AccessEventRow } from './access-event.entity.js';

/** Any constant: it names the lock that orders the appends of concurrent PostgreSQL transactions. */
const APPEND_LOCK = 0x6761_7465;

/**
 * The stored stream: appended inside the unit of work that makes the change (so an event exists
 * exactly when its change was committed), read in id order by the feed.
 */
@Injectable()
export class AccessEventLog {
  private readonly postgres: boolean;

  constructor(
    @InjectRepository(AccessEventRow) private readonly rows: Repository<AccessEventRow>,
    private readonly transactions: TransactionService,
  ) {
    this.postgres = rows.manager.dataSource.options.type === 'postgres';
  }

  /**
   * Records events in the caller's transaction, with the ids after the newest. Appends are
   * serialized — on SQLite by its single writer, on PostgreSQL by a lock the transaction holds
   * until it ends — so ids are consecutive and become visible in order: a reader that has seen
   * id N never later finds a committed id below N (which it would skip).
   */
  async append(manager: EntityManager, events: readonly AccessEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (this.postgres) await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
    const first = ((await edgeId(manager, 'DESC')) ?? 0) + 1;
    const now = new Date();
    await manager.insert(
      AccessEventRow,
      events.map((event, i) => ({ id: String(first + i), type: event.type, data: event, createdAt: now })),
    );
  }

  /** Committed events after `id`, oldest first. */
  async after(id: number, limit: number): Promise<RecordedAccessEvent[]> {
    // The repository reads committed state only (on SQLite, the read-only connection): polling never
    // waits in, or holds up, the writers' queue.
    const rows = await this.rows.find({ where: { id: MoreThan(id) }, order: { id: 'ASC' }, take: limit });
    return rows.map((row) => ({ id: Number(row.id), event: row.data, at: row.createdAt.getTime() }));
  }

  /** The newest id (0 when there is none): where a fresh subscriber starts. */
  async head(): Promise<number> {
    return (await edgeId(this.rows.manager, 'DESC')) ?? 0;
  }

  /** The oldest id still kept, or null when the log is empty: a resume point before it has missed events. */
  oldest(): Promise<number | null> {
    return edgeId(this.rows.manager, 'ASC');
  }

  /**
   * Drops events recorded before `before`, a batch at a time; returns how many. The newest event
   * always stays: the next id is counted from it, and a position must never be given twice.
   */
  async prune(before: Date): Promise<number> {
    const newest = await this.head();
    return deleteInBatches(this.transactions, 'access_events', 'id', 'created_at < :before AND id < :newest', { before: before.getTime(), newest });
  }
}

/** The newest (DESC) or oldest (ASC) id as `manager` sees it, or null when the log is empty. */
async function edgeId(manager: EntityManager, order: 'ASC' | 'DESC'): Promise<number | null> {
  const row = (await manager.find(AccessEventRow, { select: { id: true }, order: { id: order }, take: 1 })).at(0);
  return row ? Number(row.id) : null;
}
