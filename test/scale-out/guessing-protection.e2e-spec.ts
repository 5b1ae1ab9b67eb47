import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CLUSTER_ADMIN, CLUSTER_CLIENT, type Cluster, createCluster, type Instance, login } from './cluster.js';

const basic = ({ clientId, clientSecret }: { clientId: string; clientSecret: string }) =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;

/** POST /oauth/token from `address` (all of 127.0.0.0/8 is loopback; the instances trust no proxy, so they see it as the peer). */
function tokenFrom(
  instance: Instance,
  address: string,
  form: Record<string, string>,
  client = CLUSTER_CLIENT,
): Promise<{ status: number; retryAfter?: string }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${instance.url}/oauth/token`,
      {
        method: 'POST',
        localAddress: address,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Authorization: basic(client) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Issue 12 on the scale-out configuration: the guessing-protection counters
 * are shared in Redis, and the sources an account signed in from are in the
 * database, so an attack spread over instances is counted as one and the
 * owner gets in through any instance.
 */
describe('guessing protection across instances (Redis counters, sign-in sources in PostgreSQL)', () => {
  const THRESHOLD = 2;
  const CAP = 20 * THRESHOLD;
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    cluster = await createCluster({ LOGIN_FAILURES_BEFORE_LOCKOUT: String(THRESHOLD), RATE_LIMIT_PER_MINUTE: '0' });
    [a, b] = await Promise.all([cluster.start('A'), cluster.start('B')]);
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('wrong client secrets from 127.0.0.2 on A and B lock that address on both, and the right secret from 127.0.0.1 still gets 200', async () => {
    const wrong = { ...CLUSTER_CLIENT, clientSecret: 'w'.repeat(43) };
    const admin = { grant_type: 'password', username: CLUSTER_ADMIN.username, password: CLUSTER_ADMIN.password };
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await tokenFrom(i % 2 ? a : b, '127.0.0.2', admin, wrong)).status);
    // The client threshold is 4 x LOGIN_FAILURES_BEFORE_LOCKOUT, counted across both instances: the next guess is refused.
    expect(statuses.slice(0, 4 * THRESHOLD).every((status) => status === 401)).toBe(true);
    expect(statuses[4 * THRESHOLD]).toBe(429);
    // Past it, a guess is only checked when a lock (2 s, then doubling) has run out: a handful in a busy minute at most.
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(4 * THRESHOLD + 5);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    for (const instance of [a, b]) {
      expect((await tokenFrom(instance, '127.0.0.2', admin)).status).toBe(429);
      expect((await tokenFrom(instance, '127.0.0.1', admin)).status).toBe(200);
    }
  });

  it("a botnet spread over A and B reaches the account's hourly cap together; the owner's known address gets in on either", async () => {
    const adminToken = (await login(a)).access_token;
    const alice = { username: `alice-${Date.now()}`, password: 'alice-password-0123' };
    expect((await call(a, '/admin/users', { token: adminToken, json: { ...alice, roles: ['user'] } })).status).toBe(201);
    const aliceLogin = { grant_type: 'password', username: alice.username, password: alice.password };
    expect((await tokenFrom(a, '127.0.0.1', aliceLogin)).status).toBe(200);

    let counted = 0;
    let host = 1;
    for (; host < 40; host++) {
      const address = `127.0.2.${host}`;
      let tries = 0;
      for (; ; tries++) {
        const res = await tokenFrom(tries % 2 ? a : b, address, { ...aliceLogin, password: `guess-${host}-${tries}` });
        if (res.status === 429) break;
        expect(res.status).toBe(400);
        counted++;
      }
      // A fresh address refused on its first try: the cap is reached.
      if (tries === 0) break;
    }
    expect(counted).toBe(CAP);
    expect(host).toBe(CAP / THRESHOLD + 1);

    for (const instance of [a, b]) {
      expect((await tokenFrom(instance, '127.0.0.1', aliceLogin)).status).toBe(200);
      const fresh = await tokenFrom(instance, '127.0.0.250', aliceLogin);
      expect(fresh.status).toBe(429);
      expect(Number(fresh.retryAfter)).toBeGreaterThan(3000);
    }
  });
});
