import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, freePort, startChild } from './processes.js';

/** What the bench bootstraps every server with, so it knows the credentials. */
export const ADMIN = { username: 'bench-admin', password: 'bench-admin-password-0123' };
export const CLIENT = { clientId: 'bench-first-party', clientSecret: 'bench-first-party-secret-0123456789abcdef' };
/** The scope asked for in client_credentials requests, of Gatehouse and of the peer alike. */
export const MACHINE_SCOPE = 'inventory:read';

/** Every variable of API.md: whatever the caller's shell has set is dropped, the bench decides. */
const SERVER_ENV = [
  'PORT',
  'HOST',
  'ISSUER',
  'ACCESS_TOKEN_AUDIENCE',
  'DATABASE_URL',
  'REDIS_URL',
  'ACCESS_TOKEN_TTL',
  'REFRESH_TOKEN_TTL',
  'REFRESH_TOKEN_IDLE_TTL',
  'REFRESH_TOKEN_GRACE_PERIOD',
  'RATE_LIMIT_PER_MINUTE',
  'LOGIN_FAILURES_BEFORE_LOCKOUT',
  'TRUST_PROXY',
  'BCRYPT_COST',
  'BOOTSTRAP_ADMIN_USERNAME',
  'BOOTSTRAP_ADMIN_PASSWORD',
  'BOOTSTRAP_CLIENT_ID',
  'BOOTSTRAP_CLIENT_SECRET',
  'SIGNING_ALG',
  'SIGNING_KEY_ENCRYPTION_SECRET',
  'LOG_LEVEL',
  'UV_THREADPOOL_SIZE',
  'NODE_OPTIONS',
];

const PROFILE_HOOKS = fileURLToPath(new URL('./profile-hooks.mjs', import.meta.url));

export interface GatehouseOptions {
  name: string;
  /** The compiled entry point, dist/main.js. */
  entry: string;
  databaseUrl: string;
  bcryptCost: number;
  poolSize: number;
  /** When set, the server runs under `--cpu-prof` and writes its profile here when stopped. */
  profileDir?: string;
}

export interface Gatehouse extends Child {
  url: string;
  /** The machine client the client_credentials figures use (the bootstrap client signs users in only). */
  machine: ClientCredentials;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** `node dist/main.js` with production settings on a database of the caller's choosing. */
export async function startGatehouse(options: GatehouseOptions): Promise<Gatehouse> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SERVER_ENV) delete env[name];
  Object.assign(env, {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    ISSUER: url,
    DATABASE_URL: options.databaseUrl,
    // Required on PostgreSQL (the keys are sealed under it); used on SQLite too, so both dialects do the same work.
    SIGNING_KEY_ENCRYPTION_SECRET: 'bench-key-encryption-secret-0123456789abcdef',
    LOG_LEVEL: 'warn',
    BCRYPT_COST: String(options.bcryptCost),
    UV_THREADPOOL_SIZE: String(options.poolSize),
    // One address sends all the load here; the per-address limit would measure the limiter.
    RATE_LIMIT_PER_MINUTE: '0',
    BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    BOOTSTRAP_CLIENT_ID: CLIENT.clientId,
    BOOTSTRAP_CLIENT_SECRET: CLIENT.clientSecret,
  });
  const nodeArgs = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir, '--import', PROFILE_HOOKS, options.entry] : [options.entry];
  const child = await startChild(options.name, process.execPath, nodeArgs, {
    env,
    cwd: resolve(options.entry, '..', '..'),
    stdio: options.profileDir ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    ready: /Gatehouse listening/,
  });
  if (options.profileDir) {
    // A normal exit (see profile-hooks.mjs) so that the profile gets written.
    const stop = child.stop;
    child.stop = async () => {
      if (child.process.connected) {
        const exited = new Promise((done) => child.process.once('exit', done));
        child.process.disconnect();
        await Promise.race([exited, new Promise((done) => setTimeout(done, 15_000))]);
      }
      await stop();
    };
  }
  try {
    return { ...child, url, machine: await registerMachineClient(url) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** A machine client for MACHINE_SCOPE, made as the README says: registered by the admin, approved, its secret taken. */
async function registerMachineClient(baseUrl: string): Promise<ClientCredentials> {
  const bearer = `Bearer ${await adminAccessToken(baseUrl)}`;
  const post = async (path: string, body: object) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: bearer, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as Record<string, string>;
  };
  const registered = await post('/clients', {
    name: 'bench machine',
    description: 'client_credentials load',
    grant_types: ['client_credentials'],
    scopes: [MACHINE_SCOPE],
  });
  await post(`/admin/clients/${registered.id}/approve`, {});
  const secret = await post(`/clients/${registered.id}/secret`, {});
  return { clientId: secret.client_id, clientSecret: secret.client_secret };
}

/** RFC 6749 §2.3.1: id and secret form-urlencoded, then base64. */
export function basic({ clientId, clientSecret }: { clientId: string; clientSecret: string }): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
}

/** POST /oauth/token as the bench's client; throws with the body on anything but 200. */
export async function token(baseUrl: string, fields: Record<string, string>): Promise<TokenResponse> {
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic(CLIENT), 'content-type': 'application/x-www-form-urlencoded' },
    body: form(fields),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`POST /oauth/token (${fields.grant_type}) answered ${res.status}: ${body}`);
  return JSON.parse(body) as TokenResponse;
}

export const passwordForm = () => ({ grant_type: 'password', username: ADMIN.username, password: ADMIN.password });
export const clientCredentialsForm = () => ({ grant_type: 'client_credentials', scope: MACHINE_SCOPE });

export async function adminAccessToken(baseUrl: string): Promise<string> {
  return (await token(baseUrl, passwordForm())).access_token;
}
