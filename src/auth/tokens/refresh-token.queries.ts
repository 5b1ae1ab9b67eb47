import type { DataSource, EntityManager } from 'typeorm';
import type { TransactionService } from '../../database/transaction.service.js';
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

/**
 * The statements of an ordinary rotation, as plain SQL: a refresh is a token
 * endpoint's most frequent write, and TypeORM's query builder and entity
 * mapping cost several times what SQLite takes to run them. Fixed SQL texts
 * also stay in the driver's prepared-statement cache. Everything rarer (grace
 * retries, reuse, revocation) goes through TypeORM as usual.
 */
export class RotationQueries {
  private readonly findSql: string;
  private readonly claimSql: string;
  private readonly insertSql: string;
  /** PostgreSQL: claim and insert in one statement, so one round trip and no explicit transaction. */
  private readonly claimAndInsertSql: string;

  constructor(private readonly postgres: boolean) {
    const p = (n: number) => (postgres ? `$${n}` : '?');
    this.findSql =
      'SELECT t.id, t.used_at, t.revoked_at, t.expires_at, t.created_at, t.parent_id, ' +
      'f.id AS f_id, f.client_id AS f_client_id, f.user_id AS f_user_id, f.scope AS f_scope, f.created_at AS f_created_at, ' +
      'f.expires_at AS f_expires_at, f.revoked_at AS f_revoked_at, f.revoked_reason AS f_revoked_reason ' +
      `FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id WHERE t.token_hash = ${p(1)}`;
    // Unused, unrevoked, and its family not revoked meanwhile (reuse detected by a concurrent request).
    const claimable = (id: string, family: string) =>
      `id = ${id} AND used_at IS NULL AND revoked_at IS NULL ` +
      `AND EXISTS (SELECT 1 FROM refresh_token_families f WHERE f.id = ${family} AND f.revoked_at IS NULL)`;
    this.claimSql = `UPDATE refresh_tokens SET used_at = ${p(1)} WHERE ${claimable(p(2), p(3))}`;
    this.insertSql =
      'INSERT INTO refresh_tokens (id, token_hash, family_id, parent_id, created_at, expires_at, used_at, revoked_at) ' +
      `VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, NULL, NULL)`;
    this.claimAndInsertSql =
      `WITH claimed AS (UPDATE refresh_tokens SET used_at = $1 WHERE ${claimable('$2', '$3')} RETURNING id) ` +
      'INSERT INTO refresh_tokens (id, token_hash, family_id, parent_id, created_at, expires_at, used_at, revoked_at) ' +
      'SELECT $4, $5, $3, claimed.id, $6, $7, NULL, NULL FROM claimed';
  }

  /** The token with its family, or null. */
  async find(m: EntityManager, tokenHash: string): Promise<(RefreshToken & { family: RefreshTokenFamily }) | null> {
    const rows = (await m.query(this.findSql, [tokenHash])) as Row[];
    const row = rows[0];
    if (!row) return null;
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

  /**
   * Marks `id` used and inserts its successor, atomically, only if nobody used
   * it and its family was not revoked since it was read: true when this call won.
   */
  async claimAndInsert(dataSource: DataSource, transactions: TransactionService, id: string, successor: TokenRow, now: number): Promise<boolean> {
    if (this.postgres) {
      const runner = dataSource.createQueryRunner();
      try {
        const result = await runner.query(
          this.claimAndInsertSql,
          [String(now), id, successor.familyId, successor.id, successor.tokenHash, String(successor.createdAt), String(successor.expiresAt)],
          true,
        );
        return result.affected === 1;
      } finally {
        await runner.release();
      }
    }
    return transactions.run(async (m) => {
      const claimed = await m.queryRunner!.query(this.claimSql, [String(now), id, successor.familyId], true);
      if (claimed.affected !== 1) return false;
      await this.insert(m, successor);
      return true;
    });
  }

  async insert(m: EntityManager, token: TokenRow): Promise<void> {
    await m.query(this.insertSql, [token.id, token.tokenHash, token.familyId, token.parentId, String(token.createdAt), String(token.expiresAt)]);
  }
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
