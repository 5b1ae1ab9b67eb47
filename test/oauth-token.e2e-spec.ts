import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, SEEDED_ROLES } from '../src/common/permissions.js';
import { ADMIN, FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { machineClient } from './support/clients.js';
import { createUser, insertClient } from './support/fixtures.js';
import { adminAuth, basic, type ClientCredentials, expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';

const expectNoStore = (headers: Record<string, string>) => {
  expect(headers['cache-control']).toBe('no-store');
  expect(headers.pragma).toBe('no-cache');
};

describe('POST /oauth/token', () => {
  let t: TestApp;
  /** Registered and approved for client_credentials (the bootstrap client has no such grant). */
  let machine: ClientCredentials;
  beforeAll(async () => {
    t = await startApp();
    machine = await machineClient(t, ['inventory:read', 'reports:read']);
  });
  afterAll(() => t.close());

  describe('password grant', () => {
    it('issues an RFC 9068 access token and a refresh token, never cached', async () => {
      const res = await tokenRequest(t, { grant_type: 'password', username: ADMIN.username, password: ADMIN.password });
      expectStatus(res, 200);
      expectNoStore(res.headers);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        scope: [...ALL_PERMISSIONS].sort().join(' '),
        refresh_token: expect.any(String),
      });
      expect(Buffer.from(res.body.refresh_token, 'base64url').length).toBeGreaterThanOrEqual(32);
    });

    it('signs tokens that verify with jose against the published JWKS', async () => {
      const { access_token } = await passwordLogin(t, ADMIN, { scope: 'notes:read' });
      const jwks = await t.http().get('/.well-known/jwks.json').expect(200);
      for (const key of jwks.body.keys) {
        expect(key).toMatchObject({ kid: expect.any(String), alg: 'ES256', use: 'sig', kty: 'EC' });
        expect(key).not.toHaveProperty('d');
      }
      const { payload, protectedHeader } = await jwtVerify(access_token, createLocalJWKSet(jwks.body), {
        issuer: t.config.issuer,
        audience: t.config.audience,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      });
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
      // sid: the login (refresh-token family) the token belongs to; revoking it revokes the token.
      expect(Object.keys(payload).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sid', 'sub']);
      expect(payload).toMatchObject({ client_id: FIRST_PARTY.clientId, scope: 'notes:read' });
      expect(payload.exp! - payload.iat!).toBe(900);
    });

    it('answers an unknown user and a wrong password with the same invalid_grant', async () => {
      const wrong = await tokenRequest(t, { grant_type: 'password', username: ADMIN.username, password: 'not-the-password' });
      const unknown = await tokenRequest(t, { grant_type: 'password', username: 'nobody-here', password: 'not-the-password' });
      expectStatus(wrong, 400);
      expectNoStore(wrong.headers);
      expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual(wrong.body);
    });

    it('matches usernames case-insensitively', async () => {
      const res = await tokenRequest(t, { grant_type: 'password', username: ADMIN.username.toUpperCase(), password: ADMIN.password });
      expectStatus(res, 200);
    });

    it('refuses a disabled user with invalid_grant', async () => {
      const user = await createUser(t);
      await t
        .http()
        .patch(`/admin/users/${user.id}`)
        .set('Authorization', await adminAuth(t))
        .send({ disabled: true })
        .expect(200);
      const res = await tokenRequest(t, { grant_type: 'password', username: user.username, password: user.password });
      expectStatus(res, 400);
      expect(res.body.error).toBe('invalid_grant');
    });

    it('requires username and password', async () => {
      const res = await tokenRequest(t, { grant_type: 'password', username: ADMIN.username });
      expectStatus(res, 400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('is only for trusted clients that hold the grant', async () => {
      const untrusted = await insertClient(t, { trusted: false });
      const res = await tokenRequest(t, { grant_type: 'password', username: ADMIN.username, password: ADMIN.password }, untrusted);
      expectStatus(res, 400);
      expect(res.body.error).toBe('unauthorized_client');
      const noGrant = await insertClient(t, { trusted: true, grantTypes: ['client_credentials'] });
      const res2 = await tokenRequest(t, { grant_type: 'password', username: ADMIN.username, password: ADMIN.password }, noGrant);
      expect(res2.body.error).toBe('unauthorized_client');
    });
  });

  describe('scope', () => {
    it('grants the requested subset', async () => {
      const res = await tokenRequest(t, { grant_type: 'password', username: ADMIN.username, password: ADMIN.password, scope: 'notes:write notes:read' });
      expectStatus(res, 200);
      expect(res.body.scope).toBe('notes:read notes:write');
    });

    it('refuses a scope the user does not hold, or the client may not have, or that does not exist', async () => {
      const user = await createUser(t, ['user']);
      const notHeld = await tokenRequest(t, { grant_type: 'password', username: user.username, password: user.password, scope: 'notes:read users:manage' });
      expectStatus(notHeld, 400);
      expect(notHeld.body).toEqual({ error: 'invalid_scope', error_description: expect.stringContaining('users:manage') });
      const narrow = await insertClient(t, { trusted: true, scopes: ['notes:read'] });
      const notAllowed = await tokenRequest(t, { grant_type: 'password', username: user.username, password: user.password, scope: 'notes:write' }, narrow);
      expect(notAllowed.body.error).toBe('invalid_scope');
      const unknown = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'launch:missiles' }, machine);
      expect(unknown.body.error).toBe('invalid_scope');
      const malformed = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'notes:read "quoted"' }, machine);
      expect(malformed.body.error).toBe('invalid_scope');
    });

    it('defaults to everything allowed: client scopes ∩ user permissions', async () => {
      const user = await createUser(t, ['user']);
      const login = await passwordLogin(t, user);
      // What the seeded role holds today, not a copy of it: adding a permission to the role must not break this.
      expect(login.scope).toBe([...SEEDED_ROLES.user].sort().join(' '));
    });
  });

  describe('client_credentials grant', () => {
    it('makes the client the principal and issues no refresh token', async () => {
      const res = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'inventory:read' }, machine);
      expectStatus(res, 200);
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: 'inventory:read' });
      const payload = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
      expect(payload.sub).toBe(machine.clientId);
      expect(payload.client_id).toBe(machine.clientId);
    });

    it('needs the grant on the client', async () => {
      const client = await insertClient(t, { grantTypes: ['password'] });
      const res = await tokenRequest(t, { grant_type: 'client_credentials' }, client);
      expectStatus(res, 400);
      expect(res.body.error).toBe('unauthorized_client');
    });
  });

  describe('client authentication', () => {
    it('accepts client_secret_post', async () => {
      const res = await tokenRequest(t, { grant_type: 'client_credentials', client_id: machine.clientId, client_secret: machine.clientSecret }, null);
      expectStatus(res, 200);
    });

    it('refuses both methods at once with invalid_request', async () => {
      const res = await tokenRequest(t, { grant_type: 'client_credentials', client_id: machine.clientId, client_secret: machine.clientSecret }, machine);
      expectStatus(res, 400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('answers 401 invalid_client with a Basic challenge when Basic was used', async () => {
      const wrong = await tokenRequest(t, { grant_type: 'client_credentials' }, { ...FIRST_PARTY, clientSecret: 'x'.repeat(43) });
      expectStatus(wrong, 401);
      expectNoStore(wrong.headers);
      expect(wrong.headers['www-authenticate']).toBe('Basic realm="gatehouse"');
      expect(wrong.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
      const unknown = await tokenRequest(t, { grant_type: 'client_credentials' }, { clientId: 'nobody', clientSecret: 'x'.repeat(43) });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
    });

    it('answers 401 invalid_client without a Basic challenge for a wrong client_secret_post', async () => {
      const res = await tokenRequest(t, { grant_type: 'client_credentials', client_id: FIRST_PARTY.clientId, client_secret: 'wrong' }, null);
      expectStatus(res, 401);
      expect(res.body.error).toBe('invalid_client');
    });

    it('needs client authentication at all', async () => {
      const res = await tokenRequest(t, { grant_type: 'client_credentials' }, null);
      expectStatus(res, 401);
      expect(res.body.error).toBe('invalid_client');
    });

    it('refuses clients that are pending, rejected or suspended', async () => {
      for (const status of ['pending', 'rejected', 'suspended'] as const) {
        const client = await insertClient(t, { status });
        const res = await tokenRequest(t, { grant_type: 'client_credentials' }, client);
        expect({ status, code: res.status, error: res.body.error }).toEqual({ status, code: 401, error: 'invalid_client' });
      }
    });

    it('rejects a malformed Basic header', async () => {
      const res = await t.http().post('/oauth/token').type('form').set('Authorization', 'Basic !!!').send({ grant_type: 'client_credentials' });
      expectStatus(res, 401);
      expect(res.body.error).toBe('invalid_client');
    });
  });

  describe('request syntax', () => {
    it('accepts JSON bodies too', async () => {
      const res = await t.http().post('/oauth/token').set('Authorization', basic(machine)).send({ grant_type: 'client_credentials' });
      expectStatus(res, 200);
    });

    it('refuses a missing or unsupported grant_type', async () => {
      const missing = await tokenRequest(t, {});
      expectStatus(missing, 400);
      expect(missing.body.error).toBe('invalid_request');
      const unsupported = await tokenRequest(t, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code' });
      expectStatus(unsupported, 400);
      expect(unsupported.body.error).toBe('unsupported_grant_type');
    });

    it('refuses repeated parameters and non-string JSON values', async () => {
      const repeated = await t
        .http()
        .post('/oauth/token')
        .type('form')
        .set('Authorization', basic(FIRST_PARTY))
        .send('grant_type=client_credentials&grant_type=password');
      expectStatus(repeated, 400);
      expect(repeated.body.error).toBe('invalid_request');
      const nonString = await t
        .http()
        .post('/oauth/token')
        .set('Authorization', basic(FIRST_PARTY))
        .send({ grant_type: ['client_credentials'] });
      expect(nonString.body.error).toBe('invalid_request');
      const number = await t.http().post('/oauth/token').set('Authorization', basic(FIRST_PARTY)).send({ grant_type: 'password', username: 5, password: 'x' });
      expect(number.body.error).toBe('invalid_request');
    });

    it('refuses other content types and broken JSON with invalid_request', async () => {
      const text = await t
        .http()
        .post('/oauth/token')
        .set('Authorization', basic(FIRST_PARTY))
        .set('Content-Type', 'text/plain')
        .send('grant_type=client_credentials');
      expectStatus(text, 400);
      expectNoStore(text.headers);
      expect(text.body.error).toBe('invalid_request');
      const broken = await t
        .http()
        .post('/oauth/token')
        .set('Authorization', basic(FIRST_PARTY))
        .set('Content-Type', 'application/json')
        .send('{"grant_type":');
      expectStatus(broken, 400);
      expect(broken.body.error).toBe('invalid_request');
    });

    it('is not a GET endpoint', async () => {
      const res = await t.http().get('/oauth/token?grant_type=client_credentials');
      expectStatus(res, 405);
      expect(res.headers.allow).toBe('POST');
      expect(res.body.error).toBe('invalid_request');
    });
  });
});

describe('client_secret_basic with reserved characters in the secret', () => {
  const client = { clientId: 'odd:client+id', clientSecret: 'a:b+c%d e&f=g/h?i#j-0123456789abcdefghij' };
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { BOOTSTRAP_CLIENT_ID: 'odd-client', BOOTSTRAP_CLIENT_SECRET: client.clientSecret } });
  });
  afterAll(() => t.close());

  /** The bootstrap client signs users in; its grant is the password grant. */
  const login = { grant_type: 'password', username: ADMIN.username, password: ADMIN.password };

  it('form-url-decodes id and secret after base64 (RFC 6749 §2.3.1)', async () => {
    const res = await tokenRequest(t, login, { clientId: 'odd-client', clientSecret: client.clientSecret });
    expectStatus(res, 200);
    const raw = `odd-client:${client.clientSecret}`;
    const undecoded = await t
      .http()
      .post('/oauth/token')
      .type('form')
      .set('Authorization', `Basic ${Buffer.from(raw).toString('base64')}`)
      .send(login);
    // Sent without form-encoding, "+" decodes to a space: a different secret.
    expect(undecoded.status).toBe(401);
  });

  it('also works through client_secret_post', async () => {
    const res = await tokenRequest(t, { ...login, client_id: 'odd-client', client_secret: client.clientSecret }, null);
    expectStatus(res, 200);
    expect(decodeProtectedHeader(res.body.access_token).typ).toBe('at+jwt');
  });
});
