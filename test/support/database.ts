import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type TestDialect = 'sqlite' | 'postgres';

export interface TestDatabase {
  dialect: TestDialect;
  url: string;
  /** The SQLite file (sqlite only). */
  file?: string;
  /** Removes the database and everything in it. */
  drop(): Promise<void>;
}

export const testDialect = (): TestDialect => (process.env.TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite');

/** A fresh, empty database for one test app: a temp SQLite file, or a new database on TEST_DATABASE_URL's server. */
export function createTestDatabase(dialect: TestDialect = testDialect()): Promise<TestDatabase> {
  return createScratchDatabase(dialect, { serverVariable: 'TEST_DATABASE_URL', prefix: 'gatehouse-test' });
}

/**
 * A fresh, empty database: a SQLite file in a new temp dir, or a new database
 * on the PostgreSQL server the environment variable `serverVariable` names.
 * The tests and the benchmark each name their own.
 */
export async function createScratchDatabase(
  dialect: TestDialect,
  { serverVariable, prefix }: { serverVariable: string; prefix: string },
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    const file = join(dir, 'gatehouse.sqlite');
    return { dialect, url: `sqlite:${file}`, file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const serverUrl = process.env[serverVariable];
  if (!serverUrl) throw new Error(`PostgreSQL needs ${serverVariable}`);
  const name = `${prefix.replace(/-/g, '_')}_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
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
