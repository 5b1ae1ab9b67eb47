import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { basic, clientCredentialsToken, expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';
import { familyOf } from './support/refresh.js';
import { machineClient } from './support/clients.js';

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * Issue 13: access tokens are bound to their login. Each carries `sid`, its
 * refresh-token family; revoking the family (RFC 7009 §2.1) or detecting its
 * reuse makes all of them fail on the next request.
 */
describe('access tokens bound to their login (sid)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const me = (accessToken: string) => t.http().get('/me').set('Authorization', `Bearer ${accessToken}`);
  const refresh = (refreshToken: string) => tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken });
  const introspect = (token: string) => t.http().post('/oauth/introspect').type('form').set('Authorization', basic(FIRST_PARTY)).send({ token });

  /** A login and one refresh: two access tokens of one family, and the live refresh token. */
  async function session() {
    const login = await passwordLogin(t);
    const rotated = await refresh(login.refresh_token!);
    expectStatus(rotated, 200);
    return {
      family: await familyOf(t, login.refresh_token!),
      first: login,
      accessTokens: [login.access_token, rotated.body.access_token as string],
      refreshToken: rotated.body.refresh_token as string,
    };
  }

  it('puts the family id in sid on every access token from a login or a refresh, and none on client credentials', async () => {
    const { family, accessTokens } = await session();
    for (const accessToken of accessTokens) expect(claimsOf(accessToken).sid).toBe(family);
    const machine = await machineClient(t, ['inventory:read']);
    expect(claimsOf((await clientCredentialsToken(t, machine)).access_token)).not.toHaveProperty('sid');
  });

  it('revoking the refresh token makes every access token of its family 401 on the next request, and no other', async () => {
    const mine = await session();
    const other = await session();
    for (const accessToken of mine.accessTokens) expectStatus(await me(accessToken), 200);

    expectStatus(await t.http().post('/oauth/revoke').type('form').set('Authorization', basic(FIRST_PARTY)).send({ token: mine.refreshToken }), 200);
    for (const accessToken of mine.accessTokens) {
      const res = await me(accessToken);
      expectStatus(res, 401);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      expect((await introspect(accessToken)).body).toEqual({ active: false });
    }
    for (const accessToken of other.accessTokens) expectStatus(await me(accessToken), 200);
  });

  it('reuse of a rotated refresh token makes every access token of the family 401 at once', async () => {
    const { first, accessTokens } = await session();
    for (const accessToken of accessTokens) expectStatus(await me(accessToken), 200);
    expect((await refresh(first.refresh_token!)).body.error).toBe('invalid_grant');
    for (const accessToken of accessTokens) expectStatus(await me(accessToken), 401);
  });

  it('an access token whose sid was forged to another login is refused: the signature covers it', async () => {
    const victim = await session();
    const [header, , signature] = victim.accessTokens[0].split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claimsOf(victim.accessTokens[0]), sid: 'another' })).toString('base64url')}.${signature}`;
    expectStatus(await me(forged), 401);
  });
});
