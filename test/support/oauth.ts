import { Agent } from 'node:http';
import type { Response } from 'supertest';
import { expect } from 'vitest';
import { ADMIN, FIRST_PARTY, type TestApp } from './app.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** RFC 6749 §2.3.1 Basic: id and secret form-urlencoded, then base64. */
export function basic({ clientId, clientSecret }: ClientCredentials): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** POST /oauth/token as a form, authenticated with Basic by default. */
export function tokenRequest(t: TestApp, form: Record<string, string>, client: ClientCredentials | null = FIRST_PARTY) {
  const req = t.http().post('/oauth/token').type('form');
  if (client) req.set('Authorization', basic(client));
  return req.send(form);
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  scope: string;
  expires_in: number;
}

export async function passwordLogin(
  t: TestApp,
  user: { username: string; password: string } = ADMIN,
  options: { scope?: string; client?: ClientCredentials } = {},
): Promise<Tokens> {
  const form: Record<string, string> = { grant_type: 'password', username: user.username, password: user.password };
  if (options.scope !== undefined) form.scope = options.scope;
  const res = await tokenRequest(t, form, options.client ?? FIRST_PARTY);
  expectStatus(res, 200);
  return res.body as Tokens;
}

/** A client_credentials token of `client` (a machine client: the bootstrap client has no such grant). */
export async function clientCredentialsToken(t: TestApp, client: ClientCredentials, scope?: string): Promise<Tokens> {
  const res = await tokenRequest(t, { grant_type: 'client_credentials', ...(scope !== undefined ? { scope } : {}) }, client);
  expectStatus(res, 200);
  return res.body as Tokens;
}

/** The admin's bearer header. */
export async function adminAuth(t: TestApp): Promise<string> {
  return `Bearer ${(await passwordLogin(t)).access_token}`;
}

/** Like expect(res.status).toBe(status), but shows the body when it fails. */
export function expectStatus(res: Response, status: number): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
}

const agents = new Map<string, Agent>();

/**
 * An HTTP agent whose connections come from `address`: all of 127.0.0.0/8 is
 * this machine, so a test can be several callers, and the server (trusting no
 * proxy) sees each as the peer it is. Use with supertest's `.agent(…)`.
 */
export function fromAddress(address: string): Agent {
  let agent = agents.get(address);
  if (!agent) agents.set(address, (agent = new Agent({ localAddress: address })));
  return agent;
}
