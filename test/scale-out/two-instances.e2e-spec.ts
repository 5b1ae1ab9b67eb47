import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CLUSTER_ADMIN, CLUSTER_CLIENT, type Cluster, createCluster, type Instance, login, token, within } from './cluster.js';

/**
 * Issue 7's proof: two instances of the built server on one PostgreSQL
 * database and one Redis behave as one server.
 */
describe('two instances on one PostgreSQL and one Redis', () => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;
  let db: pg.Client;

  beforeAll(async () => {
    cluster = await createCluster({ LOGIN_FAILURES_BEFORE_LOCKOUT: '4' });
    // Started together on an empty database: migrations and seeding must happen once.
    [a, b] = await Promise.all([cluster.start('A'), cluster.start('B')]);
    db = new pg.Client({ connectionString: cluster.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await cluster?.close();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);

  it('seeded one admin, one bootstrap client and one active key when both started at once', async () => {
    expect(await count('SELECT COUNT(*) AS n FROM users')).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM clients')).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM signing_keys WHERE status = 'active'")).toBe(1);
    for (const instance of [a, b]) {
      const health = await call(instance, '/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ info: { database: { status: 'up' }, redis: { status: 'up' } } });
    }
  });

  it('accepts a token from A on B, and both publish the same JWKS', async () => {
    const { access_token } = await login(a);
    expect((await call(b, '/me', { token: access_token })).status).toBe(200);
    const [jwksA, jwksB] = await Promise.all([call(a, '/.well-known/jwks.json'), call(b, '/.well-known/jwks.json')]);
    expect(jwksA.body).toEqual(jwksB.body);
  });

  it('enforces a revocation made on A on B within one second', async () => {
    const { access_token } = await login(a);
    expect((await call(b, '/me', { token: access_token })).status).toBe(200);
    expect((await call(a, '/oauth/revoke', { form: { token: access_token }, client: CLUSTER_CLIENT })).status).toBe(200);
    const took = await within(1000, async () => (await call(b, '/me', { token: access_token })).status === 401);
    expect(took).toBeLessThan(1000);
  });

  it('enforces a role change made on A on B within one second', async () => {
    const admin = (await login(a)).access_token;
    expect((await call(a, '/admin/roles', { token: admin, json: { name: 'operator', permissions: ['audit:read'] } })).status).toBe(201);
    const created = await call(a, '/admin/users', { token: admin, json: { username: 'olga', password: 'operator-password', roles: ['operator'] } });
    expect(created.status).toBe(201);
    const olga = (await login(a, { username: 'olga', password: 'operator-password' }, 'audit:read')).access_token;
    expect((await call(b, '/admin/audit', { token: olga })).status).toBe(200);
    expect((await call(a, '/admin/roles/operator', { method: 'PATCH', token: admin, json: { permissions: [] } })).status).toBe(200);
    const took = await within(1000, async () => (await call(b, '/admin/audit', { token: olga })).status === 403);
    expect(took).toBeLessThan(1000);
  });

  it('leaves at most one live successor after 20 concurrent refreshes split across A and B', async () => {
    const { refresh_token } = await login(a);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => token(i % 2 ? b : a, { grant_type: 'refresh_token', refresh_token })));
    expect(results.filter((res) => res.status === 200).length).toBeLessThanOrEqual(1);
    const live = await count(
      `SELECT COUNT(*) AS n FROM refresh_tokens rt JOIN refresh_token_families f ON f.id = rt.family_id
       WHERE rt.family_id = (SELECT family_id FROM refresh_tokens WHERE parent_id IS NULL ORDER BY created_at DESC LIMIT 1)
         AND rt.used_at IS NULL AND rt.revoked_at IS NULL AND f.revoked_at IS NULL`,
    );
    expect(live).toBeLessThanOrEqual(1);
  });

  it('throttles password guesses spread across A and B together', async () => {
    const guess = (instance: Instance) => token(instance, { grant_type: 'password', username: 'target-user', password: 'guess' });
    for (const instance of [a, b, a, b]) expect((await guess(instance)).status).toBe(400);
    const fifth = await guess(b);
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await guess(a)).status).toBe(429);
  });

  it('keeps serving every token and issuing new ones on B when A is killed', async () => {
    const fromA = await login(a);
    const exit = a.server.exited;
    a.server.child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');
    expect((await call(b, '/me', { token: fromA.access_token })).status).toBe(200);
    const refreshed = await token(b, { grant_type: 'refresh_token', refresh_token: fromA.refresh_token });
    expect(refreshed.status).toBe(200);
    const fresh = await login(b);
    expect((await call(b, '/me', { token: fresh.access_token })).status).toBe(200);
    expect(CLUSTER_ADMIN.username).toBe('admin');
  });
});
