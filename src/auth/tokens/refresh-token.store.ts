import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { TransactionService, WRITER } from '../../database/transaction.service.js';
import { RefreshTokenFamily } from './refresh-token-family.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { SuccessorKey } from './successor-key.js';

export const hashRefreshToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** A stored token with its family, as last committed. */
export type StoredToken = RefreshToken & { family: RefreshTokenFamily };

/**
 * The one definition of a refresh token a client may still use: neither used
 * nor revoked, its family not revoked, and neither lifetime over.
 */
export function isLive(token: StoredToken, now: number): boolean {
  return !token.usedAt && !token.revokedAt && !token.family.revokedAt && token.expiresAt.getTime() > now && token.family.expiresAt.getTime() > now;
}

const FIND =
  'SELECT t.id, t.used_at, t.revoked_at, t.expires_at, t.created_at, t.parent_id, ' +
  'f.id AS f_id, f.client_id AS f_client_id, f.user_id AS f_user_id, f.scope AS f_scope, f.created_at AS f_created_at, ' +
  'f.expires_at AS f_expires_at, f.revoked_at AS f_revoked_at, f.revoked_reason AS f_revoked_reason ' +
  'FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id WHERE t.token_hash = ';

/**
 * A claim in one statement: marks the token used only if nobody did and its
 * family was not revoked meanwhile, and inserts the successor only if that
 * update took. One statement is one transaction on one connection: a claim
 * never holds a connection while it waits for another, whatever the load.
 * SQLite cannot put an UPDATE in a WITH, so there it is the two statements of
 * one unit of work (its writes are one queue anyway).
 */
const claimable = (p: (n: number) => string) =>
  `t.id = ${p(2)} AND t.used_at IS NULL AND t.revoked_at IS NULL ` +
  `AND EXISTS (SELECT 1 FROM refresh_token_families f WHERE f.id = ${p(3)} AND f.revoked_at IS NULL)`;
const INSERT = 'INSERT INTO refresh_tokens (id, token_hash, family_id, parent_id, created_at, expires_at, used_at, revoked_at) ';
const POSTGRES_CLAIM =
  `WITH claimed AS (UPDATE refresh_tokens t SET used_at = $1::bigint WHERE ${claimable((n) => `$${n}`)} RETURNING t.id) ` +
  `${INSERT}SELECT $4::varchar, $5::varchar, $3::varchar, claimed.id, $6::bigint, $7::bigint, NULL, NULL FROM claimed RETURNING id`;
const SQLITE_CLAIM = `UPDATE refresh_tokens AS t SET used_at = ? WHERE ${claimable(() => '?')} RETURNING id`;
const SQLITE_INSERT = `${INSERT}VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)`;

/**
 * The one owner of refresh-token rows: how a token is found, claimed for
 * rotation, and how a family starts and ends. Reads go to the committed state
 * (the reader), writes are single units of work; nothing here holds a pooled
 * connection while it asks for another.
 */
@Injectable()
export class RefreshTokenStore {
  private readonly postgres: boolean;

  constructor(
    @InjectDataSource() private readonly reader: DataSource,
    @InjectDataSource(WRITER) private readonly writer: DataSource,
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly transactions: TransactionService,
    private readonly successors: SuccessorKey,
  ) {
    this.postgres = writer.options.type === 'postgres';
  }

  /** Starts a family (a login) inside the caller's unit of work; returns the family and its first token. */
  async startFamily(
    m: EntityManager,
    input: { clientId: string; userId: string; scope: string; id?: string },
  ): Promise<{ family: RefreshTokenFamily; refreshToken: string }> {
    const now = Date.now();
    const family = m.create(RefreshTokenFamily, {
      // Given when an access token carrying it as `sid` is signed before the family is written.
      id: input.id ?? randomUUID(),
      clientId: input.clientId,
      userId: input.userId,
      scope: input.scope,
      createdAt: new Date(now),
      expiresAt: new Date(now + this.config.refreshTokenTtl * 1000),
      revokedAt: null,
      revokedReason: null,
    });
    await m.insert(RefreshTokenFamily, family);
    // 256 bits from the CSPRNG: unguessable, and only its hash is stored.
    const refreshToken = randomBytes(32).toString('base64url');
    await m.query(this.postgres ? `${INSERT}VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)` : SQLITE_INSERT, this.row(family, refreshToken, null, now));
    return { family, refreshToken };
  }

  /** The token `presented` with its family, as committed; null when there is no such token. */
  async find(presented: string): Promise<StoredToken | null> {
    const hash = hashRefreshToken(presented);
    const rows = await this.reader.query<Row[]>(`${FIND}${this.postgres ? '$1' : '?'}`, [hash]);
    return rows.length ? toToken(rows[0], hash) : null;
  }

  /** The value `presented` rotates into: the same on every instance and every attempt (see SuccessorKey). */
  successorOf(presented: string): Promise<string> {
    return this.successors.successorOf(presented);
  }

  /**
   * Marks `token` used and stores its successor, atomically, only if nobody
   * used it and its family was not revoked since it was read. Returns the
   * successor's value, or null when this claim lost.
   */
  async claim(token: StoredToken, presented: string, now: number): Promise<string | null> {
    const successor = await this.successorOf(presented);
    const [id, tokenHash, familyId, parentId, createdAt, expiresAt] = this.row(token.family, successor, token.id, now);
    if (this.postgres) {
      const inserted = await this.writer.query<unknown[]>(POSTGRES_CLAIM, [String(now), parentId, familyId, id, tokenHash, createdAt, expiresAt]);
      return inserted.length === 1 ? successor : null;
    }
    const won = await this.transactions.run(async (m) => {
      const claimed = await m.query<unknown[]>(SQLITE_CLAIM, [String(now), parentId, familyId]);
      if (claimed.length !== 1) return false;
      await m.query(SQLITE_INSERT, [id, tokenHash, familyId, parentId, createdAt, expiresAt]);
      return true;
    });
    return won ? successor : null;
  }

  /** Marks a family revoked inside the caller's unit of work; false if it already was. */
  async revokeFamily(m: EntityManager, familyId: string, reason: string): Promise<boolean> {
    const result = await m
      .createQueryBuilder()
      .update(RefreshTokenFamily)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where('id = :familyId AND revoked_at IS NULL', { familyId })
      .execute();
    return result.affected === 1;
  }

  /** Column values of a new token of `family`, in INSERT order: its idle lifetime never outlives the family. */
  private row(family: RefreshTokenFamily, value: string, parentId: string | null, now: number) {
    const expiresAt = Math.min(now + this.config.refreshTokenIdleTtl * 1000, family.expiresAt.getTime());
    return [randomUUID(), hashRefreshToken(value), family.id, parentId, String(now), String(expiresAt)] as const;
  }
}

function toToken(row: Row, tokenHash: string): StoredToken {
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
