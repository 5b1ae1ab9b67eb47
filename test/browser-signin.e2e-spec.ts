import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { startListeningApp, type TestApp } from './support/app.js';
import { expectAccessible, launchBrowser, screenshotIfAsked } from './support/browser.js';
import { approvedClient, createUser, registerClient, review, type TestUser } from './support/clients.js';
import { adminAuth } from './support/oauth.js';

const WEB_CALLBACK = 'https://notes.example/callback';
const SPA_CALLBACK = 'https://spa.example/callback';
const README_IMAGES = new URL('../docs/images/', import.meta.url).pathname;

/**
 * The browser flow end to end, as a third-party app and its user live it:
 * openid-client (a certified relying-party library) finds everything from the
 * metadata alone, builds the authorization URL with PKCE and state, and
 * Chromium signs in and consents through the real pages.
 */
describe('browser sign-in with Chromium and openid-client', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let admin: string;
  let owner: TestUser;
  let user: TestUser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startListeningApp();
    admin = await adminAuth(t);
    owner = await createUser(t, admin, 'app-maker');
    user = await createUser(t, admin, 'alice');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    // The apps' callbacks are answered here, standing in for the apps.
    for (const callback of [WEB_CALLBACK, SPA_CALLBACK]) {
      await page.route(`${callback}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }));
    }
  });
  afterEach(async () => {
    await context.close();
  });

  async function signIn(authorizationUrl: URL, decision: 'Allow' | 'Deny' = 'Allow', options: { audit?: boolean; screenshots?: boolean } = {}) {
    await page.goto(authorizationUrl.href);
    expect(await page.title()).toContain('Sign in');
    if (options.audit) await expectAccessible(page, 'login page');
    if (options.screenshots) await screenshotIfAsked(page, `${README_IMAGES}signin-login.png`);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    if (options.audit) await expectAccessible(page, 'consent page');
    if (options.screenshots) await screenshotIfAsked(page, `${README_IMAGES}signin-consent.png`);
    // The browser leaves for the app's callback: what it asks for there is the authorization response.
    const [back] = await Promise.all([
      page.waitForRequest((request) => request.url().startsWith(WEB_CALLBACK) || request.url().startsWith(SPA_CALLBACK)),
      page.getByRole('button', { name: decision }).click(),
    ]);
    return new URL(back.url());
  }

  /** RFC 8414 discovery from the issuer alone, as a new user of the README would do it. */
  function discover(clientId: string, auth: oidc.ClientAuth): Promise<oidc.Configuration> {
    // The test server listens on plain http on loopback; a real deployment is https and needs no such option.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    return oidc.discovery(new URL(t.baseUrl), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests], algorithm: 'oauth2' });
  }

  async function authorizationRequest(config: oidc.Configuration, redirectUri: string, scope: string) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url, verifier, state };
  }

  it('a confidential web app: sign in, consent, exchange, call /me and /notes; the pages pass axe', async () => {
    const { credentials } = await approvedClient(t, owner, admin, {
      name: 'Acme Notes',
      description: 'Your notes, anywhere',
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['notes:read', 'notes:write'],
      redirect_uris: [WEB_CALLBACK],
    });
    const config = await discover(credentials.clientId, oidc.ClientSecretBasic(credentials.clientSecret));
    const { url, verifier, state } = await authorizationRequest(config, WEB_CALLBACK, 'notes:read notes:write');
    const callback = await signIn(url, 'Allow', { audit: true, screenshots: true });
    expect(callback.searchParams.get('iss')).toBe(t.baseUrl);

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.scope).toBe('notes:read notes:write');
    expect(tokens.refresh_token).toBeDefined();
    const me = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(`${t.baseUrl}/me`), 'GET');
    expect(await me.json()).toMatchObject({ username: 'alice', scope: 'notes:read notes:write' });
    const created = await oidc.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${t.baseUrl}/notes`),
      'POST',
      JSON.stringify({ title: 'hi', body: 'from the browser' }),
      new Headers({ 'Content-Type': 'application/json' }),
    );
    expect(created.status).toBe(201);
    const notes = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(`${t.baseUrl}/notes`), 'GET');
    expect(notes.status).toBe(200);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
  });

  it('a third-party SPA registered as a public client, approved by an admin, signs the user in and calls a guarded route', async () => {
    const registered = await registerClient(t, owner.auth, {
      name: 'Notes SPA',
      description: 'A single-page app with no secret',
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['notes:read'],
      redirect_uris: [SPA_CALLBACK],
      token_endpoint_auth_method: 'none',
    });
    const approved = await review(t, admin, registered.id, 'approve', { note: 'reviewed' });
    const config = await discover(approved.client_id!, oidc.None());
    const { url, verifier, state } = await authorizationRequest(config, SPA_CALLBACK, 'notes:read');
    const callback = await signIn(url);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const notes = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(`${t.baseUrl}/notes`), 'GET');
    expect(notes.status).toBe(200);
    // Beyond the consented scope: openid-client surfaces the RFC 6750 challenge as an error.
    const write = oidc.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${t.baseUrl}/notes`),
      'POST',
      JSON.stringify({ title: 'x', body: 'y' }),
      new Headers({ 'Content-Type': 'application/json' }),
    );
    await expect(write).rejects.toMatchObject({
      status: 403,
      cause: [expect.objectContaining({ parameters: expect.objectContaining({ error: 'insufficient_scope' }) })],
    });
  });

  it('deny: the app gets access_denied, which openid-client reports as such', async () => {
    const { credentials } = await approvedClient(t, owner, admin, {
      name: 'Denied app',
      grant_types: ['authorization_code'],
      scopes: ['notes:read'],
      redirect_uris: [WEB_CALLBACK],
    });
    const config = await discover(credentials.clientId, oidc.ClientSecretBasic(credentials.clientSecret));
    const { url, verifier, state } = await authorizationRequest(config, WEB_CALLBACK, 'notes:read');
    const callback = await signIn(url, 'Deny');
    await expect(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state })).rejects.toMatchObject({
      error: 'access_denied',
    });
  });

  it('the pages load nothing but themselves and break no CSP rule', async () => {
    const { credentials } = await approvedClient(t, owner, admin, {
      name: 'CSP app',
      grant_types: ['authorization_code'],
      scopes: ['notes:read'],
      redirect_uris: [WEB_CALLBACK],
    });
    const config = await discover(credentials.clientId, oidc.ClientSecretBasic(credentials.clientSecret));
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const { url } = await authorizationRequest(config, WEB_CALLBACK, 'notes:read');
    await signIn(url);
    expect(problems).toEqual([]);
    const foreign = requested.filter((address) => !address.startsWith(t.baseUrl) && !address.startsWith(WEB_CALLBACK));
    expect(foreign).toEqual([]);
    expect(requested).toContain(`${t.baseUrl}/signin/assets/signin.css`);
  });
});
