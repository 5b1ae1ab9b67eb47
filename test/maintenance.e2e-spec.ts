import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { AuthorizationCode } from '../src/auth/authorize/authorization-code.entity.js';
import { RefreshTokenFamily } from '../src/auth/tokens/refresh-token-family.entity.js';
import { RefreshToken } from '../src/auth/tokens/refresh-token.entity.js';
import { RevokedAccessToken } from '../src/auth/tokens/revoked-access-token.entity.js';
import { TransactionService } from '../src/database/transaction.service.js';
import { AccessEventRow } from '../src/events/access-event.entity.js';
import { MaintenanceService } from '../src/maintenance/maintenance.service.js';
import { SignInSession } from '../src/signin/sessions/signin-session.entity.js';
import { User } from '../src/users/user.entity.js';
import { Client } from '../src/clients/client.entity.js';
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

  it('removes expired authorization codes and sign-in sessions a day past their end, and keeps live ones', async () => {
    const ds = t.app.get(DataSource);
    const user = (await ds.getRepository(User).findOneByOrFail({ username: 'admin' })).id;
    const client = (await ds.getRepository(Client).findOneByOrFail({ firstParty: true })).id;
    const now = Date.now();
    const session = (id: string, expiresAt: number) => ({
      id,
      tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      userId: user,
      createdAt: new Date(expiresAt - DAY),
      lastSeenAt: new Date(expiresAt - DAY),
      expiresAt: new Date(expiresAt),
      endedAt: null,
    });
    const code = (id: string, expiresAt: number) => ({
      id,
      codeHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      clientId: client,
      userId: user,
      sessionId: 'live-session',
      redirectUri: 'https://app.example/cb',
      codeChallenge: 'x'.repeat(43),
      scope: 'notes:read',
      nonce: null,
      authTime: new Date(now),
      createdAt: new Date(expiresAt - 60_000),
      expiresAt: new Date(expiresAt),
      usedAt: null,
      familyId: null,
      accessTokenJti: null,
      accessTokenExpiresAt: null,
    });
    await t.app.get(TransactionService).run(async (m) => {
      await m.insert(SignInSession, [session('old-session', now - 2 * DAY), session('live-session', now + DAY)]);
      await m.insert(AuthorizationCode, [code('old-code', now - 1000), code('live-code', now + 60_000)]);
    });

    const report = await t.app.get(MaintenanceService).prune();
    expect(report).toMatchObject({ authorizationCodes: 1, signInSessions: 1 });
    expect(await ds.getRepository(SignInSession).existsBy({ id: 'old-session' })).toBe(false);
    expect(await ds.getRepository(SignInSession).existsBy({ id: 'live-session' })).toBe(true);
    expect(await ds.getRepository(AuthorizationCode).existsBy({ id: 'old-code' })).toBe(false);
    expect(await ds.getRepository(AuthorizationCode).existsBy({ id: 'live-code' })).toBe(true);
  });
});
