import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_PARTY } from './support/app.js';
import { type FakeEvents, startFakeEvents } from '../libs/resource-server/test/support/fake-events.js';
import { accessTokenClaims, type Gatehouse, signedByGatehouse as signGatehouse, startGatehouse } from '../libs/resource-server/test/support/gatehouse.js';
import { createUser } from './support/fixtures.js';
import { type ChildServer, startChildServer } from './support/listening.js';
import { basic, clientCredentialsToken, passwordLogin } from './support/oauth.js';

/** Compiled by `npm run build` (as a user of the library would build it: Nest needs tsc's decorator metadata). */
const EXAMPLE = 'examples/external-resource-server/dist/main.js';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * examples/external-resource-server, a NestJS service built on the resource-server library, runs
 * in its own process and verifies Gatehouse access tokens against the JWKS that Gatehouse serves
 * on a real port: it accepts what Gatehouse issued and nothing else, and refuses a token the
 * moment the event stream says it is revoked. Until Gatehouse serves `/events` itself (issue 17,
 * part 2) the stream is the library's fake. The service runs as its own machine client, registered
 * and approved with `introspect` and `events:subscribe`, as its README says.
 */
describe('external resource server example', () => {
  let t: Gatehouse;
  let gatehouse: string;
  let example: ChildServer;
  let events: FakeEvents;
  let kid: string;

  const call = (path: string, token?: string) =>
    fetch(`${example.baseUrl}${path}`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });

  // Well-formed client-credentials claims: the service asks Gatehouse about the principal, which must exist.
  const claims = (overrides: JWTPayload = {}) => accessTokenClaims(t, overrides);
  const signedByGatehouse = (overrides: JWTPayload, header: Record<string, unknown> = {}) => signGatehouse(t, overrides, header);

  const expectInvalidToken = async (token: string) => {
    const res = await call('/stock', token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="external-resource-server", error="invalid_token"/);
    expect(await res.json()).toMatchObject({ error: 'invalid_token' });
  };

  beforeAll(async () => {
    t = await startGatehouse();
    gatehouse = t.baseUrl;
    events = await startFakeEvents();
    example = await startChildServer(EXAMPLE, {
      GATEHOUSE_ISSUER: gatehouse,
      GATEHOUSE_CLIENT_ID: t.service.clientId,
      GATEHOUSE_CLIENT_SECRET: t.service.clientSecret,
      GATEHOUSE_EVENTS_URL: events.url,
      PORT: '0',
    });
    const jwks = (await (await fetch(`${gatehouse}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    kid = jwks.keys[0].kid;
  });
  afterAll(async () => {
    await example.stop();
    await events.close();
    await t.close();
  });

  it('Gatehouse serves its metadata and keys on the port its issuer names', async () => {
    const metadata = (await (await fetch(`${gatehouse}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
    expect(metadata).toMatchObject({ issuer: gatehouse, jwks_uri: `${gatehouse}/.well-known/jwks.json` });
  });

  it("accepts a user's Gatehouse token and sees who it is for", async () => {
    const user = await createUser(t, ['user']);
    const { access_token } = await passwordLogin(t, user, { scope: 'notes:read' });
    const res = await call('/whoami', access_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: user.id, client_id: FIRST_PARTY.clientId, scope: 'notes:read' });
  });

  it('accepts a client-credentials token with inventory:read on its guarded route, and refuses one without (403 insufficient_scope)', async () => {
    const allowed = await clientCredentialsToken(t, t.service, 'inventory:read');
    const ok = await call('/stock', allowed.access_token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ items: expect.any(Array), served_to: t.service.clientId });

    const narrow = await clientCredentialsToken(t, t.service, 'introspect');
    const refused = await call('/stock', narrow.access_token);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="external-resource-server", error="insufficient_scope", scope="inventory:read"');
  });

  it('answers a request without a token 401 with a bare challenge', async () => {
    const res = await call('/stock');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="external-resource-server"');
  });

  it('refuses a token forged with a foreign key under our kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(privateKey);
    await expectInvalidToken(forged);
    // Gatehouse refuses it too.
    expect((await fetch(`${gatehouse}/me`, { headers: { Authorization: `Bearer ${forged}` } })).status).toBe(401);
  });

  it('refuses an unsigned token (alg none) under our kid', async () => {
    await expectInvalidToken(`${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims())}.`);
  });

  it('refuses HS256 keyed with our public key (algorithm confusion)', async () => {
    const jwks = (await (await fetch(`${gatehouse}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(claims())}`;
    const signature = createHmac('sha256', JSON.stringify(jwks.keys[0])).update(input).digest('base64url');
    await expectInvalidToken(`${input}.${signature}`);
  });

  it('refuses a token from another key set even with a kid of its own, and one whose public key it is handed (jwk header)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    await expectInvalidToken(await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'attacker' }).sign(privateKey));
    await expectInvalidToken(await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk }).sign(privateKey));
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example' }, {}],
    ['another audience', { aud: 'https://other-api.example' }, {}],
    ['an expired token', { iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 600 }, {}],
    ['typ JWT (an ID token or some other JWT, not an access token)', {}, { typ: 'JWT' }],
    ['no client_id', { client_id: undefined }, {}],
  ])('refuses a token signed by Gatehouse but with %s', async (_case, overrides, header) => {
    await expectInvalidToken(await signedByGatehouse(overrides, header));
  });

  it('accepts the same construction when nothing is wrong (so the refusals above are about the one change)', async () => {
    const res = await call('/stock', await signedByGatehouse({}));
    expect(res.status).toBe(200);
  });

  it('reports its event stream on its public health route', async () => {
    await waitForStream();
    const res = await fetch(`${example.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', info: { gatehouse: { status: 'up', mode: 'stream', connected: true } } });
  });

  it('refuses a token on the next request once the event stream says it was revoked', async () => {
    await waitForStream();
    const { access_token } = await clientCredentialsToken(t, t.service, 'inventory:read');
    expect((await call('/stock', access_token)).status).toBe(200);
    expect((await t.http().post('/oauth/revoke').set('Authorization', basic(t.service)).type('form').send({ token: access_token })).status).toBe(200);
    const { jti, exp } = JSON.parse(Buffer.from(access_token.split('.')[1], 'base64url').toString()) as { jti: string; exp: number };
    const id = events.publish('access_token.revoked', { jti, exp });
    await until(
      async () =>
        ((await (await fetch(`${example.baseUrl}/health`)).json()) as { info?: { gatehouse?: { lastEventId?: string } } }).info?.gatehouse?.lastEventId === id,
    );
    await expectInvalidToken(access_token);
  });

  async function waitForStream(): Promise<void> {
    await until(async () => (await fetch(`${example.baseUrl}/health`)).status === 200 && events.openStreams() > 0);
  }
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
