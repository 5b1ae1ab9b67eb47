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
  return createScratchDatabase(dialect, { serverUrl: serverUrlFrom('TEST_DATABASE_URL', dialect), purpose: 'test' });
}

/** The PostgreSQL server a scratch database goes on, named by `variable`; only PostgreSQL needs one. */
export function serverUrlFrom(variable: string, dialect: TestDialect): string | undefined {
  const url = process.env[variable];
  if (dialect === 'postgres' && !url) throw new Error(`PostgreSQL needs ${variable}`);
  return url;
}

const SCRATCH_PREFIX = /^[a-z_][a-z0-9_]{0,31}$/;

/**
 * `<prefix>_<purpose>_<random>`: the prefix is SCRATCH_DATABASE_PREFIX
 * (default gatehouse), so checkouts or people sharing one PostgreSQL server
 * can tell their scratch databases apart, and clean up only theirs.
 */
export function scratchName(purpose: string): string {
  const prefix = process.env.SCRATCH_DATABASE_PREFIX || 'gatehouse';
  if (!SCRATCH_PREFIX.test(prefix)) throw new Error('SCRATCH_DATABASE_PREFIX must be 1-32 of a-z 0-9 _, not starting with a digit');
  return `${prefix}_${purpose}_${randomBytes(6).toString('hex')}`;
}

/**
 * A fresh, empty database: a SQLite file in a new temp dir, or a new database
 * on the PostgreSQL server at `serverUrl`. The tests, the benchmark and the
 * migration generator each name their purpose.
 */
export async function createScratchDatabase(
  dialect: TestDialect,
  { serverUrl, purpose }: { serverUrl: string | undefined; purpose: string },
): Promise<TestDatabase> {
  const name = scratchName(purpose);
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `${name}-`));
    const file = join(dir, 'gatehouse.sqlite');
    return { dialect, url: `sqlite:${file}`, file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!serverUrl) throw new Error('A PostgreSQL scratch database needs a server URL');
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
