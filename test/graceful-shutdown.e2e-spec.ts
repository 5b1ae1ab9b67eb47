import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort, type RunningServer, spawnServer, waitForOutput } from './support/server-process.js';

const CLIENT = { id: 'shutdown-client', secret: 'shutdown-client-secret-0123456789abcdef' };

describe('graceful shutdown of the compiled server', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawnServer({
      DATABASE_URL: database.url,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY: '1',
      // A slow bcrypt keeps a login in flight long enough to send SIGTERM during it.
      BCRYPT_COST: '13',
      BOOTSTRAP_ADMIN_USERNAME: 'admin',
      BOOTSTRAP_ADMIN_PASSWORD: 'shutdown-admin-password',
      BOOTSTRAP_CLIENT_ID: CLIENT.id,
      BOOTSTRAP_CLIENT_SECRET: CLIENT.secret,
    });
    await waitForOutput(server, /Gatehouse listening/, 90_000);
  });
  afterAll(async () => {
    await server?.stop(2000);
    await database?.drop();
  });

  it('finishes the requests in flight on SIGTERM, answers readiness 503 meanwhile, then exits by itself', async () => {
    const ready = async () => (await fetch(`${url}/health/ready`)).status;
    expect(await ready()).toBe(200);
    const login = fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'password', username: 'admin', password: 'shutdown-admin-password' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.child.kill('SIGTERM');
    // Within SHUTDOWN_DELAY the load balancer's probe hears 503 while everything else is still served.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await ready()).toBe(503);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const response = await login;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer' });
    // Nest re-raises the signal once the application has closed: a clean exit "by SIGTERM".
    const exit = await Promise.race([server.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000))]);
    expect(exit && { code: exit.code, signal: exit.signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(server.stderr()).not.toMatch(/error/i);
  });
});
