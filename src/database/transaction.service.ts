import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** The name of the data source that writes (see DatabaseModule); the default one reads. */
export const WRITER = 'writer';

/**
 * Runs a unit of work in one transaction, on the writer.
 *
 * better-sqlite3 gives TypeORM a single writer connection, so two transactions
 * that overlap in time would nest (the second becomes a savepoint of the
 * first, and a rollback of one takes the other's writes with it). On SQLite
 * every write therefore goes through here and the units run one after
 * another; PostgreSQL gives each unit its own pooled connection. A unit uses
 * only its own manager: asking the pool for a second connection while holding
 * one is how a burst of units deadlocks a pool.
 */
@Injectable()
export class TransactionService {
  private readonly serialize: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource(WRITER) private readonly dataSource: DataSource) {
    this.serialize = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return this.dataSource.transaction(work);
    return this.enqueue(() => this.dataSource.transaction(work));
  }

  private enqueue<T>(unit: () => Promise<T>): Promise<T> {
    const result = this.tail.then(unit);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
