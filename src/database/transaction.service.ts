import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Runs a unit of work in one transaction.
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

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.serialize = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialize) return this.dataSource.transaction(work);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
