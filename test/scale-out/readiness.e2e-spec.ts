import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TcpLink } from '../support/tcp-link.js';
import { within } from './cluster.js';

/** Readiness follows the stores: each reached through a link the test cuts, as a network partition would. */
describe('GET /health/live and /health/ready when a store goes away', () => {
  const databaseLink = TcpLink.to(process.env.TEST_DATABASE_URL!, 5432);
  const redisLink = TcpLink.to(process.env.TEST_REDIS_URL!, 6379);
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    await databaseLink.open();
    await redisLink.open();
    database = await createTestDatabase('postgres');
    const viaLink = new URL(database.url);
    viaLink.port = String(databaseLink.port);
    t = await startApp({ database: { ...database, url: viaLink.toString() }, env: { REDIS_URL: `redis://127.0.0.1:${redisLink.port}` } });
  });
  afterAll(async () => {
    await t?.close({ keepDatabase: true });
    await databaseLink.cut();
    await redisLink.cut();
    await database?.drop();
  });

  const ready = () => t.http().get('/health/ready');

  it('answers 200 on both while the database and Redis answer', async () => {
    await t.http().get('/health/live').expect(200);
    const res = await ready().expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { server: { status: 'up' }, database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('turns ready to 503 naming the database while it is unreachable, stays live, and recovers by itself', async () => {
    await databaseLink.cut();
    const res = await ready();
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    await t.http().get('/health/live').expect(200);
    await databaseLink.open(databaseLink.port);
    await within(10_000, async () => (await ready()).status === 200);
  });

  it('turns ready to 503 naming Redis while it is unreachable, and recovers by itself', async () => {
    await redisLink.cut();
    await within(5_000, async () => (await ready()).status === 503);
    expect((await ready()).body).toMatchObject({ error: { redis: { status: 'down' } } });
    await t.http().get('/health/live').expect(200);
    await redisLink.open(redisLink.port);
    await within(10_000, async () => (await ready()).status === 200);
  });
});
