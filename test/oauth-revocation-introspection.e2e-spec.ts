import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS } from '../src/common/permissions.js';
import { ADMIN, FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { machineClient } from './support/clients.js';
import { createUser, insertClient } from './support/fixtures.js';
import { adminAuth, basic, type ClientCredentials, expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';

const post = (t: TestApp, path: string, form: Record<string, string>, client: ClientCredentials | null = FIRST_PARTY) => {
  const req = t.http().post(path).type('form');
  if (client) req.set('Authorization', basic(client));
  return req.send(form);
};

describe('POST /oauth/revoke (RFC 7009)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('revokes an access token: the next guarded request is refused', async () => {
    const { access_token } = await passwordLogin(t);
    await t.http().get('/me').set('Authorization', `Bearer ${access_token}`).expect(200);
    const res = await post(t, '/oauth/revoke', { token: access_token, token_type_hint: 'access_token' });
    expectStatus(res, 200);
    expect(res.headers['cache-control']).toBe('no-store');
    const after = await t.http().get('/me').set('Authorization', `Bearer ${access_token}`);
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('invalid_token');
  });

  it('revokes a refresh token and its whole family', async () => {
    const login = await passwordLogin(t);
    const rotated = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: login.refresh_token! });
    expectStatus(await post(t, '/oauth/revoke', { token: rotated.body.refresh_token }), 200);
    const res = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token });
    expect(res.body.error).toBe('invalid_grant');
  });

  it('answers 200 for unknown tokens and a wrong hint', async () => {
    expectStatus(await post(t, '/oauth/revoke', { token: 'not-a-token' }), 200);
    const { access_token } = await passwordLogin(t);
    expectStatus(await post(t, '/oauth/revoke', { token: access_token, token_type_hint: 'refresh_token' }), 200);
    expect((await t.http().get('/me').set('Authorization', `Bearer ${access_token}`)).status).toBe(401);
  });

  it("lets a client revoke only its own tokens (silently 200 for another's)", async () => {
    const { access_token, refresh_token } = await passwordLogin(t);
    const other = await insertClient(t);
    expectStatus(await post(t, '/oauth/revoke', { token: access_token }, other), 200);
    expectStatus(await post(t, '/oauth/revoke', { token: refresh_token! }, other), 200);
    await t.http().get('/me').set('Authorization', `Bearer ${access_token}`).expect(200);
    expectStatus(await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refresh_token! }), 200);
  });

  it('needs client authentication and a token', async () => {
    const anonymous = await post(t, '/oauth/revoke', { token: 'x' }, null);
    expectStatus(anonymous, 401);
    expect(anonymous.body.error).toBe('invalid_client');
    const missing = await post(t, '/oauth/revoke', {});
    expectStatus(missing, 400);
    expect(missing.body.error).toBe('invalid_request');
  });
});

describe('POST /oauth/introspect (RFC 7662)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('describes an active access token', async () => {
    const { access_token } = await passwordLogin(t, ADMIN, { scope: 'notes:read' });
    const res = await post(t, '/oauth/introspect', { token: access_token });
    expectStatus(res, 200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      active: true,
      scope: 'notes:read',
      client_id: FIRST_PARTY.clientId,
      username: ADMIN.username,
      // What the token may do now (issue 17): held by its user ∩ its scope.
      permissions: ['notes:read'],
      token_type: 'access_token',
      exp: expect.any(Number),
      iat: expect.any(Number),
      sub: expect.any(String),
      aud: t.config.audience,
      iss: t.config.issuer,
      jti: expect.any(String),
    });
  });

  it("answers an access token's permissions as they are now, narrowed by a role change made after it was issued", async () => {
    const admin = await adminAuth(t);
    const role = `reader-${Date.now()}`;
    expectStatus(
      await t
        .http()
        .post('/admin/roles')
        .set('Authorization', admin)
        .send({ name: role, permissions: ['notes:read', 'notes:write'] }),
      201,
    );
    const user = await createUser(t, [role]);
    const { access_token } = await passwordLogin(t, user, { scope: 'notes:read notes:write' });
    expect((await post(t, '/oauth/introspect', { token: access_token })).body.permissions).toEqual(['notes:read', 'notes:write']);
    expectStatus(
      await t
        .http()
        .patch(`/admin/roles/${role}`)
        .set('Authorization', admin)
        .send({ permissions: ['notes:read'] }),
      200,
    );
    const after = await post(t, '/oauth/introspect', { token: access_token });
    expect(after.body).toMatchObject({ active: true, scope: 'notes:read notes:write', permissions: ['notes:read'] });
  });

  it('describes an active refresh token', async () => {
    const { refresh_token, scope } = await passwordLogin(t);
    const res = await post(t, '/oauth/introspect', { token: refresh_token!, token_type_hint: 'refresh_token' });
    expect(res.body).toMatchObject({ active: true, token_type: 'refresh_token', client_id: FIRST_PARTY.clientId, username: ADMIN.username, scope });
  });

  it('describes a client_credentials token without a username', async () => {
    const machine = await machineClient(t, ['inventory:read']);
    const cc = await tokenRequest(t, { grant_type: 'client_credentials', scope: 'inventory:read' }, machine);
    const res = await post(t, '/oauth/introspect', { token: cc.body.access_token });
    expect(res.body).toMatchObject({ active: true, sub: machine.clientId, scope: 'inventory:read' });
    expect(res.body).not.toHaveProperty('username');
  });

  it('answers exactly {"active":false} for revoked, used, unknown and garbage tokens', async () => {
    const login = await passwordLogin(t);
    await post(t, '/oauth/revoke', { token: login.access_token });
    await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: login.refresh_token! });
    for (const token of [login.access_token, login.refresh_token!, 'garbage', 'a.b.c']) {
      const res = await post(t, '/oauth/introspect', { token });
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"active":false}');
    }
  });

  it('is only for clients allowed the introspect scope', async () => {
    const plain = await insertClient(t, { scopes: ALL_PERMISSIONS.filter((scope) => scope !== 'introspect') });
    const res = await post(t, '/oauth/introspect', { token: 'x' }, plain);
    expectStatus(res, 403);
    expect(res.body.error).toBe('insufficient_scope');
    const anonymous = await post(t, '/oauth/introspect', { token: 'x' }, null);
    expect(anonymous.status).toBe(401);
  });
});
