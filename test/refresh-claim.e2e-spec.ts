import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefreshTokenFamily } from '../src/auth/tokens/refresh-token-family.entity.js';
import { RefreshTokenService } from '../src/auth/tokens/refresh-token.service.js';
import { RefreshTokenStore } from '../src/auth/tokens/refresh-token.store.js';
import { OAuthError } from '../src/common/http/http-errors.js';
import { TransactionService } from '../src/database/transaction.service.js';
import { startApp, type TestApp } from './support/app.js';
import { adminAuth, passwordLogin } from './support/oauth.js';
import { familyOf, liveTokenCount } from './support/refresh.js';

/**
 * The claim a rotation makes after reading and checking the token: it must
 * lose whenever the token was used, or its family revoked, in between.
 */
describe('claiming a refresh token for rotation', () => {
  let t: TestApp;
  let store: RefreshTokenStore;
  beforeAll(async () => {
    t = await startApp();
    store = t.app.get(RefreshTokenStore);
  });
  afterAll(() => t.close());

  /** Reads the token as a rotation does; the returned function makes the claim. */
  const prepareClaim = async (refreshToken: string) => {
    const token = await store.find(refreshToken);
    return async () => (await store.claim(token!, refreshToken, Date.now())) !== null;
  };
  const claim = async (refreshToken: string) => (await prepareClaim(refreshToken))();
  /** Claims read first and then submitted in one go, so they all race for the same rows. */
  const claimTogether = async (refreshTokens: string[]) => {
    const submits = await Promise.all(refreshTokens.map(prepareClaim));
    return Promise.all(submits.map((submit) => submit()));
  };

  it('wins once, and only once', async () => {
    const { refresh_token } = await passwordLogin(t);
    expect(await claim(refresh_token!)).toBe(true);
    expect(await claim(refresh_token!)).toBe(false);
    expect(await liveTokenCount(t, await familyOf(t, refresh_token!))).toBe(1);
  });

  it('lets exactly one of several claims of one token win when they arrive together', async () => {
    const { refresh_token } = await passwordLogin(t);
    const outcomes = await claimTogether(Array.from({ length: 5 }, () => refresh_token!));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await liveTokenCount(t, await familyOf(t, refresh_token!))).toBe(1);
  });

  it('answers each of several claims of different tokens for itself', async () => {
    const logins = await Promise.all(Array.from({ length: 4 }, () => passwordLogin(t)));
    const used = logins[1].refresh_token!;
    expect(await claim(used)).toBe(true);
    const outcomes = await claimTogether(logins.map((login) => login.refresh_token!));
    expect(outcomes).toEqual([true, false, true, true]);
  });

  it('loses when the family was revoked after the token was read', async () => {
    const { refresh_token } = await passwordLogin(t);
    const family = await familyOf(t, refresh_token!);
    await t.app.get(TransactionService).run((m) => m.update(RefreshTokenFamily, { id: family }, { revokedAt: new Date(), revokedReason: 'reuse' }));
    expect(await claim(refresh_token!)).toBe(false);
    const rows: { n: number | string }[] = await t.app
      .get(DataSource)
      .query(`SELECT COUNT(*) AS n FROM refresh_tokens WHERE family_id = ${t.database.dialect === 'postgres' ? '$1' : '?'}`, [family]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('refuses a token whose family was revoked between its read and its claim as revoked, not as reuse', async () => {
    const { refresh_token } = await passwordLogin(t);
    const family = await familyOf(t, refresh_token!);
    const [{ client_id: clientId }] = await t.app
      .get(DataSource)
      .query<{ client_id: string }[]>(`SELECT client_id FROM refresh_token_families WHERE id = ${t.database.dialect === 'postgres' ? '$1' : '?'}`, [family]);
    const rotation = t.app.get(RefreshTokenService).rotate(refresh_token!, {
      clientId: clientId,
      ip: null,
      // Runs after the token was read and before it is claimed: a concurrent revocation lands here.
      assertUsable: () =>
        t.app
          .get(TransactionService)
          .run((m) => m.update(RefreshTokenFamily, { id: family }, { revokedAt: new Date(), revokedReason: 'revoked' }))
          .then(() => undefined),
    });
    await expect(rotation).rejects.toThrow(OAuthError);
    await expect(rotation).rejects.toMatchObject({ description: 'The refresh token has been revoked' });
    const audit = await t
      .http()
      .get('/admin/audit?type=token.refresh_reuse')
      .set('Authorization', await adminAuth(t))
      .expect(200);
    expect(audit.body.items.filter((event: { details: { familyId?: string } }) => event.details.familyId === family)).toEqual([]);
  });
});
