import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeySetService } from '../src/auth/keys/key-set.service.js';
import { SigningKey } from '../src/auth/keys/signing-key.entity.js';
import { startApp, type TestApp } from './support/app.js';
import { adminAuth, passwordLogin } from './support/oauth.js';

describe('signing key rotation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());
  afterEach(() => vi.useRealTimers());

  it('signs new tokens with the new key and keeps old tokens valid, both keys published', async () => {
    const before = await passwordLogin(t);
    const oldKid = decodeProtectedHeader(before.access_token).kid;
    const rotated = await t
      .http()
      .post('/admin/keys/rotate')
      .set('Authorization', await adminAuth(t));
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body).toEqual({ kid: expect.any(String), retired: [oldKid] });
    const after = await passwordLogin(t);
    expect(decodeProtectedHeader(after.access_token).kid).toBe(rotated.body.kid);
    for (const token of [before.access_token, after.access_token]) {
      await t.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    }
    const jwks = (await t.http().get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys.map((key: { kid: string }) => key.kid).sort()).toEqual([oldKid, rotated.body.kid].sort());
    await jwtVerify(before.access_token, createLocalJWKSet(jwks), { issuer: t.config.issuer });
    const audit = await t
      .http()
      .get('/admin/audit?type=key.rotated')
      .set('Authorization', await adminAuth(t));
    expect(audit.body.items[0]).toMatchObject({ type: 'key.rotated', details: { kid: rotated.body.kid } });
  });

  it('stops publishing a retired key once every token it signed has expired', async () => {
    const keys = t.app.get(KeySetService);
    const { retired } = await keys.rotate(null);
    const ttl = t.config.accessTokenTtl;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (ttl + 29) * 1000);
    await keys.reload();
    expect((await keys.publicJwks()).keys.map((key) => key.kid)).toContain(retired[0]);
    vi.setSystemTime(Date.now() + 2000);
    await keys.reload();
    expect((await keys.publicJwks()).keys.map((key) => key.kid)).not.toContain(retired[0]);
  });

  it('needs keys:manage', async () => {
    const res = await t.http().post('/admin/keys/rotate');
    expect(res.status).toBe(401);
  });
});

describe('signing keys at rest', () => {
  it('are sealed with SIGNING_KEY_ENCRYPTION_SECRET, and a wrong or missing secret stops start-up', async () => {
    const secret = 'a-long-key-encryption-secret-for-tests-0123456789';
    const t = await startApp({ env: { SIGNING_KEY_ENCRYPTION_SECRET: secret } });
    const rows = await t.app.get(DataSource).getRepository(SigningKey).find();
    expect(rows.length).toBe(1);
    expect(rows[0].privateKey.startsWith('enc:v1:')).toBe(true);
    expect(rows[0].privateKey).not.toContain('PRIVATE KEY');
    await passwordLogin(t);
    await t.close({ keepDatabase: true });
    // Without it: on SQLite a generated key file is no help (the keys are not sealed under it); PostgreSQL refuses to start.
    await expect(startApp({ database: t.database, env: { SIGNING_KEY_ENCRYPTION_SECRET: undefined } })).rejects.toThrow(
      /cannot be decrypted|SIGNING_KEY_ENCRYPTION_SECRET must be set/,
    );
    await expect(startApp({ database: t.database, env: { SIGNING_KEY_ENCRYPTION_SECRET: `${secret}-wrong` } })).rejects.toThrow(/cannot be decrypted/);
    const again = await startApp({ database: t.database, env: { SIGNING_KEY_ENCRYPTION_SECRET: secret } });
    await passwordLogin(again);
    await again.close();
  });

  it('can be RS256', async () => {
    const t = await startApp({ env: { SIGNING_ALG: 'RS256' } });
    try {
      const { access_token } = await passwordLogin(t);
      expect(decodeProtectedHeader(access_token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
      await t.http().get('/me').set('Authorization', `Bearer ${access_token}`).expect(200);
      const jwks = (await t.http().get('/.well-known/jwks.json')).body;
      expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(jwks.keys[0]).not.toHaveProperty('d');
    } finally {
      await t.close();
    }
  });
});
