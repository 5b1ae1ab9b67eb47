import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { type BenchDatabase, withClient } from './database.js';

/**
 * Figure 6's data: `users` users (role `user`, all with one precomputed
 * bcrypt hash) and `refreshTokens` refresh tokens in families of
 * `tokensPerFamily` — a rotated chain, every token but the newest used —
 * written straight into a database the server has already migrated, in one
 * transaction. Ids are uuid-shaped and derived from a counter, so SQLite and
 * PostgreSQL get the same rows.
 */
export interface SeedSize {
  users: number;
  refreshTokens: number;
  tokensPerFamily: number;
}

const DAY_MS = 86_400_000;
const SCOPE = 'notes:read notes:write';
const ROLE = 'user';

const uuid = (kind: number, i: number) => `b${kind.toString(16).padStart(7, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const userId = (i: number) => uuid(1, i);
export const seededUsername = (i: number) => `bench-user-${i}`;
/** Every seeded user's password. */
export const SEEDED_USER_PASSWORD = 'bench-user-password';
const familyId = (i: number) => uuid(2, i);
const tokenId = (i: number) => uuid(3, i);
/** The refresh token whose hash is stored as the i-th seeded one (the newest of each family is live). */
export const seededRefreshToken = (i: number) => `bench-refresh-${i}`;
const tokenHash = (i: number) => createHash('sha256').update(seededRefreshToken(i), 'utf8').digest('hex');

/** The columns each seeded table gets; a NOT NULL column without a default outside these means the schema moved on. */
const COLUMNS = {
  users: ['id', 'username', 'username_normalized', 'password_hash', 'disabled', 'tokens_not_before', 'created_at', 'updated_at'],
  user_roles: ['user_id', 'role_name'],
  refresh_token_families: ['id', 'client_id', 'user_id', 'scope', 'created_at', 'expires_at', 'revoked_at', 'revoked_reason'],
  refresh_tokens: ['id', 'token_hash', 'family_id', 'parent_id', 'created_at', 'expires_at', 'used_at', 'revoked_at'],
} as const;

export async function seed(database: BenchDatabase, size: SeedSize, passwordHash: string, clientId: string): Promise<void> {
  if (database.dialect === 'sqlite') seedSqlite(database.file!, size, passwordHash, clientId);
  else await seedPostgres(database.url, size, passwordHash, clientId);
}

function seedSqlite(file: string, size: SeedSize, passwordHash: string, clientId: string): void {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 10000');
    for (const [table, known] of Object.entries(COLUMNS)) {
      const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; notnull: number; dflt_value: unknown; pk: number }[];
      assertSeedable(
        table,
        known,
        columns.map((c) => ({ name: c.name, required: c.notnull === 1 && c.dflt_value === null })),
      );
    }
    const client = db.prepare('SELECT id FROM clients WHERE client_id = ?').get(clientId) as { id: string } | undefined;
    if (!client) throw new Error(`seed: no client ${clientId}; was the server bootstrapped?`);
    const now = Date.now();
    const insertUser = db.prepare(
      'INSERT INTO users (id, username, username_normalized, password_hash, disabled, tokens_not_before, created_at, updated_at) VALUES (?, ?, ?, ?, 0, NULL, ?, ?)',
    );
    const insertRole = db.prepare('INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)');
    const insertFamily = db.prepare(
      'INSERT INTO refresh_token_families (id, client_id, user_id, scope, created_at, expires_at, revoked_at, revoked_reason) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)',
    );
    const insertToken = db.prepare(
      'INSERT INTO refresh_tokens (id, token_hash, family_id, parent_id, created_at, expires_at, used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
    );
    db.transaction(() => {
      for (let u = 0; u < size.users; u++) {
        const name = seededUsername(u);
        insertUser.run(userId(u), name, name, passwordHash, now, now);
        insertRole.run(userId(u), ROLE);
      }
      const perFamily = size.tokensPerFamily;
      for (let t = 0; t < size.refreshTokens; t++) {
        const f = Math.floor(t / perFamily);
        const position = t % perFamily;
        const last = position === perFamily - 1 || t === size.refreshTokens - 1;
        if (position === 0) insertFamily.run(familyId(f), client.id, userId(f % size.users), SCOPE, now, now + 30 * DAY_MS);
        insertToken.run(tokenId(t), tokenHash(t), familyId(f), position === 0 ? null : tokenId(t - 1), now, now + 14 * DAY_MS, last ? null : now);
      }
    })();
  } finally {
    db.close();
  }
}

async function seedPostgres(url: string, size: SeedSize, passwordHash: string, clientId: string): Promise<void> {
  await withClient(url, async (db) => {
    for (const [table, known] of Object.entries(COLUMNS)) {
      const { rows } = await db.query<{ column_name: string; is_nullable: string; column_default: string | null }>(
        'SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
        [table],
      );
      assertSeedable(
        table,
        known,
        rows.map((c) => ({ name: c.column_name, required: c.is_nullable === 'NO' && c.column_default === null })),
      );
    }
    const client = await db.query<{ id: string }>('SELECT id FROM clients WHERE client_id = $1', [clientId]);
    if (!client.rows[0]) throw new Error(`seed: no client ${clientId}; was the server bootstrapped?`);
    const now = Date.now();
    // The same uuid-shaped ids as uuid() above, computed by the server.
    const id = (kind: number, expr: string) => `'b${kind.toString(16).padStart(7, '0')}-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0')`;
    await db.query('BEGIN');
    try {
      await db.query(
        `INSERT INTO users (id, username, username_normalized, password_hash, disabled, tokens_not_before, created_at, updated_at)
         SELECT ${id(1, 'u')}, 'bench-user-' || u, 'bench-user-' || u, $1::text, false, NULL, $2::bigint, $2::bigint FROM generate_series(0, $3::int - 1) AS u`,
        [passwordHash, now, size.users],
      );
      await db.query(`INSERT INTO user_roles (user_id, role_name) SELECT ${id(1, 'u')}, $1::text FROM generate_series(0, $2::int - 1) AS u`, [
        ROLE,
        size.users,
      ]);
      await db.query(
        `INSERT INTO refresh_token_families (id, client_id, user_id, scope, created_at, expires_at, revoked_at, revoked_reason)
         SELECT ${id(2, 'f')}, $1::text, ${id(1, 'f % $2::int')}, $3::text, $4::bigint, $5::bigint, NULL, NULL FROM generate_series(0, ceil($6::numeric / $7::int)::int - 1) AS f`,
        [client.rows[0].id, size.users, SCOPE, now, now + 30 * DAY_MS, size.refreshTokens, size.tokensPerFamily],
      );
      await db.query(
        `INSERT INTO refresh_tokens (id, token_hash, family_id, parent_id, created_at, expires_at, used_at, revoked_at)
         SELECT ${id(3, 't')}, encode(sha256(convert_to('bench-refresh-' || t, 'UTF8')), 'hex'), ${id(2, 't / $1::int')},
                CASE WHEN t % $1::int = 0 THEN NULL ELSE ${id(3, 't - 1')} END, $2::bigint, $3::bigint,
                CASE WHEN t % $1::int = $1::int - 1 OR t = $4::int - 1 THEN NULL ELSE $2::bigint END, NULL
         FROM generate_series(0, $4::int - 1) AS t`,
        [size.tokensPerFamily, now, now + 14 * DAY_MS, size.refreshTokens],
      );
      await db.query('COMMIT');
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    }
    await db.query('ANALYZE');
  });
}

function assertSeedable(table: string, known: readonly string[], columns: { name: string; required: boolean }[]): void {
  if (columns.length === 0) throw new Error(`seed: table ${table} does not exist`);
  const names = new Set(columns.map((c) => c.name));
  const missing = known.filter((name) => !names.has(name));
  const unknown = columns.filter((c) => c.required && !known.includes(c.name)).map((c) => c.name);
  if (missing.length || unknown.length) {
    throw new Error(
      `seed: the schema of ${table} changed (missing ${missing.join(', ') || 'none'}; new required ${unknown.join(', ') || 'none'}); update bench/lib/seed.ts`,
    );
  }
}
