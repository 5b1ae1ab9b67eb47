import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { createUser, registerClient, registerRequest, review, secretRequest, type TestUser } from './support/clients.js';
import { insertClient } from './support/fixtures.js';
import { adminAuth, expectStatus } from './support/oauth.js';
import { authorize, browser, pkce, signInForCode } from './support/signin.js';

const APP_REDIRECT = 'com.example.notes:/callback';

/** A public client (an SPA or a mobile app): no secret, PKCE always, client_id alone at the token endpoint. */
describe('public clients', () => {
  let t: TestApp;
  let admin: string;
  let owner: TestUser;
  let clientId: string;
  let registrationId: string;

  beforeAll(async () => {
    t = await startApp();
    admin = await adminAuth(t);
    owner = await createUser(t, admin, 'spa-maker');
    const registered = await registerClient(t, owner.auth, {
      name: 'Notes on the go',
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['notes:read', 'notes:write'],
      redirect_uris: [APP_REDIRECT, 'http://127.0.0.1/callback', 'https://spa.example/callback'],
      token_endpoint_auth_method: 'none',
    });
    expect(registered).toMatchObject({ status: 'pending', token_endpoint_auth_method: 'none', has_secret: false });
    registrationId = registered.id;
    const approved = await review(t, admin, registered.id, 'approve', { note: 'ok' });
    clientId = approved.client_id!;
  });
  afterAll(() => t.close());

  const token = (form: Record<string, string>) => t.http().post('/oauth/token').type('form').send(form);

  it('registration refuses grants a public client cannot hold', async () => {
    for (const grant_types of [['client_credentials'], ['authorization_code', 'password'], ['refresh_token']]) {
      const res = await registerRequest(t, owner.auth, {
        name: 'x',
        description: 'y',
        grant_types,
        scopes: ['notes:read'],
        redirect_uris: [APP_REDIRECT],
        token_endpoint_auth_method: 'none',
      });
      expectStatus(res, 400);
    }
  });

  it('a private-use scheme is for public clients only; it must be reverse-domain', async () => {
    const confidential = await registerRequest(t, owner.auth, {
      name: 'x',
      description: 'y',
      grant_types: ['authorization_code'],
      scopes: ['notes:read'],
      redirect_uris: [APP_REDIRECT],
    });
    expectStatus(confidential, 400);
    const notReverseDomain = await registerRequest(t, owner.auth, {
      name: 'x',
      description: 'y',
      grant_types: ['authorization_code'],
      scopes: ['notes:read'],
      redirect_uris: ['myapp:/callback'],
      token_endpoint_auth_method: 'none',
    });
    expectStatus(notReverseDomain, 400);
  });

  it('gets no secret: POST /clients/:id/secret is 409', async () => {
    expectStatus(await secretRequest(t, owner.auth, registrationId), 409);
  });

  it('signs a user in through the browser, exchanges the code with client_id alone, refreshes, and reaches /notes', async () => {
    const user = await createUser(t, admin, 'mobile-user');
    const { verifier, challenge } = pkce();
    const query = await signInForCode(
      browser(t),
      { client_id: clientId, redirect_uri: APP_REDIRECT, scope: 'notes:read', state: 'm1', code_challenge: challenge, code_challenge_method: 'S256' },
      { username: 'mobile-user', password: user.password },
    );
    expect(query).toMatchObject({ code: expect.any(String), state: 'm1' });
    const tokens = await token({
      grant_type: 'authorization_code',
      client_id: clientId,
      code: query.code,
      redirect_uri: APP_REDIRECT,
      code_verifier: verifier,
    });
    expectStatus(tokens, 200);
    expect(tokens.body).toMatchObject({ scope: 'notes:read', refresh_token: expect.any(String) });
    expectStatus(await t.http().get('/notes').set('Authorization', `Bearer ${tokens.body.access_token}`), 200);

    const refreshed = await token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.body.refresh_token });
    expectStatus(refreshed, 200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
    // Rotation holds for public clients too: the old one is now reuse.
    const reused = await token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.body.refresh_token });
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('without the verifier, or with another, the code is worth nothing', async () => {
    const user = await createUser(t, admin, 'spa-user');
    const { verifier, challenge } = pkce();
    const query = await signInForCode(
      browser(t),
      { client_id: clientId, redirect_uri: APP_REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', scope: 'notes:read' },
      { username: 'spa-user', password: user.password },
    );
    const base = { grant_type: 'authorization_code', client_id: clientId, code: query.code, redirect_uri: APP_REDIRECT };
    expect((await token(base)).body.error).toBe('invalid_request');
    expect((await token({ ...base, code_verifier: pkce().verifier })).body.error).toBe('invalid_grant');
    expectStatus(await token({ ...base, code_verifier: verifier }), 200);
  });

  it('client_id alone does not authenticate a confidential client, and a public client cannot use a made-up secret or other grants', async () => {
    const confidential = await insertClient(t);
    const alone = await token({ grant_type: 'client_credentials', client_id: confidential.clientId });
    expect(alone.status).toBe(401);
    expect(alone.body.error).toBe('invalid_client');
    const withSecret = await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'x'.repeat(43) });
    expect(withSecret.status).toBe(401);
    const other = await token({ grant_type: 'client_credentials', client_id: clientId });
    expect(other.body.error).toBe('unauthorized_client');
    const password = await token({ grant_type: 'password', client_id: clientId, username: 'admin', password: 'x' });
    expect(password.body.error).toBe('unauthorized_client');
  });

  it('the loopback redirect works on any port for a native app', async () => {
    const { challenge } = pkce();
    const res = await authorize(browser(t), {
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1:60123/callback',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="password"');
  });

  it('the metadata offers token_endpoint_auth_method none', async () => {
    const res = await t.http().get('/.well-known/oauth-authorization-server');
    expect(res.body.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
  });

  describe('CORS, for a single-page app on its own origin', () => {
    it('answers the preflight and the token request for an approved public client origin, never with credentials', async () => {
      const preflight = await t
        .http()
        .options('/oauth/token')
        .set('Origin', 'https://spa.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://spa.example');
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
      const res = await t
        .http()
        .post('/oauth/token')
        .set('Origin', 'https://spa.example')
        .type('form')
        .send({ grant_type: 'refresh_token', client_id: clientId, refresh_token: 'x' });
      expect(res.headers['access-control-allow-origin']).toBe('https://spa.example');
      expect(res.headers['access-control-expose-headers']).toContain('WWW-Authenticate');
    });

    it('gives no CORS to any other origin: a confidential client’s, or a stranger’s', async () => {
      await insertClient(t, { redirectUris: ['https://web.example/callback'] });
      for (const origin of ['https://web.example', 'https://evil.example', 'null']) {
        const res = await t.http().options('/oauth/token').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
        expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
        const get = await t.http().get('/.well-known/oauth-authorization-server').set('Origin', origin);
        expect(get.headers['access-control-allow-origin'], origin).toBeUndefined();
      }
    });
  });
});
