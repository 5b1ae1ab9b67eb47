import { Logger } from '@nestjs/common';
import pg from 'pg';

/** PostgreSQL error codes this file answers. */
const INVALID_CATALOG_NAME = '3D000';
const INSUFFICIENT_PRIVILEGE = '42501';
const DUPLICATE_DATABASE = '42P04';

/** A start-up failure whose message already says what to do; retrying cannot help. */
export class DatabaseSetupError extends Error {
  override readonly name = 'DatabaseSetupError';
}

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** Whether `error` is PostgreSQL saying the database in the URL does not exist. */
export const isMissingDatabase = (error: unknown): boolean => codeOf(error) === INVALID_CATALOG_NAME;

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates the database DATABASE_URL names, connected to the `postgres`
 * maintenance database with the same credentials, so a new deployment needs no
 * manual step when its user may create databases. When it may not, the error
 * says exactly what an administrator must run.
 */
export async function createPostgresDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  const user = decodeURIComponent(url.username) || 'postgres';
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
    new Logger('Database').log(`Created the database ${database}, which did not exist`);
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if (codeOf(error) === DUPLICATE_DATABASE) return;
    const why = codeOf(error) === INSUFFICIENT_PRIVILEGE ? `user ${user} may not create it` : `it could not be created (${(error as Error).message})`;
    throw new DatabaseSetupError(
      `database ${database} does not exist and ${why}. Create it as a PostgreSQL superuser: CREATE DATABASE ${quoteIdentifier(database)} OWNER ${quoteIdentifier(user)};`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
