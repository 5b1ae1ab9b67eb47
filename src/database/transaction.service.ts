import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Database as NativeSqlite } from 'better-sqlite3';
import { DataSource, type EntityManager } from 'typeorm';
import { BatchWindow } from './batch-window.js';

/** The name of the data source that writes (see DatabaseModule); the default one reads. */
export const WRITER = 'writer';

/**
 * Runs a unit of work in one transaction, on the writer.
 *
 * better-sqlite3 gives TypeORM a single connection shared by every request, so
 * two transactions that overlap in time would nest (the second becomes a
 * savepoint of the first, and a rollback of one takes the other's writes with
 * it). On SQLite every write therefore goes through here and the units run one
 * after another; PostgreSQL gives each unit its own pooled connection.
 */
@Injectable()
export class TransactionService {
  private readonly serialize: boolean;
  private tail: Promise<unknown> = Promise.resolve();
  /** Native units that arrive together wait for their turn as one group. */
  private readonly nativeUnits = new BatchWindow<NativeUnit, unknown>((units) => this.enqueue(async () => this.commitNative(units)));

  constructor(@InjectDataSource(WRITER) private readonly dataSource: DataSource) {
    this.serialize = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return this.dataSource.transaction(work);
    return this.enqueue(() => this.dataSource.transaction(work));
  }

  /**
   * SQLite only: runs synchronous `work` on the better-sqlite3 connection
   * itself, in its turn after every queued unit, so no TypeORM transaction is
   * open around it. Units submitted in the same turn of the event loop are
   * committed together (see BatchWindow), each in a savepoint of its own, so
   * one unit that throws rolls back only its own writes. Nothing can
   * interleave: the group runs synchronously.
   */
  runNative<T>(work: (db: NativeSqlite) => T): Promise<T> {
    if (!this.serialize) throw new Error('runNative is for SQLite only');
    return this.nativeUnits.submit(work) as Promise<T>;
  }

  /** One transaction around the group, a savepoint around each unit; throws only if the commit fails. */
  private commitNative(units: NativeUnit[]): Array<PromiseSettledResult<unknown>> {
    const db = nativeSqlite(this.dataSource);
    // Only a write that bypassed this queue can have left a transaction open; nesting in it would
    // make this group's commit depend on that transaction's fate, so refuse instead.
    if (db.inTransaction) throw new Error('A transaction outside TransactionService is open on the SQLite connection');
    const outcomes: Array<PromiseSettledResult<unknown>> = [];
    db.transaction(() => {
      for (const unit of units) {
        try {
          outcomes.push({ status: 'fulfilled', value: db.transaction(() => unit(db))() });
        } catch (reason) {
          outcomes.push({ status: 'rejected', reason });
        }
      }
    })();
    return outcomes;
  }

  private enqueue<T>(unit: () => Promise<T>): Promise<T> {
    const result = this.tail.then(unit);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

type NativeUnit = (db: NativeSqlite) => unknown;

/** The better-sqlite3 connection under TypeORM's SQLite driver. */
export const nativeSqlite = (dataSource: DataSource): NativeSqlite => (dataSource.driver as unknown as { databaseConnection: NativeSqlite }).databaseConnection;
