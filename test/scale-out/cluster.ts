import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, type RunningServer, spawnServer, waitForOutput } from '../support/server-process.js';

export const CLUSTER_ISSUER = 'http://gatehouse.cluster.test';
export const CLUSTER_ADMIN = { username: 'admin', password: 'cluster-admin-password' };
export const CLUSTER_CLIENT = { clientId: 'cluster-client', clientSecret: 'cluster-client-secret-0123456789abcdef' };

export interface Instance {
  name: string;
  url: string;
  server: RunningServer;
}

export interface Cluster {
  database: TestDatabase;
  env: Record<string, string>;
  instances: Instance[];
  start(name: string): Promise<Instance>;
  close(): Promise<void>;
}

/**
 * Identical instances of the compiled server (`node dist/main.js`) on one
 * fresh PostgreSQL database and one Redis namespace, as behind a load balancer.
 */
export async function createCluster(extraEnv: Record<string, string> = {}): Promise<Cluster> {
  const database = await createTestDatabase('postgres');
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: process.env.TEST_REDIS_URL!,
    REDIS_KEY_PREFIX: `cluster:${randomBytes(6).toString('hex')}:`,
    ISSUER: CLUSTER_ISSUER,
    HOST: '127.0.0.1',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_USERNAME: CLUSTER_ADMIN.username,
    BOOTSTRAP_ADMIN_PASSWORD: CLUSTER_ADMIN.password,
    BOOTSTRAP_CLIENT_ID: CLUSTER_CLIENT.clientId,
    BOOTSTRAP_CLIENT_SECRET: CLUSTER_CLIENT.clientSecret,
    ...extraEnv,
  };
  const instances: Instance[] = [];
  return {
    database,
    env,
    instances,
    async start(name: string) {
      const port = await freePort();
      const server = spawnServer({ ...env, PORT: String(port) });
      await waitForOutput(server, /Gatehouse listening/);
      const instance = { name, url: `http://127.0.0.1:${port}`, server };
      instances.push(instance);
      return instance;
    },
    async close() {
      await Promise.all(instances.map((instance) => instance.server.stop(5000)));
      await database.drop();
    },
  };
}

const basic = ({ clientId, clientSecret }: { clientId: string; clientSecret: string }) =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;

export interface HttpResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function call(
  instance: Instance,
  path: string,
  init: { method?: string; token?: string; json?: unknown; form?: Record<string, string>; client?: typeof CLUSTER_CLIENT } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.client) headers.Authorization = basic(init.client);
  if (init.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${instance.url}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export const token = (instance: Instance, form: Record<string, string>) => call(instance, '/oauth/token', { form, client: CLUSTER_CLIENT });

export async function login(instance: Instance, user = CLUSTER_ADMIN, scope?: string): Promise<{ access_token: string; refresh_token: string }> {
  const res = await token(instance, { grant_type: 'password', username: user.username, password: user.password, ...(scope ? { scope } : {}) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { access_token: string; refresh_token: string };
}

/** Polls until `check` holds; returns how long it took, or throws after `timeoutMs`. */
export async function within(timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}
