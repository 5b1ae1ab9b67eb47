import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { adminAuth, type ClientCredentials, expectStatus, passwordLogin } from './oauth.js';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  /** Bearer header of a fresh login through the first-party client. */
  auth: string;
}

/** Creates a user through POST /admin/users (role `user` unless told) and logs them in. */
export async function createUser(t: TestApp, adminAuth: string, username: string, roles: string[] = ['user']): Promise<TestUser> {
  const password = `pw-${username}-${randomUUID().slice(0, 8)}`;
  const res = await t.http().post('/admin/users').set('Authorization', adminAuth).send({ username, password, roles });
  expectStatus(res, 201);
  const tokens = await passwordLogin(t, { username, password });
  return { id: res.body.id as string, username, password, auth: `Bearer ${tokens.access_token}` };
}

/** The response body of a client as GET /clients/:id shows it. */
export interface ClientBody {
  id: string;
  name: string;
  status: 'pending' | 'approved' | 'rejected' | 'suspended';
  client_id: string | null;
  grant_types: string[];
  scopes: string[];
  requested_grant_types: string[];
  requested_scopes: string[];
  trusted: boolean;
  review_note: string | null;
  has_secret: boolean;
  secret_created_at: string | null;
  owner_id: string | null;
  [key: string]: unknown;
}

export interface Registration {
  name?: string;
  description?: string;
  grant_types?: string[];
  scopes?: string[];
  redirect_uris?: string[];
  contact_email?: string;
  [key: string]: unknown;
}

export function registerRequest(t: TestApp, auth: string, body: Record<string, unknown>) {
  return t.http().post('/clients').set('Authorization', auth).send(body);
}

/** Registers a client (201 expected) with sensible defaults. */
export async function registerClient(t: TestApp, auth: string, body: Registration = {}): Promise<ClientBody> {
  const res = await registerRequest(t, auth, {
    name: 'Test app',
    description: 'An application under test',
    grant_types: ['client_credentials'],
    scopes: ['inventory:read'],
    ...body,
  });
  expectStatus(res, 201);
  return res.body as ClientBody;
}

export type ReviewAction = 'approve' | 'reject' | 'suspend' | 'reinstate';

export function reviewRequest(t: TestApp, auth: string, id: string, action: ReviewAction, body?: Record<string, unknown>) {
  const req = t.http().post(`/admin/clients/${id}/${action}`).set('Authorization', auth);
  return body === undefined ? req : req.send(body);
}

/** A decision that must succeed; returns the client after it. */
export async function review(t: TestApp, auth: string, id: string, action: ReviewAction, body?: Record<string, unknown>): Promise<ClientBody> {
  const res = await reviewRequest(t, auth, id, action, body);
  expectStatus(res, 200);
  return res.body as ClientBody;
}

export function secretRequest(t: TestApp, auth: string, id: string) {
  return t.http().post(`/clients/${id}/secret`).set('Authorization', auth);
}

/** Takes a (new) secret as the owner; returns credentials usable at /oauth/token. */
export async function takeSecret(t: TestApp, auth: string, id: string): Promise<ClientCredentials> {
  const res = await secretRequest(t, auth, id);
  expectStatus(res, 200);
  return { clientId: res.body.client_id as string, clientSecret: res.body.client_secret as string };
}

/** Registers, approves (with `approval`) and takes a secret. */
export async function approvedClient(
  t: TestApp,
  owner: TestUser,
  reviewerAuth: string,
  registration: Registration = {},
  approval: Record<string, unknown> = {},
): Promise<{ client: ClientBody; credentials: ClientCredentials }> {
  const registered = await registerClient(t, owner.auth, registration);
  await review(t, reviewerAuth, registered.id, 'approve', approval);
  const credentials = await takeSecret(t, owner.auth, registered.id);
  const res = await t.http().get(`/clients/${registered.id}`).set('Authorization', owner.auth);
  expectStatus(res, 200);
  return { client: res.body as ClientBody, credentials };
}

/**
 * A machine client (client_credentials) made as the README tells an operator
 * to make one: registered and approved by the admin, who holds every scope it
 * asks for. (The bootstrap client has no client_credentials grant.)
 */
export async function machineClient(t: TestApp, scopes: string[], name = 'Machine client'): Promise<ClientCredentials & { id: string }> {
  const auth = await adminAuth(t);
  const registered = await registerClient(t, auth, { name, grant_types: ['client_credentials'], scopes });
  await review(t, auth, registered.id, 'approve');
  return { id: registered.id, ...(await takeSecret(t, auth, registered.id)) };
}

/** The error message of a 4xx JSON body (a string or class-validator's list), as one string. */
export function messageOf(res: Response): string {
  const message = (res.body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message);
}

/** Asserts no secret material in a body: no such key, and none of the given secret strings anywhere. */
export function expectNoSecret(body: unknown, ...secrets: string[]): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/"(client_secret|secret_digest|secretDigest)"/);
  for (const secret of secrets) expect(text).not.toContain(secret);
}
