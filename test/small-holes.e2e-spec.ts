import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditService } from '../src/audit/audit.service.js';
import { TokenEndpointService } from '../src/auth/oauth/token-endpoint.service.js';
import { FIRST_PARTY, startListeningApp, type TestApp } from './support/app.js';
import { adminAuth, basic, expectStatus, tokenRequest } from './support/oauth.js';
import { expectCleanError, expectOAuthError, send } from './support/raw-http.js';

/**
 * Issue 12, the smaller holes found beside the big ones, each tried as an
 * attacker would: what /docs gives away, bodies in another charset, a
 * password typed as a username landing in the audit log, and Nest's error
 * shape leaking out of an OAuth endpoint.
 */
describe('smaller holes', () => {
  let t: TestApp & { baseUrl: string };
  beforeAll(async () => {
    t = await startListeningApp({ env: { RATE_LIMIT_PER_MINUTE: '0', LOGIN_FAILURES_BEFORE_LOCKOUT: '1000' } });
  });
  afterAll(() => t.close());
  afterEach(() => vi.restoreAllMocks());

  describe('/docs serves the Swagger UI and nothing else of swagger-ui-dist', () => {
    it.each(['/docs', '/docs/', '/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui-standalone-preset.js', '/docs/swagger-ui-init.js'])(
      'serves %s',
      async (path) => {
        const res = await t.http().get(path);
        expect(res.status, path).toBe(200);
      },
    );

    it('serves every asset the page itself names', async () => {
      const page = (await t.http().get('/docs').expect(200)).text;
      const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1], `${t.baseUrl}/docs`).pathname);
      expect(assets.length).toBeGreaterThan(3);
      for (const asset of assets) expect((await t.http().get(asset)).status, asset).toBe(200);
    });

    it.each([
      '/docs/package.json',
      '/docs/README.md',
      '/docs/LICENSE',
      '/docs/NOTICE',
      '/docs/swagger-ui-bundle.js.map',
      '/docs/swagger-ui.css.map',
      '/docs/absolute-path.js',
      '/docs/index.js',
      '/docs/swagger-ui-es-bundle.js',
      '/docs/oauth2-redirect.html',
      '/docs/log.bundle-sizes.swagger-ui.txt',
      '/docs/package%2Ejson',
      '/docs/./package.json',
      '/docs/package.json?x=1',
    ])('answers %s with a JSON 404', async (path) => {
      const res = await send(t.baseUrl, { method: 'GET', path });
      expectCleanError(res, 404, path);
      expect(res.text).not.toContain('swagger-ui-dist');
    });
  });

  describe('a body that declares a charset other than UTF-8', () => {
    const utf16 = (text: string) => Buffer.from(text, 'utf16le');

    it.each(['utf-16', 'UTF-16LE', 'iso-8859-1', '"windows-1252"'])('is 415 on a JSON route (charset=%s), never read as UTF-8', async (charset) => {
      const res = await send(t.baseUrl, {
        method: 'POST',
        path: '/admin/users',
        headers: { 'Content-Type': `application/json; charset=${charset}`, Authorization: await adminAuth(t) },
        body: '{"username":"charset-user","password":"charset-password-1","roles":[]}',
      });
      const body = expectCleanError(res, 415, charset);
      expect(body).toMatchObject({ statusCode: 415, message: expect.stringContaining('UTF-8') });
    });

    it('is 400 invalid_request at the token endpoint, as a form or as JSON', async () => {
      for (const type of ['application/x-www-form-urlencoded', 'application/json']) {
        const text = type.endsWith('json') ? '{"grant_type":"client_credentials"}' : 'grant_type=client_credentials';
        const res = await send(t.baseUrl, {
          method: 'POST',
          path: '/oauth/token',
          headers: { 'Content-Type': `${type}; charset=utf-16`, Authorization: basic(FIRST_PARTY) },
          body: utf16(text),
        });
        expectOAuthError(res, 400, 'invalid_request', type);
      }
    });

    it('is read as usual when the charset is UTF-8, however it is written', async () => {
      for (const charset of ['utf-8', 'UTF-8', '"utf-8"', 'utf8']) {
        const res = await send(t.baseUrl, {
          method: 'POST',
          path: '/oauth/revoke',
          headers: { 'Content-Type': `application/x-www-form-urlencoded; charset=${charset}`, Authorization: basic(FIRST_PARTY) },
          body: 'token=not-a-token',
        });
        expect(res.status, charset).toBe(200);
      }
    });
  });

  describe('a failed login for a username that names no account', () => {
    it('is audited as unknown, with a keyed digest for correlation and never the typed text', async () => {
      const typed = 'Correct-Horse-Battery-Staple-9d1e';
      for (let i = 0; i < 2; i++) expectStatus(await tokenRequest(t, { grant_type: 'password', username: typed, password: 'x' }), 400);
      expectStatus(await tokenRequest(t, { grant_type: 'password', username: `${typed}-other`, password: 'x' }), 400);
      const auth = await adminAuth(t);
      const res = await t.http().get('/admin/audit?type=login.failed&limit=3').set('Authorization', auth).expect(200);
      const details = (res.body.items as { details: Record<string, string> }[]).map((item) => item.details);
      expect(details).toHaveLength(3);
      for (const detail of details) {
        expect(detail).toEqual({ account: 'unknown', username_digest: expect.stringMatching(/^[0-9a-f]{16}$/), client_id: FIRST_PARTY.clientId });
      }
      // Newest first: the other text, then the same text twice.
      expect(details[1].username_digest).toBe(details[2].username_digest);
      expect(details[0].username_digest).not.toBe(details[1].username_digest);
      const everything = await t.http().get('/admin/audit?limit=100').set('Authorization', auth).expect(200);
      expect(JSON.stringify(everything.body).toLowerCase()).not.toContain('correct-horse');
    });

    it('still names an account that exists', async () => {
      expectStatus(await tokenRequest(t, { grant_type: 'password', username: 'admin', password: 'wrong-password-for-admin' }), 400);
      const res = await t
        .http()
        .get('/admin/audit?type=login.failed&limit=1')
        .set('Authorization', await adminAuth(t))
        .expect(200);
      expect(res.body.items[0].details).toEqual({ username: 'admin', client_id: FIRST_PARTY.clientId });
    });
  });

  describe('an unexpected error on an OAuth endpoint', () => {
    it('answers 500 in RFC 6749 shape (server_error, no-store) with the request id and no internals', async () => {
      vi.spyOn(t.app.get(TokenEndpointService), 'exchange').mockRejectedValue(new Error('SQLITE_BUSY: database is locked at /work/src/x.ts:1:1'));
      const res = await send(t.baseUrl, {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(FIRST_PARTY), 'X-Request-Id': 'fault-1' },
        body: 'grant_type=client_credentials',
      });
      expectOAuthError(res, 500, 'server_error');
      expect(JSON.parse(res.text)).toEqual({ error: 'server_error', error_description: 'Internal server error (request id fault-1)' });
    });

    it("keeps Nest's shape on the other routes", async () => {
      const authorization = await adminAuth(t);
      vi.spyOn(t.app.get(AuditService), 'list').mockRejectedValue(new Error('boom'));
      const res = await send(t.baseUrl, { method: 'GET', path: '/admin/audit', headers: { Authorization: authorization, 'X-Request-Id': 'fault-2' } });
      expect(expectCleanError(res, 500)).toEqual({ statusCode: 500, message: 'Internal server error', requestId: 'fault-2' });
    });
  });
});
