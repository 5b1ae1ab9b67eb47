import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_PARTY, startApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { TcpLink } from '../support/tcp-link.js';
import { createUser } from '../support/fixtures.js';
import { adminAuth, basic, expectStatus, passwordLogin, tokenRequest } from '../support/oauth.js';
import { within } from './cluster.js';

const revokeThrough = (t: TestApp, token: string) => t.http().post('/oauth/revoke').type('form').set('Authorization', basic(FIRST_PARTY)).send({ token });

describe('Redis going away', () => {
  const link = TcpLink.to(process.env.TEST_REDIS_URL!, 6379);
  let partitioned: TestApp;
  let healthy: TestApp;

  beforeAll(async () => {
    await link.open();
    const database = await createTestDatabase('postgres');
    const prefix = `outage:${randomBytes(6).toString('hex')}:`;
    partitioned = await startApp({ database, env: { REDIS_URL: `redis://127.0.0.1:${link.port}`, REDIS_KEY_PREFIX: prefix } });
    healthy = await startApp({ database, env: { REDIS_URL: process.env.TEST_REDIS_URL!, REDIS_KEY_PREFIX: prefix } });
  });
  afterAll(async () => {
    await healthy?.close({ keepDatabase: true });
    await partitioned?.close();
    await link.cut();
  });

  it('fails safe while cut off: revocations and role changes made elsewhere are enforced, logins still throttled, health says so', async () => {
    const admin = await adminAuth(healthy);
    await healthy
      .http()
      .post('/admin/roles')
      .set('Authorization', admin)
      .send({ name: 'watcher', permissions: ['audit:read'] })
      .expect(201);
    const watcher = await createUser(healthy, ['watcher']);
    const watcherToken = (await passwordLogin(partitioned, watcher, { scope: 'audit:read' })).access_token;
    const { access_token } = await passwordLogin(healthy);
    await partitioned.http().get('/me').set('Authorization', `Bearer ${access_token}`).expect(200);
    await partitioned.http().get('/admin/audit').set('Authorization', `Bearer ${watcherToken}`).expect(200);
    await link.cut();

    // Changed through the other instance: this one cannot hear about it, so it must read the database.
    expectStatus(await revokeThrough(healthy, access_token), 200);
    expect((await partitioned.http().get('/me').set('Authorization', `Bearer ${access_token}`)).status).toBe(401);
    await healthy.http().patch('/admin/roles/watcher').set('Authorization', admin).send({ permissions: [] }).expect(200);
    expect((await partitioned.http().get('/admin/audit').set('Authorization', `Bearer ${watcherToken}`)).status).toBe(403);

    // Counters fall back to memory: guessing is still throttled, never let through.
    for (let i = 0; i < 5; i++) await tokenRequest(partitioned, { grant_type: 'password', username: 'victim', password: 'guess' });
    expectStatus(await tokenRequest(partitioned, { grant_type: 'password', username: 'victim', password: 'guess' }), 429);

    const health = await partitioned.http().get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ error: { redis: { status: 'down' } } });
  });

  it('reconnects by itself and trusts its caches again', async () => {
    await link.open(link.port);
    await within(10_000, async () => (await partitioned.http().get('/health')).status === 200);
    const { access_token } = await passwordLogin(partitioned);
    await partitioned.http().get('/me').set('Authorization', `Bearer ${access_token}`).expect(200);
    expectStatus(await revokeThrough(healthy, access_token), 200);
    await within(1000, async () => (await partitioned.http().get('/me').set('Authorization', `Bearer ${access_token}`)).status === 401);
  });
});
