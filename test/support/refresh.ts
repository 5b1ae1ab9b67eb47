import { DataSource } from 'typeorm';
import { RefreshToken } from '../../src/auth/tokens/refresh-token.entity.js';
import { hashRefreshToken } from '../../src/auth/tokens/refresh-token.store.js';
import type { TestApp } from './app.js';

/** The family a refresh token belongs to, read from the database. */
export async function familyOf(t: TestApp, refreshToken: string): Promise<string> {
  const row = await t.app
    .get(DataSource)
    .getRepository(RefreshToken)
    .findOneOrFail({ where: { tokenHash: hashRefreshToken(refreshToken) } });
  return row.familyId;
}

/** Tokens of the family that a client could still use: unused, unrevoked, in a live family. */
export async function liveTokenCount(t: TestApp, familyId: string): Promise<number> {
  const rows: { n: number | string }[] = await t.app.get(DataSource).query(
    `SELECT COUNT(*) AS n FROM refresh_tokens rt JOIN refresh_token_families f ON f.id = rt.family_id
     WHERE rt.family_id = ${t.database.dialect === 'postgres' ? '$1' : '?'} AND rt.used_at IS NULL AND rt.revoked_at IS NULL AND f.revoked_at IS NULL`,
    [familyId],
  );
  return Number(rows[0].n);
}
