import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { insertClient } from './support/fixtures.js';
import { adminAuth, basic, type ClientCredentials, expectStatus, passwordLogin, tokenRequest } from './support/oauth.js';
import { storedBytes } from './support/raw-database.js';
import { freePort, type RunningServer, spawnServer, waitForOutput } from './support/server-process.js';

/**
 * Issue 6, secrets at rest: passwords, client secrets and tokens are never
 * kept where they can be read back, neither in the database file nor in the
 * logs. Each value a flow handles is collected and looked for, in every form
 * it could plausibly be written in.
 */

const NO_LIMITS = { RATE_LIMIT_PER_MINUTE: '0', LOGIN_FAILURES_BEFORE_LOCKOUT: '1000' };
const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** The byte strings under which `secret` could be found: as text, and (for random tokens) its raw bytes and their hex. */
function forms(secret: string): Buffer[] {
  const found = [Buffer.from(secret, 'utf8')];
  if (/^[A-Za-z0-9_-]{43,}$/.test(secret)) {
    const raw = Buffer.from(secret, 'base64url');
    found.push(raw, Buffer.from(raw.toString('hex')), Buffer.from(raw.toString('base64')));
  }
  return found;
}

/** Which of `secrets` (by label) appear in `haystack`. */
function secretsIn(haystack: Buffer, secrets: Map<string, string>): string[] {
  return [...secrets].filter(([, secret]) => forms(secret).some((form) => haystack.includes(form))).map(([label]) => label);
}

/**
 * A flow touching every secret the server handles: logins (one failed), a
 * user created (and one refused), refresh rotations and a replayed token, a
 * client secret issued and used both ways, introspection and revocation.
 * Returns every secret it saw, by label.
 */
async function exercise(t: TestApp): Promise<{ secrets: Map<string, string>; username: string; firstRefresh: string }> {
  const secrets = new Map<string, string>([
    ['admin password', ADMIN.password],
    ['first-party client secret', FIRST_PARTY.clientSecret],
  ]);
  const admin = await adminAuth(t);
  const user = { username: 'at-rest-user', password: 'at-rest-password-9f3c1e' };
  expectStatus(
    await t
      .http()
      .post('/admin/users')
      .set('Authorization', admin)
      .send({ ...user, roles: ['user'] }),
    201,
  );
  secrets.set('user password', user.password);
  const refused = { username: user.username, password: 'refused-password-7d2a' };
  expectStatus(
    await t
      .http()
      .post('/admin/users')
      .set('Authorization', admin)
      .send({ ...refused, roles: ['user'] }),
    409,
  );
  secrets.set('password of a refused creation', refused.password);

  const wrong = 'wrong-password-5b8e';
  expectStatus(await tokenRequest(t, { grant_type: 'password', username: user.username, password: wrong }), 400);
  secrets.set('password of a failed login', wrong);

  const login = await passwordLogin(t, user);
  secrets.set('access token 0', login.access_token);
  secrets.set('refresh token 0', login.refresh_token!);
  let refresh = login.refresh_token!;
  for (let i = 1; i <= 3; i++) {
    const res = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refresh });
    expectStatus(res, 200);
    refresh = res.body.refresh_token as string;
    secrets.set(`refresh token ${i}`, refresh);
    secrets.set(`access token ${i}`, res.body.access_token as string);
  }
  // Replaying a rotated token revokes the family and writes an audit event: the token must not be in it.
  expectStatus(await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: secrets.get('refresh token 1')! }), 400);

  const second = await passwordLogin(t, user);
  secrets.set('refresh token of a second login', second.refresh_token!);
  expectStatus(await t.http().post('/oauth/introspect').type('form').set('Authorization', basic(FIRST_PARTY)).send({ token: second.refresh_token! }), 200);
  expectStatus(await t.http().post('/oauth/revoke').type('form').set('Authorization', basic(FIRST_PARTY)).send({ token: second.refresh_token! }), 200);
  expectStatus(await t.http().post('/oauth/revoke').type('form').set('Authorization', basic(FIRST_PARTY)).send({ token: second.access_token }), 200);
  secrets.set('revoked access token', second.access_token);

  // A client secret issued by the server's own generator, then used with Basic and in the body.
  const client: ClientCredentials = await insertClient(t);
  secrets.set('issued client secret', client.clientSecret);
  expectStatus(await tokenRequest(t, { grant_type: 'client_credentials' }, client), 200);
  const post = await t
    .http()
    .post('/oauth/token')
    .type('form')
    .send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
  expectStatus(post, 200);
  secrets.set('client credentials access token', post.body.access_token as string);
  const wrongSecret = 'wrong-client-secret-0a1b2c3d4e5f6a7b8c9d';
  expectStatus(await tokenRequest(t, { grant_type: 'client_credentials' }, { clientId: client.clientId, clientSecret: wrongSecret }), 401);
  secrets.set('a wrong client secret', wrongSecret);
  return { secrets, username: user.username, firstRefresh: login.refresh_token! };
}

describe('secrets at rest: the database files', () => {
  it('hold no password, client secret or token (SQLite: the file and its WAL; PostgreSQL: every relation file, after a CHECKPOINT)', async () => {
    const t = await startApp({ env: NO_LIMITS });
    try {
      const collected = await exercise(t);
      const stored = await storedBytes(t.database);
      // The search can find what is there: a username in clear, and a refresh token's SHA-256.
      expect(stored.includes(Buffer.from(collected.username))).toBe(true);
      expect(stored.includes(Buffer.from(sha256(collected.firstRefresh)))).toBe(true);
      expect(secretsIn(stored, collected.secrets)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('secrets at rest: the logs of the compiled server at LOG_LEVEL=trace', () => {
  let database: TestDatabase;
  let server: RunningServer | undefined;
  const secrets = new Map<string, string>([
    ['admin password', ADMIN.password],
    ['first-party client secret', FIRST_PARTY.clientSecret],
  ]);
  let output = '';
  afterAll(async () => {
    await server?.stop(2_000);
    await database?.drop();
  });

  /** A full flow against the server, then its whole output once it has stopped. */
  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      ...NO_LIMITS,
      PORT: String(port),
      HOST: '127.0.0.1',
      ISSUER: baseUrl,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'trace',
      // The JSON lines a production log pipeline would keep.
      NODE_ENV: 'production',
      BCRYPT_COST: '4',
      BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      BOOTSTRAP_CLIENT_ID: FIRST_PARTY.clientId,
      BOOTSTRAP_CLIENT_SECRET: FIRST_PARTY.clientSecret,
    };
    server = spawnServer(env);
    await waitForOutput(server, /Gatehouse listening on/, 90_000);

    const form = (body: Record<string, string>, authorization: string | null = basic(FIRST_PARTY)) =>
      fetch(`${baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { ...(authorization ? { Authorization: authorization } : {}), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body),
      });
    const json = async (res: Response, status: number) => {
      const body = (await res.json()) as Record<string, string>;
      expect(res.status, JSON.stringify(body)).toBe(status);
      return body;
    };

    const login = await json(await form({ grant_type: 'password', username: ADMIN.username, password: ADMIN.password }), 200);
    secrets.set('access token', login.access_token);
    secrets.set('refresh token', login.refresh_token);
    const refreshed = await json(await form({ grant_type: 'refresh_token', refresh_token: login.refresh_token }), 200);
    secrets.set('rotated refresh token', refreshed.refresh_token);
    secrets.set('refreshed access token', refreshed.access_token);
    // Reuse of the rotated token: the family is revoked and the event logged, without the token.
    await json(await form({ grant_type: 'refresh_token', refresh_token: login.refresh_token }), 400);
    // That revoked the first login's access tokens too (by sid): the admin signs in again.
    const admin = await json(await form({ grant_type: 'password', username: ADMIN.username, password: ADMIN.password }), 200);
    secrets.set('admin access token', admin.access_token);
    secrets.set('admin refresh token', admin.refresh_token);
    // A machine client, made as the README says: registered, approved, its secret taken once.
    const api = (path: string, body: object) =>
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin.access_token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const registration = await json(
      await api('/clients', { name: 'Logged machine', description: 'm2m', grant_types: ['client_credentials'], scopes: ['inventory:read'] }),
      201,
    );
    await json(await api(`/admin/clients/${registration.id}/approve`, {}), 200);
    const issued = await json(await api(`/clients/${registration.id}/secret`, {}), 200);
    secrets.set('issued client secret', issued.client_secret);
    const machine = await json(
      await form({ grant_type: 'client_credentials' }, basic({ clientId: issued.client_id, clientSecret: issued.client_secret })),
      200,
    );
    secrets.set('client credentials token', machine.access_token);
    // client_secret_post: the secret travels in the body.
    await json(await form({ grant_type: 'client_credentials', client_id: issued.client_id, client_secret: issued.client_secret }, null), 200);

    const wrongPassword = 'wrong-password-in-logs-4e1f';
    await json(await form({ grant_type: 'password', username: ADMIN.username, password: wrongPassword }), 400);
    secrets.set('password of a failed login', wrongPassword);
    const wrongSecret = 'wrong-secret-in-logs-0123456789abcdef';
    await json(await form({ grant_type: 'client_credentials' }, basic({ clientId: FIRST_PARTY.clientId, clientSecret: wrongSecret })), 401);
    secrets.set('a wrong client secret', wrongSecret);

    const second = await json(await form({ grant_type: 'password', username: ADMIN.username, password: ADMIN.password }), 200);
    secrets.set('second access token', second.access_token);
    secrets.set('second refresh token', second.refresh_token);
    const bearer = { Authorization: `Bearer ${second.access_token}` };
    const oauthPost = (path: string, body: Record<string, string>) =>
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { Authorization: basic(FIRST_PARTY), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body),
      });
    expect((await json(await oauthPost('/oauth/introspect', { token: second.access_token }), 200)).active).toBe(true);
    expect((await json(await oauthPost('/oauth/introspect', { token: second.refresh_token }), 200)).active).toBe(true);

    const user = { username: 'logged-user', password: 'user-password-in-logs-77a1' };
    const created = await fetch(`${baseUrl}/admin/users`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...user, roles: ['user'] }),
    });
    await json(created, 201);
    secrets.set('created user password', user.password);
    const tooLong = `${'x'.repeat(80)}-refused-password`;
    await json(
      await fetch(`${baseUrl}/admin/users`, {
        method: 'POST',
        headers: { ...bearer, 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'refused-user', password: tooLong, roles: [] }),
      }),
      400,
    );
    secrets.set('refused password', tooLong);
    // A careless client puts its token in the query string: refused, and the URL is logged without it.
    expect((await fetch(`${baseUrl}/me?access_token=${second.access_token}`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/me`, { headers: bearer })).status).toBe(200);

    expect((await oauthPost('/oauth/revoke', { token: second.refresh_token })).status).toBe(200);
    expect((await oauthPost('/oauth/revoke', { token: second.access_token })).status).toBe(200);
    expect((await fetch(`${baseUrl}/me`, { headers: bearer })).status).toBe(401);

    await server.stop();
    output = server.stdout() + server.stderr();
  }, 120_000);

  it('print no password, client secret or token during a full flow', () => {
    // The capture works: the start-up lines are in it.
    expect(output).toMatch(/Gatehouse listening on/);
    expect(output).toMatch(/"msg":"Nest application successfully started"/);
    expect(secretsIn(Buffer.from(output), secrets)).toEqual([]);
  });

  it('log every request at LOG_LEVEL=trace, so that the check above covers the request logs too', () => {
    // pino-http is configured (per-status levels, path-only URLs, redaction) to log each request.
    // Nine token requests above: three logins, a refresh, the reuse, two client_credentials, two failures.
    expect(output.match(/"route":"\/oauth\/token"/g)?.length ?? 0).toBe(9);
    expect(output).toMatch(/"route":"\/admin\/users"/);
    expect(output).toMatch(/"route":"\/me"/);
  });
});
