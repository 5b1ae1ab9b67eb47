import type { Statement } from 'better-sqlite3';
import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { BatchWindow } from '../../database/batch-window.js';
import { nativeSqlite, type TransactionService } from '../../database/transaction.service.js';
import { RefreshTokenFamily } from './refresh-token-family.entity.js';
import { RefreshToken } from './refresh-token.entity.js';

export interface TokenRow {
  id: string;
  tokenHash: string;
  familyId: string;
  parentId: string | null;
  createdAt: number;
  expiresAt: number;
}

/** A claim of token `id` (used at `now`) together with its successor. */
interface Claim {
  id: string;
  successor: TokenRow;
  now: number;
}

const FIND_COLUMNS =
  'SELECT t.id, t.used_at, t.revoked_at, t.expires_at, t.created_at, t.parent_id, ' +
  'f.id AS f_id, f.client_id AS f_client_id, f.user_id AS f_user_id, f.scope AS f_scope, f.created_at AS f_created_at, ' +
  'f.expires_at AS f_expires_at, f.revoked_at AS f_revoked_at, f.revoked_reason AS f_revoked_reason ' +
  'FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id WHERE t.token_hash = ';
const INSERT_COLUMNS = 'INSERT INTO refresh_tokens (id, token_hash, family_id, parent_id, created_at, expires_at, used_at, revoked_at) ';
/** Unused, unrevoked, and its family not revoked meanwhile (reuse detected by a concurrent request). */
const claimable = (id: string, family: string) =>
  `${id} AND t.used_at IS NULL AND t.revoked_at IS NULL ` +
  `AND EXISTS (SELECT 1 FROM refresh_token_families f WHERE f.id = ${family} AND f.revoked_at IS NULL)`;

const SQLITE = {
  find: `${FIND_COLUMNS}?`,
  claim: `UPDATE refresh_tokens AS t SET used_at = ? WHERE t.id = ${claimable('?', '?')}`,
  insert: `${INSERT_COLUMNS}VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)`,
};

/**
 * PostgreSQL: every claim of a batch, and their successors, in one statement,
 * so one round trip and one commit. A token claimed twice in one batch is
 * claimed once (DISTINCT ON), and only the successor of the claim that won is
 * inserted; the statement returns the ids of the successors it inserted.
 */
const POSTGRES_CLAIM_BATCH =
  'WITH input AS (SELECT DISTINCT ON (claim_id) * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], ' +
  '$5::bigint[], $6::bigint[], $7::bigint[]) AS i(claim_id, family_id, id, token_hash, used_at, created_at, expires_at) ORDER BY claim_id), ' +
  `claimed AS (UPDATE refresh_tokens t SET used_at = i.used_at FROM input i WHERE t.id = ${claimable('i.claim_id', 'i.family_id')} ` +
  'RETURNING t.id AS claim_id) ' +
  `${INSERT_COLUMNS}SELECT i.id, i.token_hash, i.family_id, i.claim_id, i.created_at, i.expires_at, NULL, NULL ` +
  'FROM input i JOIN claimed c ON c.claim_id = i.claim_id RETURNING id';

/**
 * The statements of an ordinary rotation, as plain SQL on the drivers
 * themselves: a refresh is a token endpoint's most frequent write, and
 * TypeORM's query building and entity mapping cost several times what the
 * database takes to run them. The statements are prepared once, and the
 * claims of requests that arrive together share one commit (BatchWindow).
 * Everything rarer (grace retries, reuse, revocation) goes through TypeORM.
 */
export class RotationQueries {
  private readonly postgres: boolean;
  /** PostgreSQL's claims wait here for their batch; SQLite's join the write queue's group commit. */
  private readonly claims: BatchWindow<Claim, boolean>;
  /** `find` reads on the read-only connection; claims are written on the writer's. */
  private sqlite?: { find: Statement };
  private writes?: { claim: Statement; insert: Statement };

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionService,
  ) {
    this.postgres = dataSource.options.type === 'postgres';
    this.claims = new BatchWindow((batch) => this.claimOnPostgres(batch));
  }

  /** The token with its family, or null. */
  async find(tokenHash: string): Promise<(RefreshToken & { family: RefreshTokenFamily }) | null> {
    const row = this.postgres
      ? (await this.pool().query<Row>({ name: 'gatehouse-refresh-find', text: `${FIND_COLUMNS}$1`, values: [tokenHash] })).rows[0]
      : (this.statements().find.get(tokenHash) as Row | undefined);
    return row ? toToken(row, tokenHash) : null;
  }

  /**
   * Marks `id` used and inserts its successor, atomically, only if nobody used
   * it and its family was not revoked since it was read: true when this call won.
   */
  claimAndInsert(id: string, successor: TokenRow, now: number): Promise<boolean> {
    if (this.postgres) return this.claims.submit({ id, successor, now });
    return this.transactions.runNative((db) => {
      this.writes ??= { claim: db.prepare(SQLITE.claim), insert: db.prepare(SQLITE.insert) };
      if (this.writes.claim.run(String(now), id, successor.familyId).changes !== 1) return false;
      this.writes.insert.run(...insertParams(successor));
      return true;
    });
  }

  /** Inserts a token inside the caller's TypeORM transaction. */
  async insert(m: EntityManager, token: TokenRow): Promise<void> {
    await m.query(this.postgres ? `${INSERT_COLUMNS}VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)` : SQLITE.insert, insertParams(token));
  }

  private async claimOnPostgres(batch: Claim[]): Promise<Array<PromiseSettledResult<boolean>>> {
    const column = <T>(pick: (claim: Claim) => T) => batch.map(pick);
    const values = [
      column((c) => c.id),
      column((c) => c.successor.familyId),
      column((c) => c.successor.id),
      column((c) => c.successor.tokenHash),
      column((c) => String(c.now)),
      column((c) => String(c.successor.createdAt)),
      column((c) => String(c.successor.expiresAt)),
    ];
    const result = await this.pool().query<{ id: string }>({ name: 'gatehouse-refresh-claim-batch', text: POSTGRES_CLAIM_BATCH, values });
    const inserted = new Set(result.rows.map((row) => row.id));
    return batch.map((claim) => ({ status: 'fulfilled', value: inserted.has(claim.successor.id) }));
  }

  private statements() {
    if (!this.sqlite) {
      const db = nativeSqlite(this.dataSource);
      this.sqlite = { find: db.prepare(SQLITE.find) };
    }
    return this.sqlite;
  }

  private pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}

const insertParams = (token: TokenRow) => [token.id, token.tokenHash, token.familyId, token.parentId, String(token.createdAt), String(token.expiresAt)];

function toToken(row: Row, tokenHash: string): RefreshToken & { family: RefreshTokenFamily } {
  const family = Object.assign(new RefreshTokenFamily(), {
    id: row.f_id,
    clientId: row.f_client_id,
    userId: row.f_user_id,
    scope: row.f_scope,
    createdAt: instant(row.f_created_at)!,
    expiresAt: instant(row.f_expires_at)!,
    revokedAt: instant(row.f_revoked_at),
    revokedReason: row.f_revoked_reason,
  });
  return Object.assign(new RefreshToken(), {
    id: row.id,
    tokenHash,
    familyId: row.f_id,
    parentId: row.parent_id,
    createdAt: instant(row.created_at)!,
    expiresAt: instant(row.expires_at)!,
    usedAt: instant(row.used_at),
    revokedAt: instant(row.revoked_at),
    family,
  });
}

interface Row {
  id: string;
  used_at: string | number | null;
  revoked_at: string | number | null;
  expires_at: string | number;
  created_at: string | number;
  parent_id: string | null;
  f_id: string;
  f_client_id: string;
  f_user_id: string;
  f_scope: string;
  f_created_at: string | number;
  f_expires_at: string | number;
  f_revoked_at: string | number | null;
  f_revoked_reason: string | null;
}

/** BIGINT epoch milliseconds (a string from pg) as a Date. */
const instant = (value: string | number | null): Date | null => (value === null ? null : new Date(Number(value)));
