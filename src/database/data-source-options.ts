import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities.js';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations/index.js';
import { observedPg } from './pool-use.js';

export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(databaseUrl: string): Dialect {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

/**
 * Where files that belong with the data are kept: beside the SQLite file, or
 * `data/` in the working directory for PostgreSQL and an in-memory database.
 */
export function dataDirectory(databaseUrl: string): string {
  const sqlitePath = dialectOf(databaseUrl) === 'sqlite' ? databaseUrl.slice('sqlite:'.length) : ':memory:';
  return sqlitePath === ':memory:' ? resolve('data') : dirname(resolve(sqlitePath));
}

/**
 * The one TypeORM options source: the application and `ormconfig.ts` (the
 * TypeORM CLI) both build their DataSource from this. `synchronize` is never
 * on; the schema only ever changes through the migrations listed here.
 */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    // Failed queries surface as exceptions; TypeORM's own logging would print their parameters.
    logging: false,
  };
  if (dialectOf(databaseUrl) === 'sqlite') {
    const path = databaseUrl.slice('sqlite:'.length);
    const database = path === ':memory:' ? path : resolve(path);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database,
      migrations: SQLITE_MIGRATIONS,
      enableWAL: database !== ':memory:',
      // Concurrent writers from a second process (a CLI, a restart) wait instead of failing.
      timeout: 5000,
      prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
        db.pragma('busy_timeout = 5000');
        // WAL with NORMAL sync: a commit is durable against a crash of the process, and a power
        // loss can only lose the last commits, never corrupt the file (https://sqlite.org/wal.html).
        db.pragma('synchronous = NORMAL');
        // Checkpoint less often (each one syncs) and keep more pages in memory: rotations are writes.
        db.pragma('wal_autocheckpoint = 10000');
        db.pragma('cache_size = -32768');
      },
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: databaseUrl,
    driver: observedPg,
    migrations: POSTGRES_MIGRATIONS,
    extra: { max: 20, connectionTimeoutMillis: 5000 },
  };
}

/**
 * The read-only connection beside the writer on a SQLite file (see
 * DatabaseModule): the writer has migrated the file and put it in WAL mode,
 * so this one only reads; null where the writer serves reads too.
 */
export function readerOptions(databaseUrl: string): DataSourceOptions | null {
  const writer = dataSourceOptions(databaseUrl);
  if (writer.type !== 'better-sqlite3' || writer.database === ':memory:') return null;
  return {
    ...writer,
    migrations: [],
    readonly: true,
    // Already WAL (a database property the writer set); a read-only connection may not change it.
    enableWAL: false,
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('cache_size = -32768');
    },
  };
}
