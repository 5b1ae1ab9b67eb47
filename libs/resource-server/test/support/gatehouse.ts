import type { GatehouseResourceOptions } from '@gatehouse/resource-server';
import { type JWTPayload, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import { KeySetService } from '../../../../src/auth/keys/key-set.service.js';
import { TokenInspectionService } from '../../../../src/auth/oauth/token-inspection.service.js';
import { startListeningApp, type TestApp } from '../../../../test/support/app.js';
import { machineClient } from '../../../../test/support/clients.js';
import type { ClientCredentials } from '../../../../test/support/oauth.js';
import type { FakeEvents } from './fake-events.js';

export { FIRST_PARTY, type TestApp } from '../../../../test/support/app.js';

/** A Gatehouse on a real port, and the service's own client there. */
export type Gatehouse = TestApp & { baseUrl: string; service: ClientCredentials };

/**
 * Starts Gatehouse and makes the service's client as the README says: registered and approved
 * for client_credentials with `introspect` and `events:subscribe` (and `inventory:read`, so the
 * tests can also call the service as that client).
 */
export async function startGatehouse(): Promise<Gatehouse> {
  const t = await startListeningApp();
  return Object.assign(t, { service: await machineClient(t, ['introspect', 'events:subscribe', 'inventory:read']) });
}

/** The library configured against a Gatehouse as the service's client, with the fake events stream and bounds short enough for tests. */
export function resourceOptions(
  t: Pick<Gatehouse, 'baseUrl' | 'service'>,
  events: FakeEvents,
  overrides: Partial<GatehouseResourceOptions> = {},
): GatehouseResourceOptions {
  return {
    issuer: t.baseUrl,
    clientId: t.service.clientId,
    clientSecret: t.service.clientSecret,
    ...overrides,
    events: { url: events.url, heartbeatTimeoutSeconds: 2, reconnectDelayMs: 20, maxReconnectDelayMs: 200, ...overrides.events },
  };
}

/**
 * Counts Gatehouse's introspections. Without `permissions`, each answer loses the `permissions`
 * member Gatehouse adds to an active access token's, as an older Gatehouse would answer.
 */
export function watchIntrospection(t: TestApp, { permissions = true } = {}) {
  const inspection = t.app.get(TokenInspectionService);
  const original = inspection.introspect.bind(inspection);
  return vi.spyOn(inspection, 'introspect').mockImplementation(async (token, hint) => {
    const answer = await original(token, hint);
    if (permissions) return answer;
    const older: Partial<typeof answer> = Object.assign({}, answer);
    delete older.permissions;
    return older as typeof answer;
  });
}

/** Claims of a well-formed client-credentials access token of the service's client, with `overrides`. */
export function accessTokenClaims(t: Pick<Gatehouse, 'baseUrl' | 'service'>, overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: t.baseUrl,
    aud: t.baseUrl,
    sub: t.service.clientId,
    client_id: t.service.clientId,
    scope: 'inventory:read',
    jti: randomUUID(),
    iat: now,
    exp: now + 300,
    ...overrides,
  };
}

/** Signed with Gatehouse's own active key: only the claim or header under test is off. */
export async function signedByGatehouse(t: Gatehouse, overrides: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  const key = await t.app.get(KeySetService).activeKey();
  return new SignJWT(accessTokenClaims(t, overrides)).setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.kid, ...header }).sign(key.privateKey);
}
