import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizationCode } from '../src/auth/authorize/authorization-code.entity.js';
import { AuthorizationCodes } from '../src/auth/authorize/authorization-codes.service.js';
import { TransactionService } from '../src/database/transaction.service.js';
import { SignInSession } from '../src/signin/sessions/signin-session.entity.js';
import { SessionsService } from '../src/signin/sessions/sessions.service.js';
import { FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { createUser, insertClient } from './support/fixtures.js';
import { adminAuth, type ClientCredentials, expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';
import { authorize, browser, formOf, pkce, redirectQuery, signInForCode, submitConsent, submitLogin } from './support/signin.js';

const REDIRECT = 'https://app.example/callback';
const ISSUER = 'http://gatehouse.test';

describe('Browser sign-in: authorization code + PKCE over HTTP', () => {
  let t: TestApp;
  let client: ClientCredentials & { id: string };
  let user: { id: string; username: string; password: string };

  beforeAll(async () => {
    t = await startApp({ env: { LOGIN_FAILURES_BEFORE_LOCKOUT: '3' } });
    client = await insertClient(t, { name: 'Acme Notes', description: 'Keeps your notes', redirectUris: [REDIRECT, 'http://127.0.0.1/native'] });
    user = await createUser(t);
  });
  afterAll(() => t.close());

  const exchange = (code: string, verifier: string, credentials: ClientCredentials = client, redirectUri = REDIRECT) =>
    tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, credentials);

  async function codeFor(options: { scope?: string; state?: string } = {}) {
    const agent = browser(t);
    const { verifier, challenge } = pkce();
    const query = await signInForCode(
      agent,
      {
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        scope: options.scope ?? 'notes:read',
        state: options.state ?? 'st-1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      user,
    );
    return { agent, verifier, challenge, query };
  }

  describe('the happy path', () => {
    it('login page, consent page, code with state and iss, tokens that reach /notes and refresh', async () => {
      const agent = browser(t);
      const { verifier, challenge } = pkce();
      const params = {
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        scope: 'notes:read',
        state: 'xyz',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      };

      const login = await authorize(agent, params);
      expect(login.status).toBe(200);
      expect(login.headers['content-type']).toMatch(/^text\/html/);
      expect(login.headers['cache-control']).toBe('no-store');
      const csp: string = login.headers['content-security-policy'];
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(login.text).toContain('name="username"');
      expect(login.text).toContain('name="password"');
      expect(login.text).toContain('Acme Notes');

      const consent = await submitLogin(agent, login.text, user);
      expect(consent.status).toBe(200);
      const cookies = ([] as string[]).concat(consent.headers['set-cookie'] ?? []);
      const session = cookies.find((c) => c.startsWith('gatehouse_session='));
      expect(session).toMatch(/HttpOnly/i);
      expect(session).toMatch(/SameSite=Lax/i);
      expect(session).not.toMatch(/Secure/i);
      expect(consent.text).toContain('Read your own notes');
      expect(consent.text).toContain('value="allow"');
      expect(consent.text).toContain('value="deny"');

      const done = await submitConsent(agent, consent.text, 'allow');
      expect(done.status).toBe(303);
      expect(done.headers.location.startsWith(`${REDIRECT}?`)).toBe(true);
      const query = redirectQuery(done.headers.location);
      expect(query).toEqual({ code: expect.any(String), state: 'xyz', iss: ISSUER });

      const tokens = await exchange(query.code, verifier);
      expectStatus(tokens, 200);
      expect(tokens.headers['cache-control']).toBe('no-store');
      expect(tokens.body).toMatchObject({ token_type: 'Bearer', scope: 'notes:read', refresh_token: expect.any(String) });
      const notes = await t.http().get('/notes').set('Authorization', `Bearer ${tokens.body.access_token}`);
      expectStatus(notes, 200);
      const me = await t.http().get('/me').set('Authorization', `Bearer ${tokens.body.access_token}`);
      expect(me.body).toMatchObject({ id: user.id, client_id: client.clientId, scope: 'notes:read' });

      const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, client);
      expectStatus(refreshed, 200);
    });

    it('a signed-in user who consented before goes straight back with a code; prompt=consent asks again', async () => {
      const { agent } = await codeFor();
      const { challenge } = pkce();
      const params = {
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        scope: 'notes:read',
        state: 's2',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      };
      const again = await authorize(agent, params);
      expect(again.status).toBe(302);
      expect(redirectQuery(again.headers.location)).toMatchObject({ code: expect.any(String), state: 's2', iss: ISSUER });

      const asked = await authorize(agent, { ...params, prompt: 'consent' });
      expect(asked.status).toBe(200);
      expect(asked.text).toContain('name="decision"');

      const wider = await authorize(agent, { ...params, scope: 'notes:read notes:write' });
      expect(wider.status).toBe(200);
      expect(wider.text).toContain('Create and delete your own notes');
    });

    it('a trusted first-party client skips the consent page', async () => {
      const trusted = await insertClient(t, { name: 'Our own app', trusted: true, redirectUris: [REDIRECT] });
      const agent = browser(t);
      const { challenge, verifier } = pkce();
      const login = await authorize(agent, {
        client_id: trusted.clientId,
        redirect_uri: REDIRECT,
        scope: 'notes:read',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const done = await submitLogin(agent, login.text, user);
      expect(done.status).toBe(303);
      const { code } = redirectQuery(done.headers.location);
      expectStatus(await exchange(code, verifier, trusted), 200);
    });

    it('the loopback exception: any port on a registered http://127.0.0.1 redirect URI', async () => {
      const agent = browser(t);
      const { challenge, verifier } = pkce();
      const redirectUri = 'http://127.0.0.1:49152/native';
      const query = await signInForCode(
        agent,
        { client_id: client.clientId, redirect_uri: redirectUri, scope: 'notes:read', code_challenge: challenge, code_challenge_method: 'S256' },
        user,
      );
      expect(query.code).toBeDefined();
      expectStatus(await exchange(query.code, verifier, client, redirectUri), 200);
      const otherPath = await authorize(agent, {
        client_id: client.clientId,
        redirect_uri: 'http://127.0.0.1:49152/other',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      expect(otherPath.status).toBe(400);
    });

    it('prompt=none answers login_required without a session', async () => {
      const { challenge } = pkce();
      const res = await authorize(browser(t), {
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        state: 'n',
        prompt: 'none',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      expect(res.status).toBe(302);
      expect(redirectQuery(res.headers.location)).toEqual({ error: 'login_required', error_description: expect.any(String), state: 'n', iss: ISSUER });
    });
  });

  describe('sessions', () => {
    const params = () => {
      const { challenge } = pkce();
      return {
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        scope: 'notes:read',
        state: 'sess',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      };
    };

    it('prompt=login and a max_age shorter than the session ask for the password again; prompt=none then answers consent_required or a code', async () => {
      const { agent } = await codeFor();
      expect((await authorize(agent, { ...params(), prompt: 'login' })).text).toContain('name="password"');
      expect((await authorize(agent, { ...params(), max_age: '0' })).text).toContain('name="password"');
      const silent = await authorize(agent, { ...params(), prompt: 'none' });
      expect(redirectQuery(silent.headers.location)).toMatchObject({ code: expect.any(String), state: 'sess' });
      const wider = await authorize(agent, { ...params(), scope: 'notes:read notes:write', prompt: 'none' });
      expect(redirectQuery(wider.headers.location)).toMatchObject({ error: 'consent_required', state: 'sess' });
    });

    it('a session unused for SESSION_IDLE_TTL, or past SESSION_TTL, is over', async () => {
      const { agent } = await codeFor();
      expect((await authorize(agent, params())).status).toBe(302);
      const hour = 3_600_000;
      await t.app.get(TransactionService).run((m) =>
        m
          .createQueryBuilder()
          .update(SignInSession)
          .set({ lastSeenAt: new Date(Date.now() - hour - 1000) })
          .where('user_id = :id', { id: user.id })
          .execute(),
      );
      expect((await authorize(agent, params())).text).toContain('name="password"');

      const { agent: other } = await codeFor();
      await t.app.get(TransactionService).run((m) =>
        m
          .createQueryBuilder()
          .update(SignInSession)
          .set({ expiresAt: new Date(Date.now() - 1000) })
          .where('user_id = :id', { id: user.id })
          .execute(),
      );
      expect((await authorize(other, params())).text).toContain('name="password"');
    });

    it('ending a session (what a sign-out does) ends it everywhere and revokes the refresh tokens made through it', async () => {
      const { agent, verifier, query } = await codeFor();
      const tokens = await exchange(query.code, verifier);
      expectStatus(tokens, 200);
      const sessions = t.app.get(SessionsService);
      const row = (await t.app.get(AuthorizationCodes).find(query.code))!;
      const revoked = await sessions.end(row.sessionId);
      expect(revoked).toContain(row.familyId);
      expect(await sessions.end(row.sessionId)).toEqual([]);
      expect((await authorize(agent, params())).text).toContain('name="password"');
      const refresh = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, client);
      expect(refresh.body.error).toBe('invalid_grant');
    });

    it('a disabled user is signed out of the browser too', async () => {
      const leaving = await createUser(t);
      const agent = browser(t);
      await signInForCode(agent, params(), leaving);
      const admin = await adminAuth(t);
      expectStatus(await t.http().patch(`/admin/users/${leaving.id}`).set('Authorization', admin).send({ disabled: true }), 200);
      expect((await authorize(agent, params())).text).toContain('name="password"');
    });
  });

  describe('errors before the redirect URI is trusted: an HTML page, never a redirect', () => {
    const cases: [string, () => Record<string, string>][] = [
      ['an unknown client', () => ({ client_id: 'no-such-client', redirect_uri: REDIRECT })],
      ['a missing client_id', () => ({ redirect_uri: REDIRECT })],
      ['a redirect_uri that is not registered', () => ({ client_id: client.clientId, redirect_uri: 'https://evil.example/callback' })],
      ['a redirect_uri that only starts like a registered one', () => ({ client_id: client.clientId, redirect_uri: `${REDIRECT}/../x` })],
      ['a missing redirect_uri', () => ({ client_id: client.clientId })],
    ];
    for (const [name, params] of cases) {
      it(name, async () => {
        const { challenge } = pkce();
        const res = await browser(t)
          .get('/oauth/authorize')
          .query({ response_type: 'code', state: 's', code_challenge: challenge, code_challenge_method: 'S256', ...params() });
        expect(res.status).toBe(400);
        expect(res.headers.location).toBeUndefined();
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      });
    }

    it('a repeated client_id', async () => {
      const res = await browser(t).get(
        `/oauth/authorize?client_id=${client.clientId}&client_id=${client.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}`,
      );
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
    });

    it('a suspended client and a pending one: pages that say so, told apart', async () => {
      const suspended = await insertClient(t, { name: 'Paused app', status: 'suspended', redirectUris: [REDIRECT] });
      const pending = await insertClient(t, { name: 'New app', status: 'pending', redirectUris: [REDIRECT] });
      const { challenge } = pkce();
      const base = { redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' };
      const s = await authorize(browser(t), { client_id: suspended.clientId, ...base });
      expect(s.status).toBe(403);
      expect(s.headers.location).toBeUndefined();
      expect(s.text).toContain('suspended');
      expect(s.text).toContain('status-suspended');
      const p = await authorize(browser(t), { client_id: pending.clientId, ...base });
      expect(p.status).toBe(403);
      expect(p.text).toContain('awaiting review');
      expect(p.text).toContain('status-pending');
    });
  });

  describe('errors after the redirect URI is trusted: back to it with error, state and iss', () => {
    const cases: [string, Record<string, string | undefined>, string][] = [
      ['no code_challenge', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
      ['a plain challenge', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['a challenge with no method', { code_challenge_method: undefined }, 'invalid_request'],
      ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request'],
      ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
      ['a scope outside the catalogue', { scope: 'everything' }, 'invalid_scope'],
    ];
    for (const [name, overrides, error] of cases) {
      it(name, async () => {
        const { challenge } = pkce();
        const res = await authorize(browser(t), {
          client_id: client.clientId,
          redirect_uri: REDIRECT,
          state: 'st',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          ...overrides,
        });
        expect(res.status).toBe(302);
        expect(redirectQuery(res.headers.location)).toEqual({ error, error_description: expect.any(String), state: 'st', iss: ISSUER });
      });
    }

    it('a client without the authorization_code grant: unauthorized_client', async () => {
      const machine = await insertClient(t, { grantTypes: ['client_credentials'], redirectUris: [REDIRECT] });
      const { challenge } = pkce();
      const res = await authorize(browser(t), {
        client_id: machine.clientId,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      expect(redirectQuery(res.headers.location)).toMatchObject({ error: 'unauthorized_client', iss: ISSUER });
    });

    it('deny: access_denied', async () => {
      const agent = browser(t);
      const { challenge } = pkce();
      const login = await authorize(agent, {
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        scope: 'notes:write',
        state: 'd',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const consent = await submitLogin(agent, login.text, user);
      const denied = await submitConsent(agent, consent.text, 'deny');
      expect(denied.status).toBe(303);
      expect(redirectQuery(denied.headers.location)).toEqual({ error: 'access_denied', error_description: expect.any(String), state: 'd', iss: ISSUER });
    });

    it('a scope the user does not hold: invalid_scope after sign-in', async () => {
      const agent = browser(t);
      const { challenge } = pkce();
      const login = await authorize(agent, {
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        scope: 'users:manage',
        state: 'u',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      expect(login.status).toBe(200);
      const res = await submitLogin(agent, login.text, user);
      expect(redirectQuery(res.headers.location)).toMatchObject({ error: 'invalid_scope', state: 'u' });
    });
  });

  describe('the token endpoint (attacks on the code)', () => {
    it('a wrong verifier is invalid_grant, and does not burn the code', async () => {
      const { verifier, query } = await codeFor();
      const wrong = await exchange(query.code, pkce().verifier);
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toBe('invalid_grant');
      expectStatus(await exchange(query.code, verifier), 200);
    });

    it('a missing verifier is invalid_request; a different redirect_uri is invalid_grant', async () => {
      const { query, verifier } = await codeFor();
      const missing = await tokenRequest(t, { grant_type: 'authorization_code', code: query.code, redirect_uri: REDIRECT }, client);
      expect(missing.body.error).toBe('invalid_request');
      const other = await exchange(query.code, verifier, client, 'http://127.0.0.1/native');
      expect(other.body.error).toBe('invalid_grant');
    });

    it('a replayed code is invalid_grant, and what the first exchange issued is revoked', async () => {
      const { verifier, query } = await codeFor();
      const first = await exchange(query.code, verifier);
      expectStatus(first, 200);
      const replay = await exchange(query.code, verifier);
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
      const me = await t.http().get('/me').set('Authorization', `Bearer ${first.body.access_token}`);
      expect(me.status).toBe(401);
      const refresh = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, client);
      expect(refresh.body.error).toBe('invalid_grant');
    });

    it('two concurrent exchanges of one code: exactly one wins', async () => {
      const { verifier, query } = await codeFor();
      const results = await Promise.all([exchange(query.code, verifier), exchange(query.code, verifier)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    });

    it('a code used by another client is invalid_grant, and stays good for its own client', async () => {
      const { verifier, query } = await codeFor();
      const other = await insertClient(t, { redirectUris: [REDIRECT] });
      const stolen = await exchange(query.code, verifier, other);
      expect(stolen.body.error).toBe('invalid_grant');
      expectStatus(await exchange(query.code, verifier), 200);
    });

    it('an expired code is invalid_grant', async () => {
      const { verifier, query } = await codeFor();
      await t.app.get(TransactionService).run((m) =>
        m
          .createQueryBuilder()
          .update(AuthorizationCode)
          .set({ expiresAt: new Date(Date.now() - 1000) })
          .execute(),
      );
      const res = await exchange(query.code, verifier);
      expect(res.body.error).toBe('invalid_grant');
      expect(res.body.error_description).toMatch(/expired/);
    });

    it('a made-up code is invalid_grant; a client without the grant is unauthorized_client', async () => {
      expect((await exchange('not-a-code', pkce().verifier)).body.error).toBe('invalid_grant');
      const machine = await insertClient(t, { grantTypes: ['client_credentials'] });
      expect((await exchange('not-a-code', pkce().verifier, machine)).body.error).toBe('unauthorized_client');
    });
  });

  describe('the login form', () => {
    it('refuses a post without its CSRF token, or with a forged one', async () => {
      const agent = browser(t);
      const { challenge } = pkce();
      const login = await authorize(agent, { client_id: client.clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' });
      const { action, fields } = formOf(login.text);
      const { _csrf: token, ...rest } = fields;
      expect(token).toBeTruthy();
      const missing = await agent
        .post(action)
        .type('form')
        .send({ ...rest, ...user });
      expect(missing.status).toBe(403);
      expect(missing.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^gatehouse_session=/)]));
      const forged = await agent
        .post(action)
        .type('form')
        .send({ ...rest, _csrf: `${token}x`, ...user });
      expect(forged.status).toBe(403);
      // Another browser's token does not go with this browser's secret.
      const other = browser(t);
      const otherLogin = await authorize(other, {
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const crossed = await agent
        .post(action)
        .type('form')
        .send({ ...rest, _csrf: formOf(otherLogin.text).fields._csrf, ...user });
      expect(crossed.status).toBe(403);
    });

    it('says only that the username or password is wrong, and escapes what it echoes', async () => {
      const agent = browser(t);
      const { challenge } = pkce();
      const login = await authorize(agent, {
        client_id: client.clientId,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: '"><script>alert(1)</script>',
      });
      expect(login.text).not.toContain('<script>alert(1)</script>');
      const wrong = await submitLogin(agent, login.text, { username: '<b>nobody</b>', password: 'wrong' });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('The username or password is incorrect.');
      expect(wrong.text).not.toContain('<b>nobody</b>');
      expect(wrong.text).toContain('&lt;b&gt;nobody&lt;/b&gt;');
    });

    it('shares the password grant counters: locked by form failures, the grant answers 429 too, and the form says when to retry', async () => {
      const victim = await createUser(t);
      const agent = browser(t);
      const { challenge } = pkce();
      let page = (await authorize(agent, { client_id: client.clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' }))
        .text;
      for (let i = 0; i < 3; i++) {
        const res = await submitLogin(agent, page, { username: victim.username, password: 'wrong' });
        expect(res.status).toBe(401);
        page = res.text;
      }
      const locked = await submitLogin(agent, page, { username: victim.username, password: victim.password });
      expect(locked.status).toBe(429);
      expect(locked.text).toMatch(/Too many attempts\. Try again in \d+ seconds\./);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      const grant = await tokenRequest(t, { grant_type: 'password', username: victim.username, password: victim.password }, FIRST_PARTY);
      expect(grant.status).toBe(429);
    });
  });

  describe('consents', () => {
    it('lists them, and withdrawing one revokes that client’s refresh tokens and asks again', async () => {
      const consenting = await createUser(t);
      const agent = browser(t);
      const { challenge, verifier } = pkce();
      const params = { client_id: client.clientId, redirect_uri: REDIRECT, scope: 'notes:read', code_challenge: challenge, code_challenge_method: 'S256' };
      const query = await signInForCode(agent, params, consenting);
      const tokens = await exchange(query.code, verifier);
      expectStatus(tokens, 200);

      const own = `Bearer ${(await passwordLogin(t, consenting)).access_token}`;
      const list = await t.http().get('/me/consents').set('Authorization', own);
      expectStatus(list, 200);
      expect(list.body).toEqual([{ client_id: client.clientId, client_name: 'Acme Notes', scopes: ['notes:read'], granted_at: expect.any(String) }]);

      // The third-party client's own token may neither read nor withdraw consents.
      const thirdParty = `Bearer ${tokens.body.access_token}`;
      expect((await t.http().get('/me/consents').set('Authorization', thirdParty)).status).toBe(403);
      expect((await t.http().delete(`/me/consents/${client.clientId}`).set('Authorization', thirdParty)).status).toBe(403);

      expect((await t.http().get('/notes').set('Authorization', thirdParty)).status).toBe(200);
      expect((await t.http().delete(`/me/consents/${client.clientId}`).set('Authorization', own)).status).toBe(204);
      // Its access token dies at once too: it carries its family as sid, and the family ended.
      expect((await t.http().get('/notes').set('Authorization', thirdParty)).status).toBe(401);
      expect((await t.http().delete(`/me/consents/${client.clientId}`).set('Authorization', own)).status).toBe(404);
      const refresh = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, client);
      expect(refresh.body.error).toBe('invalid_grant');
      expect((await t.http().get('/me/consents').set('Authorization', own)).body).toEqual([]);
      const again = await authorize(agent, params);
      expect(again.status).toBe(200);
      expect(again.text).toContain('name="decision"');
    });
  });

  it('the metadata names the authorization endpoint, S256 and RFC 9207', async () => {
    const res = await t.http().get('/.well-known/oauth-authorization-server');
    expect(res.body).toMatchObject({
      authorization_endpoint: `${ISSUER}/oauth/authorize`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      grant_types_supported: expect.arrayContaining(['authorization_code']),
    });
  });
});

describe('Browser sign-in behind an https issuer', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('the session cookie is __Host- prefixed and Secure', async () => {
    t = await startApp({ env: { ISSUER: 'https://login.example' } });
    const client = await insertClient(t, { redirectUris: [REDIRECT] });
    const user = await createUser(t);
    const agent = browser(t);
    const { challenge } = pkce();
    const login = await authorize(agent, { client_id: client.clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' });
    const csrfCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-gatehouse_csrf='));
    expect(csrfCookie).toMatch(/Secure/);
    // A client of plain http keeps Secure cookies to itself; sent by hand, as a browser over https would.
    const { action, fields } = formOf(login.text);
    const consent = await t
      .http()
      .post(action)
      .set('Cookie', csrfCookie!.split(';')[0])
      .type('form')
      .send({ ...fields, username: user.username, password: user.password });
    expect(consent.status).toBe(200);
    const cookies = ([] as string[]).concat(consent.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.startsWith('__Host-gatehouse_session='));
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Domain=/i);
  });
});
