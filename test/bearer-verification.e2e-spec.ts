import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeySetService } from '../src/auth/keys/key-set.service.js';
import { ADMIN, FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { passwordLogin } from './support/oauth.js';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('bearer token verification on guarded routes', () => {
  let t: TestApp;
  let kid: string;
  let adminId: string;
  let good: string;

  /** Signs with Gatehouse's real private key, so only the claim or header under test is wrong. */
  const signWithOurKey = async (claims: JWTPayload, header: Record<string, unknown> = {}) => {
    const key = await t.app.get(KeySetService).activeKey();
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: t.config.issuer,
      aud: t.config.audience,
      sub: adminId,
      client_id: FIRST_PARTY.clientId,
      scope: 'notes:read',
      jti: randomUUID(),
      iat: now,
      exp: now + 300,
      ...claims,
    };
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid, ...header }).sign(key.privateKey);
  };

  const me = (token: string) => t.http().get('/me').set('Authorization', `Bearer ${token}`);

  const expectInvalidToken = async (token: string) => {
    const res = await me(token);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
  };

  beforeAll(async () => {
    t = await startApp();
    good = (await passwordLogin(t)).access_token;
    const header = JSON.parse(Buffer.from(good.split('.')[0], 'base64url').toString());
    kid = header.kid;
    adminId = JSON.parse(Buffer.from(good.split('.')[1], 'base64url').toString()).sub;
  });
  afterAll(() => t.close());

  it('accepts a token it issued, and one it signs itself with the right claims', async () => {
    const res = await me(good);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: adminId, username: ADMIN.username, roles: ['admin'] });
    expect((await me(await signWithOurKey({}))).status).toBe(200);
  });

  it('answers a request without a token 401 with a bare challenge', async () => {
    const res = await t.http().get('/me');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
  });

  it('never reads a token from the query string', async () => {
    const res = await t.http().get(`/me?access_token=${good}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
  });

  it('refuses a malformed Authorization header', async () => {
    for (const header of ['Bearer', 'Bearer a b', `Basic ${good}`, `Bearer ${good}!`]) {
      const res = await t.http().get('/me').set('Authorization', header);
      expect({ header, status: res.status, error: res.body.error }).toEqual({ header, status: 401, error: 'invalid_token' });
    }
  });

  it('refuses alg none', async () => {
    const [, payload] = good.split('.');
    await expectInvalidToken(`${b64({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`);
  });

  it('refuses HS256 signed with our public key as the HMAC secret', async () => {
    const jwks = await t.http().get('/.well-known/jwks.json');
    const pem = createPublicKey({ key: jwks.body.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const [, payload] = good.split('.');
    const head = b64({ alg: 'HS256', typ: 'at+jwt', kid });
    const signature = createHmac('sha256', pem).update(`${head}.${payload}`).digest('base64url');
    await expectInvalidToken(`${head}.${payload}.${signature}`);
  });

  it('refuses a tampered payload', async () => {
    const [head, payload, signature] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    await expectInvalidToken(`${head}.${b64({ ...claims, scope: `${claims.scope} extra` })}.${signature}`);
  });

  it('refuses a foreign key that claims our kid, and one that ships its own jwk', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const claims = JSON.parse(Buffer.from(good.split('.')[1], 'base64url').toString());
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(privateKey);
    await expectInvalidToken(forged);
    const embedded = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk: await exportJWK(publicKey) }).sign(privateKey);
    await expectInvalidToken(embedded);
  });

  it('refuses hostile kids', async () => {
    const [, payload, signature] = good.split('.');
    for (const hostile of ['../../etc/passwd', "' OR 1=1 --", 'x'.repeat(5000), '', 42]) {
      await expectInvalidToken(`${b64({ alg: 'ES256', typ: 'at+jwt', kid: hostile })}.${payload}.${signature}`);
    }
  });

  it('refuses the wrong issuer, the wrong audience, an expired token and the wrong typ', async () => {
    await expectInvalidToken(await signWithOurKey({ iss: 'https://evil.example' }));
    await expectInvalidToken(await signWithOurKey({ aud: 'https://another-api.example' }));
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectInvalidToken(await signWithOurKey({ iat: past - 900, exp: past }));
    await expectInvalidToken(await signWithOurKey({}, { typ: 'JWT' }));
  });

  it('refuses tokens missing a required claim', async () => {
    const key = await t.app.get(KeySetService).activeKey();
    const now = Math.floor(Date.now() / 1000);
    const noJti = await new SignJWT({ client_id: FIRST_PARTY.clientId, scope: '' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(t.config.issuer)
      .setAudience(t.config.audience)
      .setSubject(adminId)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key.privateKey);
    await expectInvalidToken(noJti);
  });

  it('refuses a token whose client or user does not exist', async () => {
    await expectInvalidToken(await signWithOurKey({ client_id: 'no-such-client' }));
    await expectInvalidToken(await signWithOurKey({ sub: randomUUID() }));
  });
});
