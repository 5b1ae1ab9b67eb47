import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeySetService } from '../src/auth/keys/key-set.service.js';
import { SigningKey } from '../src/auth/keys/signing-key.entity.js';
import { signJws } from '../src/auth/tokens/jws.js';
import { TransactionService } from '../src/database/transaction.service.js';
import { FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { expectStatus, passwordLogin } from './support/oauth.js';

/**
 * Issue 13: the guard forgets what the key set forgets, and refuses what
 * Gatehouse never issues. Claims verified once used to be kept per token with
 * only `exp` re-checked: a token forged with a leaked key, used once, stayed
 * valid on that instance after the key was gone (introspection said inactive).
 */
describe('the guard and the key set', () => {
  let t: TestApp;
  let subject: string;
  beforeAll(async () => {
    t = await startApp();
    subject = JSON.parse(Buffer.from((await passwordLogin(t)).access_token.split('.')[1], 'base64url').toString()).sub as string;
  });
  afterAll(() => t.close());

  const me = (token: string) => t.http().get('/me').set('Authorization', `Bearer ${token}`);

  /** Signed with the active key, as a holder of a leaked key would: only the times are chosen. */
  async function signed(times: { iat: number; exp: number }): Promise<{ token: string; kid: string }> {
    const key = await t.app.get(KeySetService).activeKey();
    const claims = {
      iss: t.config.issuer,
      aud: t.config.audience,
      sub: subject,
      client_id: FIRST_PARTY.clientId,
      scope: 'notes:read',
      jti: randomUUID(),
      ...times,
    };
    return { token: signJws(key, 'at+jwt', claims), kid: key.kid };
  }
  const now = () => Math.floor(Date.now() / 1000);

  it('refuses a token once the key that signed it has left the key set, though it was accepted before', async () => {
    const { token, kid } = await signed({ iat: now(), exp: now() + 300 });
    expectStatus(await me(token), 200);
    const keys = t.app.get(KeySetService);
    await keys.rotate(null);
    // Retired, still published (its tokens may still be live): accepted.
    expectStatus(await me(token), 200);
    // Its publication over (as when every token it signed has expired, or it was removed).
    await t.app.get(TransactionService).run((m) => m.update(SigningKey, { kid }, { retiredAt: new Date(0) }));
    await keys.reload();
    const res = await me(token);
    expectStatus(res, 401);
    expect(res.body.error).toBe('invalid_token');
  });

  it('refuses a token that lives longer than ACCESS_TOKEN_TTL, and one issued in the future', async () => {
    const ttl = t.config.accessTokenTtl;
    expectStatus(await me((await signed({ iat: now(), exp: now() + ttl })).token), 200);
    const longLived = await me((await signed({ iat: now(), exp: now() + ttl + 3600 })).token);
    expectStatus(longLived, 401);
    expect(longLived.body.error_description ?? longLived.body.message).toMatch(/lives longer/);
    const future = await me((await signed({ iat: now() + 3600, exp: now() + 3600 + ttl })).token);
    expectStatus(future, 401);
  });

  it('introspection agrees with the guard about a token that lives too long', async () => {
    const { token } = await signed({ iat: now() - 60, exp: now() + 86_400 });
    const res = await t
      .http()
      .post('/oauth/introspect')
      .type('form')
      .set('Authorization', `Basic ${Buffer.from(`${FIRST_PARTY.clientId}:${FIRST_PARTY.clientSecret}`).toString('base64')}`)
      .send({ token });
    expect(res.body).toEqual({ active: false });
  });
});
