import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';

export interface BenchDatabase {
  dialect: Dialect;
  url: string;
  /** The SQLite file (sqlite only). */
  file?: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one server: a SQLite file in a new temp dir, or
 * a new database on the PostgreSQL server that BENCH_DATABASE_URL names.
 */
export async function freshDatabase(dialect: Dialect): Promise<BenchDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
    const file = join(dir, 'gatehouse.sqlite');
    return { dialect, url: `sqlite:${file}`, file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) throw new Error('PostgreSQL needs BENCH_DATABASE_URL');
  const name = `gatehouse_bench_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
