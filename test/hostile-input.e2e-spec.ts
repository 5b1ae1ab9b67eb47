import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../src/common/http/body-parsers.js';
import { ADMIN, FIRST_PARTY, startListeningApp, type TestApp } from './support/app.js';
import { machineClient } from './support/clients.js';
import { basic, type ClientCredentials, expectStatus, passwordLogin } from './support/oauth.js';
import { expectCleanError, expectOAuthError, type RawResponse, send, sendBytes } from './support/raw-http.js';

/**
 * Issue 6, hostile input: every endpoint answers malformed input with a 4xx
 * JSON body that gives nothing internal away. Requests are written at the
 * byte level (support/raw-http.ts), so nothing is repaired on the way.
 */

/** The throttling and lockout of issue 6 are tested elsewhere; here they must not get in the way. */
const NO_LIMITS = { RATE_LIMIT_PER_MINUTE: '0', LOGIN_FAILURES_BEFORE_LOCKOUT: '1000' };

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64');
const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

interface Endpoint {
  name: string;
  method: string;
  path: string;
  /** The OAuth endpoints speak RFC 6749 §5.2. */
  oauth: boolean;
  /** A body that the endpoint would accept, as JSON. */
  valid: Record<string, unknown>;
  /** A parameter whose shape is attacked (a string, or a list of strings when `list`). */
  field: string;
  list?: boolean;
}

describe('hostile input', () => {
  let t: TestApp & { baseUrl: string };
  let adminBearer: string;
  let userId: string;
  let accessToken: string;
  let kid: string;
  /** A client whose well-formed token request succeeds: client_credentials needs a machine client. */
  let machine: ClientCredentials;

  /** The credentials each endpoint needs, so that the attack reaches the body. */
  const authFor = (endpoint: Endpoint) => (endpoint.oauth ? basic(machine) : adminBearer);
  const call = (endpoint: Endpoint, headers: Record<string, string>, body?: string | Buffer, extra: { chunked?: boolean } = {}) =>
    send(t.baseUrl, { method: endpoint.method, path: endpoint.path, headers: { Authorization: authFor(endpoint), ...headers }, body, ...extra });
  const expectRefused = (endpoint: Endpoint, res: RawResponse, status: number | readonly number[], label: string) =>
    endpoint.oauth
      ? expectOAuthError(res, status, 'invalid_request', `${endpoint.name}: ${label}`)
      : expectCleanError(res, status, `${endpoint.name}: ${label}`);

  let bodyEndpoints: Endpoint[];
  const oauthEndpoints = () => bodyEndpoints.filter((endpoint) => endpoint.oauth);

  beforeAll(async () => {
    t = await startListeningApp({ env: NO_LIMITS });
    const login = await passwordLogin(t);
    accessToken = login.access_token;
    adminBearer = `Bearer ${accessToken}`;
    kid = JSON.parse(Buffer.from(accessToken.split('.')[0], 'base64url').toString()).kid as string;
    machine = await machineClient(t, ['notes:read', 'introspect']);
    const user = await t
      .http()
      .post('/admin/users')
      .set('Authorization', adminBearer)
      .send({ username: 'target', password: 'target-password', roles: ['user'] });
    expectStatus(user, 201);
    userId = user.body.id as string;
    expectStatus(
      await t
        .http()
        .post('/admin/roles')
        .set('Authorization', adminBearer)
        .send({ name: 'target-role', permissions: ['notes:read'] }),
      201,
    );
    bodyEndpoints = [
      { name: 'POST /oauth/token', method: 'POST', path: '/oauth/token', oauth: true, valid: { grant_type: 'client_credentials' }, field: 'grant_type' },
      { name: 'POST /oauth/revoke', method: 'POST', path: '/oauth/revoke', oauth: true, valid: { token: 'x' }, field: 'token' },
      { name: 'POST /oauth/introspect', method: 'POST', path: '/oauth/introspect', oauth: true, valid: { token: 'x' }, field: 'token' },
      {
        name: 'POST /admin/users',
        method: 'POST',
        path: '/admin/users',
        oauth: false,
        valid: { username: 'someone', password: 'long-enough', roles: [] },
        field: 'username',
      },
      { name: 'PATCH /admin/users/:id', method: 'PATCH', path: `/admin/users/${userId}`, oauth: false, valid: { roles: ['user'] }, field: 'roles', list: true },
      { name: 'POST /admin/roles', method: 'POST', path: '/admin/roles', oauth: false, valid: { name: 'another-role', permissions: [] }, field: 'name' },
      {
        name: 'PATCH /admin/roles/:name',
        method: 'PATCH',
        path: '/admin/roles/target-role',
        oauth: false,
        valid: { permissions: ['notes:read'] },
        field: 'permissions',
        list: true,
      },
    ];
  });
  afterAll(() => t.close());

  it('the raw client itself works: a well-formed request to each endpoint is answered 2xx', async () => {
    for (const endpoint of bodyEndpoints) {
      const res = await call(endpoint, { 'Content-Type': 'application/json' }, JSON.stringify(endpoint.valid));
      expect(res.status, `${endpoint.name} ${res.text}`).toBeLessThan(300);
    }
    const form = await send(t.baseUrl, {
      method: 'POST',
      path: '/oauth/token',
      headers: { Authorization: basic(machine), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=notes%3Aread',
    });
    expect(JSON.parse(form.text)).toMatchObject({ token_type: 'Bearer', scope: 'notes:read' });
    for (const path of ['/me', '/admin/users', '/admin/roles', '/admin/audit?limit=5']) {
      expect((await send(t.baseUrl, { method: 'GET', path, headers: { Authorization: adminBearer } })).status, path).toBe(200);
    }
  });

  describe('bodies over the size limit', () => {
    it(`answers 413 to a body of more than ${BODY_LIMIT_BYTES} bytes, with or without a Content-Length`, async () => {
      for (const endpoint of bodyEndpoints) {
        const json = JSON.stringify({ ...endpoint.valid, padding: 'a'.repeat(BODY_LIMIT_BYTES) });
        expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/json' }, json), 413, 'JSON');
        expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/json' }, json, { chunked: true }), 413, 'chunked JSON');
        const form = `${endpoint.field}=${'a'.repeat(BODY_LIMIT_BYTES)}`;
        expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/x-www-form-urlencoded' }, form), 413, 'form');
      }
    });

    it('reads a body just under the limit (the limit is not lower than documented)', async () => {
      const endpoint = bodyEndpoints[0];
      const prefix = 'grant_type=client_credentials&padding=';
      const res = await call(endpoint, { 'Content-Type': 'application/x-www-form-urlencoded' }, prefix + 'a'.repeat(BODY_LIMIT_BYTES - prefix.length));
      expect(res.status, res.text).toBe(200);
    });
  });

  describe('wrong content types', () => {
    const CASES: [string, string | undefined, string][] = [
      ['text/plain', 'text/plain', 'grant_type=client_credentials'],
      ['XML', 'application/xml', '<grant_type>client_credentials</grant_type>'],
      ['multipart', 'multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--xyz--\r\n'],
      ['octet-stream', 'application/octet-stream', '\x00\x01\x02'],
      ['no content type', undefined, 'grant_type=client_credentials'],
      ['a media type that is not one', 'not a media type', 'x'],
      ['JSON labelled as a form', 'application/x-www-form-urlencoded', '{"grant_type":"client_credentials"}'],
      ['a form labelled as JSON', 'application/json', 'grant_type=client_credentials'],
      ['empty JSON', 'application/json', ''],
      ['truncated JSON', 'application/json', '{"grant_type":"client_'],
    ];

    it('refuses each with a 4xx JSON answer; the OAuth endpoints say invalid_request', async () => {
      for (const endpoint of bodyEndpoints) {
        for (const [label, type, body] of CASES) {
          const res = await call(endpoint, type === undefined ? {} : { 'Content-Type': type }, body);
          expectRefused(endpoint, res, [400, 415], label);
        }
      }
    });
  });

  describe('duplicated parameters', () => {
    it('refuses a repeated OAuth parameter (RFC 6749 §3.2) as invalid_request', async () => {
      for (const endpoint of oauthEndpoints()) {
        const form = `${endpoint.field}=a&${endpoint.field}=b`;
        const res = await call(endpoint, { 'Content-Type': 'application/x-www-form-urlencoded' }, form);
        expectRefused(endpoint, res, 400, 'repeated');
        expect(JSON.parse(res.text).error_description).toMatch(/repeated/);
      }
    });

    it('refuses repeated client credentials in the body', async () => {
      const form = `grant_type=client_credentials&client_id=${FIRST_PARTY.clientId}&client_id=${FIRST_PARTY.clientId}&client_secret=${FIRST_PARTY.clientSecret}`;
      const res = await send(t.baseUrl, { method: 'POST', path: '/oauth/token', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
      expectOAuthError(res, 400, 'invalid_request', 'repeated client_id');
    });

    it('refuses a repeated query parameter on the admin lists', async () => {
      for (const path of ['/admin/users', '/admin/roles', '/admin/audit']) {
        expectCleanError(await send(t.baseUrl, { method: 'GET', path: `${path}?limit=1&limit=2`, headers: { Authorization: adminBearer } }), 400, path);
      }
    });
  });

  describe('non-string JSON values', () => {
    const VALUES: unknown[] = [5, 1.5, true, null, [], ['a', 'b'], {}, { nested: 'x' }];

    it('refuses each where a string belongs', async () => {
      for (const endpoint of bodyEndpoints) {
        for (const value of VALUES) {
          const body = JSON.stringify({ ...endpoint.valid, [endpoint.field]: endpoint.list ? [value] : value });
          expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/json' }, body), 400, `${endpoint.field}=${JSON.stringify(value)}`);
        }
      }
    });

    it('refuses a body that is JSON but not an object', async () => {
      for (const endpoint of bodyEndpoints) {
        for (const body of ['"a string"', '42', '[]', '[{"grant_type":"client_credentials"}]', 'null', 'true']) {
          expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/json' }, body), 400, body);
        }
      }
    });

    it('refuses client credentials that are not strings', async () => {
      for (const secret of [12345, ['a'], { a: 1 }, null]) {
        const body = JSON.stringify({ grant_type: 'client_credentials', client_id: FIRST_PARTY.clientId, client_secret: secret });
        const res = await send(t.baseUrl, { method: 'POST', path: '/oauth/token', headers: { 'Content-Type': 'application/json' }, body });
        expectCleanError(res, [400, 401], JSON.stringify(secret));
        expect(JSON.parse(res.text).error).toMatch(/^invalid_(request|client)$/);
      }
    });

    it('refuses JSON nested deeper than any request of ours', async () => {
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const deepArray = `{"roles":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      for (const endpoint of bodyEndpoints) {
        expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/json' }, deep), 400, 'deep object');
        expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/json' }, deepArray), 400, 'deep array');
      }
    });

    it('refuses prototype poisoning in JSON and in forms', async () => {
      for (const endpoint of bodyEndpoints) {
        expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/json' }, '{"__proto__":{"admin":true}}'), 400, '__proto__');
        expectRefused(
          endpoint,
          await call(endpoint, { 'Content-Type': 'application/json' }, '{"constructor":{"prototype":{"admin":true}}}'),
          400,
          'constructor.prototype',
        );
        expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/x-www-form-urlencoded' }, '__proto__=x'), 400, 'form __proto__');
      }
    });
  });

  describe('NUL bytes', () => {
    it('refuses NUL in any OAuth parameter, form or JSON', async () => {
      const login = { grant_type: 'password', username: ADMIN.username, password: ADMIN.password, scope: 'notes:read' };
      const cases: [string, Record<string, string>, string[]][] = [
        ['/oauth/token', login, ['grant_type', 'username', 'password', 'scope', 'client_id', 'client_secret']],
        ['/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x' }, ['refresh_token']],
        ['/oauth/revoke', { token: 'x', token_type_hint: 'refresh_token' }, ['token', 'token_type_hint', 'client_id', 'client_secret']],
        ['/oauth/introspect', { token: 'x', token_type_hint: 'access_token' }, ['token', 'token_type_hint', 'client_id', 'client_secret']],
      ];
      for (const [path, base, params] of cases) {
        const endpoint = bodyEndpoints.find((e) => e.path === path)!;
        // The user grants are the bootstrap client's; the machine client may not use them.
        const client: Record<string, string> = path === '/oauth/token' ? { Authorization: basic(FIRST_PARTY) } : {};
        for (const param of params) {
          const values = { ...base, [param]: 'a\u0000b' };
          const form = new URLSearchParams(values).toString();
          expectRefused(endpoint, await call(endpoint, { ...client, 'Content-Type': 'application/x-www-form-urlencoded' }, form), 400, `form ${param}`);
          expectRefused(endpoint, await call(endpoint, { ...client, 'Content-Type': 'application/json' }, JSON.stringify(values)), 400, `JSON ${param}`);
        }
      }
    });

    it('refuses NUL in the admin bodies', async () => {
      for (const endpoint of bodyEndpoints.filter((e) => !e.oauth)) {
        for (const [field, value] of Object.entries(endpoint.valid)) {
          const nul = typeof value === 'string' ? 'ab\u0000cd-efgh' : Array.isArray(value) ? ['a\u0000b'] : value;
          if (nul === value) continue;
          const res = await call(endpoint, { 'Content-Type': 'application/json' }, JSON.stringify({ ...endpoint.valid, [field]: nul }));
          expectCleanError(res, 400, `${endpoint.name} ${field}`);
        }
      }
    });

    it('refuses NUL in paths and query strings, on every dialect, before it reaches the database', async () => {
      const paths = [
        ['PATCH', `/admin/users/%00`],
        ['PATCH', '/admin/roles/%00'],
        ['PATCH', '/admin/roles/target%00role'],
        ['GET', '/admin/audit?user=%00'],
        ['GET', '/admin/audit?client=a%00&actor=b%00'],
        ['GET', '/admin/users?limit=%00'],
        ['GET', '/me?x=%00'],
        ['POST', '/oauth/token?grant_type=%00'],
      ] as const;
      for (const [method, path] of paths) {
        const headers: Record<string, string> = {
          Authorization: path.startsWith('/oauth/') ? basic(FIRST_PARTY) : adminBearer,
          'Content-Type': 'application/json',
        };
        const res = await send(t.baseUrl, { method, path, headers, body: method === 'GET' ? undefined : '{"permissions":[]}' });
        if (path.startsWith('/oauth/')) expectOAuthError(res, 400, 'invalid_request', path);
        else expectCleanError(res, 400, path);
      }
    });

    it('answers a raw NUL in the request line or a header with a 400 before any route runs', async () => {
      for (const head of ['GET /me\u0000 HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /me HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n']) {
        expectCleanError(await sendBytes(t.baseUrl, Buffer.from(head, 'latin1')), 400, JSON.stringify(head));
      }
    });

    it('refuses client credentials with NUL in them as failed client authentication (401 invalid_client)', async () => {
      for (const credentials of ['first-party\u0000:x', 'a%00b:secret', `${FIRST_PARTY.clientId}:${FIRST_PARTY.clientSecret}\u0000`]) {
        const res = await send(t.baseUrl, {
          method: 'POST',
          path: '/oauth/token',
          headers: { Authorization: `Basic ${b64(credentials)}`, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        });
        expectOAuthError(res, 401, 'invalid_client', JSON.stringify(credentials));
      }
    });
  });

  describe('invalid UTF-8', () => {
    const INVALID = [
      Buffer.from([0xff]),
      Buffer.from([0xc3]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
    ];

    it('refuses a form or JSON body that is not UTF-8 (never read as U+FFFD)', async () => {
      for (const endpoint of bodyEndpoints) {
        for (const bytes of INVALID) {
          const form = Buffer.concat([Buffer.from(`${endpoint.field}=a`), bytes, Buffer.from('b')]);
          expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/x-www-form-urlencoded' }, form), 400, `form ${bytes.toString('hex')}`);
          const json = Buffer.concat([Buffer.from(`{"${endpoint.field}":"a`), bytes, Buffer.from('b"}')]);
          expectRefused(endpoint, await call(endpoint, { 'Content-Type': 'application/json' }, json), 400, `JSON ${bytes.toString('hex')}`);
        }
      }
    });

    it('refuses a form whose percent-encoding is malformed or decodes to invalid UTF-8', async () => {
      for (const endpoint of oauthEndpoints()) {
        for (const value of ['%FF', '%C3', '%ED%A0%80', '%zz', '%', 'a%2']) {
          const res = await call(endpoint, { 'Content-Type': 'application/x-www-form-urlencoded' }, `${endpoint.field}=${value}`);
          expectRefused(endpoint, res, 400, value);
        }
      }
    });

    it('answers invalid UTF-8 in a password login with invalid_request, not with a login attempt', async () => {
      const form = Buffer.concat([Buffer.from(`grant_type=password&username=${ADMIN.username}&password=`), Buffer.from([0xff, 0xfe])]);
      const res = await send(t.baseUrl, {
        method: 'POST',
        path: '/oauth/token',
        headers: { Authorization: basic(FIRST_PARTY), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      expectOAuthError(res, 400, 'invalid_request', 'password bytes');
    });

    it('answers invalid UTF-8 in paths, query strings and headers with 4xx JSON', async () => {
      const cases: [string, string, Record<string, string>][] = [
        ['PATCH', '/admin/roles/%FF%FE', { Authorization: adminBearer }],
        ['PATCH', '/admin/users/%C3', { Authorization: adminBearer }],
        ['GET', '/admin/audit?type=%FF', { Authorization: adminBearer }],
        ['GET', '/me', { Authorization: 'Bearer \xff\xfe' }],
        ['POST', '/oauth/token', { Authorization: `Basic \xff\xfe` }],
      ];
      for (const [method, path, headers] of cases) {
        const res = await send(t.baseUrl, {
          method,
          path,
          headers: { 'Content-Type': 'application/json', ...headers },
          body: method === 'GET' ? undefined : '{}',
        });
        expectCleanError(res, undefined, `${method} ${path}`);
      }
    });
  });

  describe('huge headers', () => {
    it('answers headers over 16 KiB with 431 and a JSON body, on every endpoint', async () => {
      const targets = [...bodyEndpoints.map((e) => [e.method, e.path] as const), ['GET', '/me'] as const, ['GET', '/admin/audit'] as const];
      for (const [method, path] of targets) {
        const oneHuge = await send(t.baseUrl, { method, path, headers: { Authorization: adminBearer, 'X-Filler': 'a'.repeat(20_000) } });
        expectCleanError(oneHuge, 431, `${path} one header`);
        const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`X-Filler-${i}`, 'b'.repeat(50)]));
        expectCleanError(await send(t.baseUrl, { method, path, headers: many }), 431, `${path} many headers`);
        const hugeAuth = await send(t.baseUrl, { method, path, headers: { Authorization: `Bearer ${'c'.repeat(20_000)}` } });
        expectCleanError(hugeAuth, 431, `${path} huge Authorization`);
      }
    });

    it('reads a large header that fits, and refuses the credentials in it', async () => {
      const me = await send(t.baseUrl, { method: 'GET', path: '/me', headers: { Authorization: `Bearer ${'d'.repeat(12_000)}` } });
      expectCleanError(me, 401, 'long bearer');
      const token = await send(t.baseUrl, {
        method: 'POST',
        path: '/oauth/token',
        headers: { Authorization: `Basic ${b64(`${'e'.repeat(6_000)}:${'f'.repeat(3_000)}`)}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expectOAuthError(token, 401, 'invalid_client', 'long basic');
    });
  });

  describe('malformed Basic credentials', () => {
    const MALFORMED_BASIC = [
      'Basic',
      'Basic ',
      'Basic !!!',
      'Basic ====',
      `Basic ${b64('no-colon-at-all')}`,
      `Basic ${b64(':secret-without-id')}`,
      `Basic ${b64('id-without-secret:')}`,
      `Basic ${b64('%zz:bad-escape')}`,
      `Basic ${b64('id:%E0%A4%A')}`,
      `Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0xc3]))}`,
      `Basic ${b64(`${FIRST_PARTY.clientId}:${FIRST_PARTY.clientSecret}`)} trailing`,
      `Basic  ${b64(`${FIRST_PARTY.clientId}:wrong`)}`,
      `Basic ${'A'.repeat(8_000)}`,
      `Bearer ${b64(`${FIRST_PARTY.clientId}:${FIRST_PARTY.clientSecret}`)}`,
      'Digest username="x"',
      b64(`${FIRST_PARTY.clientId}:${FIRST_PARTY.clientSecret}`),
    ];

    it('answers each at every client-authenticated endpoint with 401 invalid_client', async () => {
      for (const endpoint of oauthEndpoints()) {
        for (const authorization of MALFORMED_BASIC) {
          const res = await send(t.baseUrl, {
            method: 'POST',
            path: endpoint.path,
            headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(endpoint.valid as Record<string, string>).toString(),
          });
          expectOAuthError(res, 401, 'invalid_client', `${endpoint.name} ${authorization.slice(0, 40)}`);
        }
      }
    });
  });

  describe('malformed Bearer credentials', () => {
    const forged = () => {
      const header = (h: Record<string, unknown>) => b64url(h);
      const realPayload = accessToken.split('.')[1];
      const [realHeader, , realSignature] = accessToken.split('.');
      const hs256Input = `${header({ alg: 'HS256', typ: 'at+jwt', kid })}.${realPayload}`;
      return [
        'Bearer',
        'Bearer ',
        'Bearer  two-spaces',
        'Bearer a b',
        'Bearer a.b.c',
        'Bearer ...',
        'Bearer ====',
        `Bearer ${'x'.repeat(12_000)}`,
        `Bearer ${header({ alg: 'none', typ: 'at+jwt', kid })}.${realPayload}.`,
        `Bearer ${header({ alg: 'none', typ: 'at+jwt' })}.${realPayload}.`,
        `Bearer ${hs256Input}.${createHmac('sha256', kid).update(hs256Input).digest('base64url')}`,
        `Bearer ${header({ alg: 'ES256', typ: 'at+jwt', kid: '../../../etc/passwd' })}.${realPayload}.${realSignature}`,
        `Bearer ${header({ alg: 'ES256', typ: 'at+jwt', kid: { $ne: null } })}.${realPayload}.${realSignature}`,
        `Bearer ${header({ alg: 'ES256', typ: 'at+jwt', kid: ['a'] })}.${realPayload}.${realSignature}`,
        `Bearer ${header({ alg: 'ES256', typ: 'JWT', kid })}.${realPayload}.${realSignature}`,
        `Bearer ${header({ alg: 'ES256', typ: 'at+jwt', kid, jku: 'http://127.0.0.1:1/jwks' })}.${realPayload}.${realSignature}`,
        `Bearer ${b64url('not json')}.${realPayload}.${realSignature}`,
        `Bearer ${realHeader}.${b64url('not json')}.${realSignature}`,
        `Bearer ${realHeader}.${realPayload}.${realSignature.slice(0, -4)}AAAA`,
        `Bearer ${realHeader}.${b64url({ ...JSON.parse(Buffer.from(realPayload, 'base64url').toString()), scope: 'users:manage audit:read' })}.${realSignature}`,
        `Bearer ${accessToken}.extra`,
        `Bearer ${accessToken.slice(0, -1)}`,
        `Token ${accessToken}`,
        `Basic ${b64('a:b')}`,
      ];
    };

    it('answers each at a guarded route with 401 and an RFC 6750 challenge', async () => {
      for (const path of ['/me', '/admin/users', '/admin/audit']) {
        for (const authorization of forged()) {
          const res = await send(t.baseUrl, { method: 'GET', path, headers: { Authorization: authorization } });
          const body = expectCleanError(res, 401, `${path} ${authorization.slice(0, 60)}`);
          expect(res.headers['www-authenticate'], authorization).toMatch(/^Bearer realm="gatehouse"/);
          expect(body.error, authorization).toBe('invalid_token');
        }
      }
    });

    it('still accepts the genuine token afterwards', async () => {
      const res = await send(t.baseUrl, { method: 'GET', path: '/me', headers: { Authorization: adminBearer } });
      expect(res.status, res.text).toBe(200);
    });
  });

  describe('malformed ids in paths and query strings', () => {
    it('answers each with a 4xx JSON body', async () => {
      const cases: [string, string, number | readonly number[]][] = [
        ['PATCH', '/admin/users/not-a-uuid', 400],
        ['PATCH', "/admin/users/'%20OR%201=1%20--", 400],
        ['PATCH', '/admin/users/00000000-0000-0000-0000-000000000000', 404],
        ['PATCH', `/admin/users/${'a'.repeat(300)}`, 414],
        ['PATCH', '/admin/users/%E0%A4%A', 400],
        ['PATCH', '/admin/users/..%2F..%2Fetc%2Fpasswd', [400, 404]],
        ['GET', '/admin/users/%00', 400],
        ['GET', `/admin/users/${userId}`, 404],
        ['PATCH', '/admin/roles/NOT_A_ROLE', [400, 404]],
        ['PATCH', '/admin/roles/..%2F..', [400, 404]],
        ['PATCH', `/admin/roles/${'r'.repeat(300)}`, 414],
        ['GET', '/admin/audit?from=not-a-date&limit=-1', 400],
        ['GET', '/admin/audit?to=2024-13-45', 400],
        ['GET', '/admin/audit?from=99999999-01-01', 400],
        ['GET', '/admin/audit?limit=1e3', 400],
        ['GET', '/admin/audit?limit=101', 400],
        ['GET', '/admin/audit?offset=-5', 400],
        ['GET', '/admin/audit?offset=1e400', 400],
        ['GET', '/admin/audit?type=Not%20A%20Type', 400],
        ['GET', `/admin/audit?user=${'u'.repeat(200)}`, 400],
        ['GET', '/admin/audit?user[]=a&user[]=b', 400],
        ['GET', '/admin/audit?unknown=1', 400],
        ['GET', '/admin/users?limit=abc&offset=xyz', 400],
        ['GET', '/admin/roles?limit=-1', 400],
        ['PUT', '/oauth/token', 404],
        ['DELETE', '/admin/users', 404],
      ];
      for (const [method, path, status] of cases) {
        const body = method !== 'PATCH' ? undefined : path.startsWith('/admin/roles/') ? '{"permissions":[]}' : '{"disabled":false}';
        const headers: Record<string, string> = { Authorization: adminBearer, ...(body ? { 'Content-Type': 'application/json' } : {}) };
        const res = await send(t.baseUrl, { method, path, headers, body });
        expectCleanError(res, status, `${method} ${path}`);
      }
    });
  });
});
