import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../src/throttling/login-throttle.service.js';
import { ADMIN, FIRST_PARTY, startApp, type TestApp } from './support/app.js';
import { createUser, insertClient } from './support/fixtures.js';
import { adminAuth, type ClientCredentials, expectStatus, fromAddress, tokenRequest } from './support/oauth.js';

/** A password grant for `username`, made from `address` (the server trusts no proxy: it sees the real peer). */
const login = (t: TestApp, username: string, password: string, address = '127.0.0.1') =>
  tokenRequest(t, { grant_type: 'password', username, password }).agent(fromAddress(address));

const clientCredentials = (t: TestApp, client: ClientCredentials, address: string) =>
  tokenRequest(t, { grant_type: 'client_credentials' }, client).agent(fromAddress(address));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * RSS once garbage is collected and V8 has handed back the pages it no longer
 * needs (its memory reducer does that a few idle seconds after a burst): what
 * the process holds, not what a burst of garbage briefly took.
 */
async function settledRss(): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let least = Infinity;
  for (let i = 0; i < 8; i++) {
    gc();
    least = Math.min(least, process.memoryUsage().rss);
    await sleep(1_000);
  }
  return least;
}

describe('password guessing: per (account, address) lockout with back-off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { LOGIN_FAILURES_BEFORE_LOCKOUT: '3', RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(() => t.close());

  it('locks the pair after the threshold with 429 + Retry-After, even for the right password, then lets it go', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) expectStatus(await login(t, user.username, 'wrong-password'), 400);
    const locked = await login(t, user.username, user.password);
    expectStatus(locked, 429);
    expect(locked.headers['retry-after']).toMatch(/^\d+$/);
    expect(locked.headers['cache-control']).toBe('no-store');
    expect(locked.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringContaining('retry after') });
    await sleep(Number(locked.headers['retry-after']) * 1000 + 100);
    // The lock expired by itself; a success resets the count.
    expectStatus(await login(t, user.username, user.password), 200);
    expectStatus(await login(t, user.username, 'wrong-password'), 400);
    expectStatus(await login(t, user.username, user.password), 200);
  });

  it('backs off: each failure past the threshold doubles the lock', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) await login(t, user.username, 'wrong-password');
    const first = Number((await login(t, user.username, 'x')).headers['retry-after']);
    await sleep(first * 1000 + 100);
    await login(t, user.username, 'still-wrong');
    const second = Number((await login(t, user.username, 'x')).headers['retry-after']);
    expect(second).toBeGreaterThan(first);
  });

  it('locks only the address that guessed: the owner elsewhere signs in at once', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) expectStatus(await login(t, user.username, 'wrong-password', '127.0.0.2'), 400);
    expectStatus(await login(t, user.username, user.password, '127.0.0.2'), 429);
    expectStatus(await login(t, user.username, user.password, '127.0.0.3'), 200);
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
      details: { client_id: FIRST_PARTY.clientId },
    });
    expect(JSON.stringify(failed.body)).not.toContain('wrong-password');
    const locked = await t.http().get('/admin/audit?type=login.locked_out').set('Authorization', auth).expect(200);
    expect(locked.body.items.length).toBeGreaterThan(0);
  });
});

/**
 * The attacks of issue 12, each failing: nobody elsewhere on the network can
 * lock a client or a user out, and a botnet cannot guess on without end.
 */
describe('guessing protection cannot be turned against users', () => {
  const THRESHOLD = 5;
  const CAP = 20 * THRESHOLD;
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { LOGIN_FAILURES_BEFORE_LOCKOUT: String(THRESHOLD), RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(() => t.close());

  it('200 wrong client secrets from 127.0.0.2 leave the right secret from 127.0.0.1 answered 200 at once', async () => {
    const client = await insertClient(t, { grantTypes: ['client_credentials'], scopes: ['inventory:read'] });
    const wrong = { clientId: client.clientId, clientSecret: 'w'.repeat(43) };
    const statuses = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const res = await clientCredentials(t, wrong, '127.0.0.2');
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    // The flood is refused, and soon without even a look at the secret.
    expect([...statuses.keys()].sort()).toEqual([401, 429]);
    expectStatus(await clientCredentials(t, client, '127.0.0.2'), 429);
    expectStatus(await clientCredentials(t, client, '127.0.0.1'), 200);
  });

  it("a botnet past the account's hourly cap: the owner's known address still gets in, a fresh address does not", async () => {
    const alice = await createUser(t, ['user'], `alice-${Date.now()}`);
    // Alice has signed in from 127.0.0.1 before.
    expectStatus(await login(t, alice.username, alice.password, '127.0.0.1'), 200);

    // Addresses 127.0.1.x guess until a fresh one is refused on its first try: the cap is reached.
    let counted = 0;
    let host = 1;
    for (; host < 60; host++) {
      const address = `127.0.1.${host}`;
      const first = await login(t, alice.username, `guess-${host}-0`, address);
      if (first.status === 429) break;
      expectStatus(first, 400);
      counted++;
      for (let i = 1; ; i++) {
        const res = await login(t, alice.username, `guess-${host}-${i}`, address);
        if (res.status === 429) break;
        expectStatus(res, 400);
        counted++;
      }
    }
    // Each address got THRESHOLD guesses; the account as a whole, exactly the cap.
    expect(counted).toBe(CAP);
    expect(host).toBe(CAP / THRESHOLD + 1);

    // Over the cap, 500 more wrong passwords from 127.0.0.2: none is even checked.
    for (let i = 0; i < 500; i++) {
      const res = await login(t, alice.username, `more-${i}`, '127.0.0.2');
      if (res.status !== 429) expect.fail(`attempt ${i} past the cap answered ${res.status}`);
    }
    // Alice, from where she signed in before: 200 at once.
    expectStatus(await login(t, alice.username, alice.password, '127.0.0.1'), 200);
    // The right password from an address that never signed in to alice: refused for the rest of the hour.
    const fresh = await login(t, alice.username, alice.password, '127.0.0.250');
    expectStatus(fresh, 429);
    expect(Number(fresh.headers['retry-after'])).toBeGreaterThan(3000);
    expect(Number(fresh.headers['retry-after'])).toBeLessThanOrEqual(3600);
    // Other accounts are not affected.
    expectStatus(await login(t, ADMIN.username, ADMIN.password, '127.0.0.250'), 200);
  });

  it('200k distinct failure keys: a failed login costs the same, and memory stays bounded', async () => {
    const sampleFailedLogins = async (label: string) => {
      const times: number[] = [];
      for (let i = 0; i < 41; i++) {
        const started = performance.now();
        // A fresh name each time: measured is a failure, never a lock.
        expectStatus(await login(t, `p50-${label}-${i}`, 'wrong', '127.0.0.3'), 400);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[20];
    };
    await sampleFailedLogins('warm-up');
    const before = await sampleFailedLogins('before');
    const rssBefore = await settledRss();

    // The flood, through the same counting every failed login does: 200k distinct (made-up account, address) pairs.
    const throttle = t.app.get(LoginThrottle);
    for (let i = 0; i < 200_000; i += 1_000) {
      await Promise.all(
        Array.from({ length: 1_000 }, (_, j) =>
          throttle.recordSignInFailure({ account: `flood-${i + j}`, address: `10.${(i + j) >> 16}.${((i + j) >> 8) & 255}.${(i + j) & 255}` }, false),
        ),
      );
    }

    const after = await sampleFailedLogins('after');
    const grown = ((await settledRss()) - rssBefore) / 2 ** 20;
    expect(after / before, `p50 before ${before.toFixed(2)} ms, after ${after.toFixed(2)} ms`).toBeLessThan(2);
    expect(grown, `RSS grew ${grown.toFixed(1)} MiB`).toBeLessThan(50);
  }, 300_000);
});

describe('RATE_LIMIT_PER_MINUTE on the OAuth endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once an address spends its budget, across endpoints', async () => {
    const machine = await insertClient(t, { grantTypes: ['client_credentials'], scopes: ['inventory:read'] });
    for (let i = 0; i < 3; i++) expectStatus(await tokenRequest(t, { grant_type: 'client_credentials' }, machine), 200);
    for (let i = 0; i < 2; i++) await t.http().post('/oauth/revoke').type('form').send({ token: 'x' });
    const limited = await tokenRequest(t, { grant_type: 'client_credentials' }, machine);
    expectStatus(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error).toBe('temporarily_unavailable');
    // Guarded and public routes are not part of this budget.
    await t.http().get('/.well-known/oauth-authorization-server').expect(200);
    // Another address has its own budget.
    expectStatus(await tokenRequest(t, { grant_type: 'client_credentials' }, machine).agent(fromAddress('127.0.0.2')), 200);
  });
});
