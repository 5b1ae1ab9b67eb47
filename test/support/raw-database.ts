import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import type { TestDatabase } from './database.js';

/**
 * A plain driver connection to a test database, outside any application:
 * for checking what a (killed) server left behind. SQL is written with `?`
 * placeholders; they become `$1…` on PostgreSQL.
 */
export interface RawDatabase {
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openRawDatabase(database: TestDatabase): Promise<RawDatabase> {
  if (database.dialect === 'sqlite') {
    const db = new Database(database.url.slice('sqlite:'.length), { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return {
      query: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as T[],
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => {
      let n = 0;
      return (
        await client.query<T>(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    },
    close: () => client.end(),
  };
}

/**
 * Every byte the database keeps on disk for `database`, as it lies there: the
 * SQLite file with its write-ahead log, or (after a CHECKPOINT, so nothing is
 * only in shared buffers) the file of every PostgreSQL table, TOAST table and
 * index of that database. Dead row versions are included, which is the point.
 * On PostgreSQL this needs a superuser (pg_read_binary_file), as CI's is.
 */
export async function storedBytes(database: TestDatabase): Promise<Buffer> {
  if (database.dialect === 'sqlite') {
    const path = database.url.slice('sqlite:'.length);
    return Buffer.concat([path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file)));
  }
  const raw = await openRawDatabase(database);
  try {
    await raw.query('CHECKPOINT');
    // Every file of a table, TOAST table or index that exists on disk (an empty relation may have none).
    const files = await raw.query<{ path: string }>(
      `SELECT p.path FROM pg_class c CROSS JOIN LATERAL (SELECT pg_relation_filepath(c.oid) AS path) p
       WHERE c.relkind IN ('r', 't', 'i', 'm') AND p.path IS NOT NULL AND (pg_stat_file(p.path, true)).size IS NOT NULL`,
    );
    const contents: Buffer[] = [];
    for (const { path } of files) {
      contents.push((await raw.query<{ bytes: Buffer }>('SELECT pg_read_binary_file(?) AS bytes', [path]))[0].bytes);
    }
    return Buffer.concat(contents);
  } finally {
    await raw.close();
  }
}
