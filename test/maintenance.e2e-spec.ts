import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { RefreshTokenFamily } from '../src/auth/tokens/refresh-token-family.entity.js';
import { RefreshToken } from '../src/auth/tokens/refresh-token.entity.js';
import { RevokedAccessToken } from '../src/auth/tokens/revoked-access-token.entity.js';
import { TransactionService } from '../src/database/transaction.service.js';
import { AccessEventRow } from '../src/events/access-event.entity.js';
import { MaintenanceService } from '../src/maintenance/maintenance.service.js';
import { startApp, type TestApp } from './support/app.js';
import { expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';
import { familyOf } from './support/refresh.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('scheduled pruning', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { AUDIT_RETENTION_DAYS: '30' } });
  });
  afterAll(() => t.close());

  it('removes expired refresh tokens, stale revocations, old audit events and nothing live', async () => {
    const ended = await passwordLogin(t);
    const live = await passwordLogin(t);
    const now = Date.now();
    const familyId = await familyOf(t, ended.refresh_token!);
    await t.app.get(TransactionService).run(async (m) => {
      // A login whose family ended two days ago.
      await m.update(RefreshTokenFamily, { id: familyId }, { expiresAt: new Date(now - 2 * DAY) });
      await m.update(RefreshToken, { familyId }, { expiresAt: new Date(now - 2 * DAY) });
      await m.insert(RevokedAccessToken, [
        { jti: randomUUID(), expiresAt: new Date(now - 1000), revokedAt: new Date(now - 2000) },
        { jti: 'still-relevant', expiresAt: new Date(now + 60_000), revokedAt: new Date(now) },
      ]);
      await m.insert(AuditEvent, [
        { type: 'test.ancient', details: {}, createdAt: new Date(now - 40 * DAY) },
        { type: 'test.recent', details: {}, createdAt: new Date(now - 5 * DAY) },
      ]);
      // Past the retention (twice ACCESS_TOKEN_TTL, at least an hour), all three; the newest stays
      // all the same, because the next position is counted from it.
      await m.insert(
        AccessEventRow,
        [1, 2, 3].map((id) => ({
          id: String(id),
          type: 'role.changed' as const,
          data: { type: 'role.changed' as const, role: 'user' },
          createdAt: new Date(now - 3 * HOUR),
        })),
      );
    });

    const report = await t.app.get(MaintenanceService).prune();
    expect(report).toMatchObject({ refreshTokens: 2, revokedAccessTokens: 1, auditEvents: 1, accessEvents: 2 });

    const ds = t.app.get(DataSource);
    expect(await ds.getRepository(RefreshTokenFamily).existsBy({ id: familyId })).toBe(false);
    expect(await ds.getRepository(RevokedAccessToken).existsBy({ jti: 'still-relevant' })).toBe(true);
    expect(await ds.getRepository(AuditEvent).existsBy({ type: 'test.recent' })).toBe(true);
    expect(await ds.getRepository(AuditEvent).existsBy({ type: 'test.ancient' })).toBe(false);
    expect((await ds.getRepository(AccessEventRow).find()).map((row) => Number(row.id))).toEqual([3]);
    expectStatus(await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: live.refresh_token! }), 200);
    expect((await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: ended.refresh_token! })).body.error).toBe('invalid_grant');
  });
});
