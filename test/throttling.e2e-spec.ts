import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { createUser } from './support/fixtures.js';
import { adminAuth, expectStatus, tokenRequest } from './support/oauth.js';

const login = (t: TestApp, username: string, password: string, ip?: string) => {
  const req = tokenRequest(t, { grant_type: 'password', username, password });
  return ip ? req.set('X-Forwarded-For', ip) : req;
};

describe('password guessing: per-account lockout with back-off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { LOGIN_FAILURES_BEFORE_LOCKOUT: '3', RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(() => t.close());

  it('locks an account after the threshold with 429 + Retry-After, even for the right password, then lets it go', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) expectStatus(await login(t, user.username, 'wrong-password'), 400);
    const locked = await login(t, user.username, user.password);
    expectStatus(locked, 429);
    expect(locked.headers['retry-after']).toMatch(/^\d+$/);
    expect(locked.headers['cache-control']).toBe('no-store');
    expect(locked.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringContaining('retry after') });
    await new Promise((resolve) => setTimeout(resolve, Number(locked.headers['retry-after']) * 1000 + 100));
    // The lock expired by itself; a success resets the count.
    expectStatus(await login(t, user.username, user.password), 200);
    expectStatus(await login(t, user.username, 'wrong-password'), 400);
    expectStatus(await login(t, user.username, user.password), 200);
  });

  it('backs off: each failure past the threshold doubles the lock', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) await login(t, user.username, 'wrong-password');
    const first = Number((await login(t, user.username, 'x')).headers['retry-after']);
    await new Promise((resolve) => setTimeout(resolve, first * 1000 + 100));
    await login(t, user.username, 'still-wrong');
    const second = Number((await login(t, user.username, 'x')).headers['retry-after']);
    expect(second).toBeGreaterThan(first);
  });

  it('treats unknown usernames the same way, and does not lock other accounts', async () => {
    for (let i = 0; i < 3; i++) await login(t, 'ghost-user', 'guess');
    expectStatus(await login(t, 'ghost-user', 'guess'), 429);
    expectStatus(await login(t, ADMIN.username, ADMIN.password), 200);
  });

  it('audits failed logins (never the password) and lockouts', async () => {
    const auth = await adminAuth(t);
    const failed = await t.http().get('/admin/audit?type=login.failed').set('Authorization', auth).expect(200);
    expect(failed.body.items[0]).toMatchObject({
      type: 'login.failed',
      ip: expect.any(String),
      details: { username: expect.any(String), client_id: FIRST_PARTY.clientId },
    });
    expect(JSON.stringify(failed.body)).not.toContain('wrong-password');
    const locked = await t.http().get('/admin/audit?type=login.locked_out').set('Authorization', auth).expect(200);
    expect(locked.body.items.length).toBeGreaterThan(0);
  });
});

describe('per-address and per-client limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { LOGIN_FAILURES_BEFORE_LOCKOUT: '2', RATE_LIMIT_PER_MINUTE: '0', TRUST_PROXY: '1' } });
  });
  afterAll(() => t.close());

  it('locks a source address that guesses across many accounts (X-Forwarded-For trusted for one hop)', async () => {
    for (let i = 0; i < 8; i++) await login(t, `spray-${i}`, 'guess', '203.0.113.7');
    expectStatus(await login(t, ADMIN.username, ADMIN.password, '203.0.113.7'), 429);
    expectStatus(await login(t, ADMIN.username, ADMIN.password, '198.51.100.1'), 200);
  });

  it('locks a client after repeated authentication failures', async () => {
    const wrong = { clientId: FIRST_PARTY.clientId, clientSecret: 'w'.repeat(43) };
    for (let i = 0; i < 8; i++) expectStatus(await tokenRequest(t, { grant_type: 'client_credentials' }, wrong), 401);
    const locked = await tokenRequest(t, { grant_type: 'client_credentials' });
    expectStatus(locked, 429);
    expect(locked.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('RATE_LIMIT_PER_MINUTE on the OAuth endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once an address spends its budget, across endpoints', async () => {
    const login = { grant_type: 'password', username: ADMIN.username, password: ADMIN.password };
    for (let i = 0; i < 3; i++) expectStatus(await tokenRequest(t, login), 200);
    for (let i = 0; i < 2; i++) await t.http().post('/oauth/revoke').type('form').send({ token: 'x' });
    const limited = await tokenRequest(t, login);
    expectStatus(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error).toBe('temporarily_unavailable');
    // Guarded and public routes are not part of this budget.
    await t.http().get('/.well-known/oauth-authorization-server').expect(200);
  });
});
