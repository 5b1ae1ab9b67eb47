import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeySetService } from '../../../src/auth/keys/key-set.service.js';
import { createUser } from '../../../test/support/fixtures.js';
import { adminAuth, clientCredentialsToken, passwordLogin } from '../../../test/support/oauth.js';
import { familyOf } from '../../../test/support/refresh.js';
import { type FakeEvents, startFakeEvents } from './support/fake-events.js';
import {
  accessTokenClaims,
  FIRST_PARTY,
  resourceOptions,
  signedByGatehouse as signGatehouse,
  startGatehouse,
  type Gatehouse,
  watchIntrospection,
} from './support/gatehouse.js';
import { type Adapter, applied, challengeOf, expectInvalidToken, type ResourceApp, startResourceApp } from './support/resource-app.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/**
 * The library verifies Gatehouse tokens locally, on Fastify and on Express alike: it accepts what
 * Gatehouse issued, refuses every forgery and every wrong claim, and answers exactly as Gatehouse's
 * own guard does.
 */
describe.each<Adapter>(['fastify', 'express'])('resource-server library on %s: local verification and RFC 6750 answers', (adapter) => {
  let t: Gatehouse;
  let events: FakeEvents;
  let resource: ResourceApp;
  let kid: string;

  const gatehouse = (path: string, token?: string, header?: string) => {
    const authorization = header ?? (token === undefined ? undefined : `Bearer ${token}`);
    return fetch(`${t.baseUrl}${path}`, { headers: authorization === undefined ? {} : { Authorization: authorization } });
  };

  const claims = (overrides: JWTPayload = {}) => accessTokenClaims(t, overrides);
  const signedByGatehouse = (overrides: JWTPayload = {}, header: Record<string, unknown> = {}) => signGatehouse(t, overrides, header);

  beforeAll(async () => {
    t = await startGatehouse();
    events = await startFakeEvents();
    resource = await startResourceApp(resourceOptions(t, events, { jwksCooldownSeconds: 1 }), adapter);
    kid = (await t.app.get(KeySetService).activeKey()).kid;
  });
  afterAll(async () => {
    await resource.close();
    await events.close();
    await t.close();
  });

  it("accepts a user's token and hands the route its principal", async () => {
    const user = await createUser(t, ['user']);
    const { access_token, refresh_token } = await passwordLogin(t, user, { scope: 'notes:read' });
    const res = await resource.call('/whoami', access_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      kind: 'user',
      subject: user.id,
      clientId: FIRST_PARTY.clientId,
      username: user.username,
      scope: ['notes:read'],
      permissions: ['notes:read'],
      // The login it belongs to: Gatehouse puts the refresh-token family in sid.
      token: { jti: expect.any(String), sid: await familyOf(t, refresh_token!) },
    });
    expect((await resource.call('/notes', access_token)).status).toBe(200);
  });

  it("accepts a client-credentials token as the client's own principal", async () => {
    const { access_token } = await clientCredentialsToken(t, t.service, 'inventory:read');
    const res = await resource.call('/stock', access_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ served_to: t.service.clientId });
  });

  it('opens @Public() routes to requests without a token', async () => {
    const res = await resource.call('/open');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ open: true });
  });

  it('answers a missing token exactly as Gatehouse does: 401 with a bare challenge', async () => {
    const ours = await challengeOf(await resource.call('/notes'));
    expect(ours).toEqual(await challengeOf(await gatehouse('/notes')));
    expect(ours).toMatchObject({ status: 401, challenge: 'Bearer realm="gatehouse"' });
  });

  it.each([['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer two tokens'], ['Bearer ä']])(
    'answers the Authorization header %j exactly as Gatehouse does',
    async (header) => {
      const ours = await challengeOf(await resource.call('/notes', undefined, header));
      expect(ours).toEqual(await challengeOf(await gatehouse('/notes', undefined, header)));
      expect(ours.status).toBe(401);
    },
  );

  it('answers a scope that lacks the permission exactly as Gatehouse does: 403 insufficient_scope naming it', async () => {
    const user = await createUser(t, ['user']);
    const { access_token } = await passwordLogin(t, user, { scope: 'notes:read' });
    const ours = await challengeOf(await resource.call('/reports', access_token));
    expect(ours).toEqual(await challengeOf(await gatehouse('/reports/summary', access_token)));
    expect(ours).toMatchObject({ status: 403, challenge: 'Bearer realm="gatehouse", error="insufficient_scope", scope="reports:read"' });
  });

  it('answers a permission in scope but no longer held exactly as Gatehouse does: a plain 403', async () => {
    const introspections = watchIntrospection(t);
    try {
      const user = await createUser(t, ['user']);
      const { access_token } = await passwordLogin(t, user, { scope: 'notes:read' });
      expect((await resource.call('/notes', access_token)).status).toBe(200);
      const patched = await t
        .http()
        .patch(`/admin/users/${user.id}`)
        .set('Authorization', await adminAuth(t))
        .send({ roles: [] });
      expect(patched.status).toBe(200);
      await applied(resource, events.publish('user.roles_changed', { sub: user.id }));
      const ours = await challengeOf(await resource.call('/notes', access_token));
      expect(ours).toEqual(await challengeOf(await gatehouse('/notes', access_token)));
      expect(ours).toMatchObject({ status: 403, challenge: null, body: { message: 'Requires permission notes:read' } });
    } finally {
      introspections.mockRestore();
    }
  });

  it('answers an expired token exactly as Gatehouse does', async () => {
    const expired = await signedByGatehouse({ iat: now() - 600, exp: now() - 120 });
    const ours = await challengeOf(await resource.call('/stock', expired));
    expect(ours).toEqual(await challengeOf(await gatehouse('/inventory', expired)));
    expect(ours.body).toMatchObject({ error: 'invalid_token', message: 'The access token has expired' });
  });

  it('refuses a token forged with a foreign key under our kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(privateKey);
    await expectInvalidToken(await resource.call('/stock', forged), 'The access token signature is invalid');
  });

  it('refuses an unsigned token (alg none) under our kid', async () => {
    await expectInvalidToken(await resource.call('/stock', `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims())}.`));
  });

  it('refuses HS256 keyed with our public key (algorithm confusion)', async () => {
    const jwks = (await (await fetch(`${t.baseUrl}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(claims())}`;
    const signature = createHmac('sha256', JSON.stringify(jwks.keys[0])).update(input).digest('base64url');
    await expectInvalidToken(await resource.call('/stock', `${input}.${signature}`), 'The access token algorithm does not match its key');
  });

  it("refuses a token signed by our key but naming another algorithm family's (the alg is pinned to the key)", async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid }).sign(privateKey);
    await expectInvalidToken(await resource.call('/stock', forged), 'The access token was not signed by a Gatehouse key');
  });

  it('refuses a key carried in the token (jwk header) and a token without a kid', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    await expectInvalidToken(
      await resource.call('/stock', await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk }).sign(privateKey)),
    );
    const key = await t.app.get(KeySetService).activeKey();
    const noKid = await new SignJWT(claims()).setProtectedHeader({ alg: key.alg, typ: 'at+jwt' }).sign(key.privateKey);
    await expectInvalidToken(await resource.call('/stock', noKid), 'The access token has no usable kid');
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example' }, {}, 'The access token is from another issuer'],
    ['another audience', { aud: 'https://other-api.example' }, {}, 'The access token is for another audience'],
    ['typ JWT (an ID token or other JWT)', {}, { typ: 'JWT' }, 'The token is not an access token (typ must be at+jwt)'],
    ['no typ', {}, { typ: undefined }, 'The token is not an access token (typ must be at+jwt)'],
    ['an iat in the future beyond the leeway', { iat: now() + 120, exp: now() + 400 }, {}, 'The access token was issued in the future'],
    ['a lifetime longer than the bound', { iat: now() - 10, exp: now() + 7200 }, {}, 'The access token lives longer than this service accepts'],
    ['no client_id', { client_id: undefined }, {}, 'The access token lacks required claims'],
    ['no jti', { jti: undefined }, {}, 'The access token lacks required claims'],
    ['a scope that is not a string', { scope: ['inventory:read'] }, {}, 'The access token lacks required claims'],
  ])('refuses a token signed by Gatehouse but with %s', async (_case, overrides, header, description) => {
    await expectInvalidToken(await resource.call('/stock', await signedByGatehouse(overrides, header)), description);
  });

  it('accepts the same construction when nothing is wrong (so each refusal above is about its one change)', async () => {
    expect((await resource.call('/stock', await signedByGatehouse())).status).toBe(200);
  });

  it('accepts an iat a little in the future, within the clock leeway', async () => {
    expect((await resource.call('/stock', await signedByGatehouse({ iat: now() + 10 }))).status).toBe(200);
  });

  it('a flood of unknown kids refetches the key set at most once per cooldown', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const keySet = vi.spyOn(t.app.get(KeySetService), 'publicJwks');
    try {
      const { privateKey } = await generateKeyPair('ES256');
      for (let i = 0; i < 10; i++) {
        const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: `attacker-${i}` }).sign(privateKey);
        await expectInvalidToken(await resource.call('/stock', forged), 'The access token was not signed by a Gatehouse key');
      }
      expect(keySet.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      keySet.mockRestore();
    }
  });

  it('after a key rotation, a token under the new kid is accepted (the key set is refetched) and the old key works until key.retired', async () => {
    const before = (await clientCredentialsToken(t, t.service, 'inventory:read')).access_token;
    expect((await resource.call('/stock', before)).status).toBe(200);
    const rotated = await t
      .http()
      .post('/admin/keys/rotate')
      .set('Authorization', await adminAuth(t));
    expect(rotated.status).toBeLessThan(300);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the key-set cooldown of this test service
    const after = (await clientCredentialsToken(t, t.service, 'inventory:read')).access_token;
    expect(JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString()).kid).not.toBe(kid);
    expect((await resource.call('/stock', after)).status).toBe(200);
    expect((await resource.call('/stock', before)).status).toBe(200);

    await applied(resource, events.publish('key.retired', { kid }));
    await expectInvalidToken(await resource.call('/stock', before), 'The access token was signed by a retired key');
    expect((await resource.call('/stock', after)).status).toBe(200);
  });
});
