import { Redis } from 'ioredis';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../support/admin-cli.js';
import { call, type Cluster, createCluster, type Instance, login } from './cluster.js';

/**
 * The admin CLI beside a cluster with Redis: its changes travel the same
 * invalidation channel, in the same envelope, as an instance's own, so
 * running instances apply them at once.
 */
describe('the admin CLI with REDIS_URL', () => {
  let cluster: Cluster;
  let instance: Instance;
  let listener: Redis;
  const heard: unknown[] = [];

  beforeAll(async () => {
    cluster = await createCluster();
    instance = await cluster.start('A');
    listener = new Redis(cluster.env.REDIS_URL);
    await listener.subscribe(`${cluster.env.REDIS_KEY_PREFIX}invalidation`);
    listener.on('message', (_channel: string, message: string) => heard.push(JSON.parse(message)));
  });
  afterAll(async () => {
    await listener?.quit();
    await cluster?.close();
  });

  const admin = (args: string[]) => runAdmin(args, { ...cluster.env });

  it('rotate-keys publishes the keys invalidation in the relay format, and the instance signs with the new key', async () => {
    heard.length = 0;
    const rotated = await admin(['rotate-keys', '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    const { kid } = JSON.parse(rotated.stdout) as { kid: string };
    // Flushed before the CLI exited: already on the channel, once.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toEqual([{ from: expect.any(String), event: { kind: 'keys' } }]);
    expect(decodeProtectedHeader((await login(instance)).access_token).kid).toBe(kid);
  });

  it('create-client: the running instance accepts the new client on the first request', async () => {
    const created = await admin(['create-client', 'Cluster report', '--scope', 'reports:read', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const client = JSON.parse(created.stdout) as { client_id: string; client_secret: string };
    const res = await call(instance, '/oauth/token', {
      form: { grant_type: 'client_credentials' },
      client: { clientId: client.client_id, clientSecret: client.client_secret },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.scope).toBe('reports:read');
  });
});
