import { createScratchDatabase, serverUrlFrom, type TestDatabase, type TestDialect } from '../../test/support/database.js';

export { withClient } from '../../test/support/database.js';

export type Dialect = TestDialect;
export type BenchDatabase = TestDatabase;

/** A fresh, empty database for one server: a SQLite file, or a new database on BENCH_DATABASE_URL's server. */
export function freshDatabase(dialect: Dialect): Promise<BenchDatabase> {
  return createScratchDatabase(dialect, { serverUrl: serverUrlFrom('BENCH_DATABASE_URL', dialect), purpose: 'bench' });
}
