import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { Client, GRANT_TYPES } from '../../src/clients/client.entity.js';
import { digestSecret, generateClientId, generateClientSecret } from '../../src/clients/client-secret.js';
import { InvalidationBus } from '../../src/common/invalidation/invalidation.bus.js';
import { ALL_PERMISSIONS } from '../../src/common/permissions.js';
import { TransactionService } from '../../src/database/transaction.service.js';
import type { TestApp } from './app.js';
import { adminAuth, type ClientCredentials } from './oauth.js';

/**
 * A client row written straight to the database, for token-server tests that
 * need clients in particular states without going through the review workflow.
 */
export async function insertClient(t: TestApp, overrides: Partial<Client> = {}): Promise<ClientCredentials & { id: string }> {
  const clientSecret = generateClientSecret();
  const now = new Date();
  const client: Client = {
    id: randomUUID(),
    clientId: generateClientId(),
    ownerId: null,
    name: 'Fixture client',
    description: '',
    contactEmail: null,
    redirectUris: [],
    requestedGrantTypes: [...GRANT_TYPES],
    requestedScopes: [...ALL_PERMISSIONS],
    grantTypes: [...GRANT_TYPES],
    scopes: [...ALL_PERMISSIONS],
    trusted: false,
    tokenEndpointAuthMethod: 'client_secret_basic',
    firstParty: false,
    status: 'approved',
    reviewNote: null,
    secretDigest: digestSecret(clientSecret),
    secretCreatedAt: now,
    tokensNotBefore: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await t.app.get(TransactionService).run((m) => m.insert(Client, client));
  // Written behind the application's back: tell its caches, as the services do after a change.
  t.app.get(InvalidationBus).publish({ kind: 'client', id: client.id });
  return { id: client.id, clientId: client.clientId!, clientSecret };
}

let counter = 0;

/** A user created through the admin API; returns its id and credentials. */
export async function createUser(
  t: TestApp,
  roles: string[] = ['user'],
  username = `user${++counter}-${randomUUID().slice(0, 8)}`,
): Promise<{ id: string; username: string; password: string }> {
  const password = `password-${randomUUID()}`;
  const res = await t
    .http()
    .post('/admin/users')
    .set('Authorization', await adminAuth(t))
    .send({ username, password, roles });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, username, password };
}
