import type { FastifyRequest } from 'fastify';
import type { UserState } from '../../src/auth/principal/auth-state.cache.js';
import type { AuthenticatedClient } from '../../src/auth/strategies/client.strategy.js';
import type { AccessTokenService } from '../../src/auth/tokens/access-token.service.js';
import { RefreshTokenFamily } from '../../src/auth/tokens/refresh-token-family.entity.js';

/** Test doubles shared by the grants' unit specs: what a grant is given, and a signer that records. */
export function client(overrides: Partial<AuthenticatedClient> = {}): AuthenticatedClient {
  return {
    id: 'client-row',
    clientId: 'gh_client',
    name: 'Client',
    status: 'approved',
    trusted: true,
    grantTypes: new Set(['password', 'refresh_token', 'client_credentials']),
    scopes: new Set(['notes:read', 'notes:write', 'reports:read']),
    secretDigest: null,
    tokensNotBefore: 0,
    isPublic: false,
    method: 'client_secret_basic',
    ...overrides,
  };
}

export function user(overrides: Partial<UserState> = {}): UserState {
  return { id: 'user-1', username: 'ann', disabled: false, tokensNotBefore: 0, roles: ['user'], held: new Set(['notes:read', 'notes:write']), ...overrides };
}

export function family(overrides: Partial<RefreshTokenFamily> = {}): RefreshTokenFamily {
  return Object.assign(new RefreshTokenFamily(), {
    id: 'family-1',
    clientId: 'client-row',
    userId: 'user-1',
    scope: 'notes:read notes:write',
    createdAt: new Date(10_000),
    expiresAt: new Date(Date.now() + 60_000),
    revokedAt: null,
    revokedReason: null,
    ...overrides,
  });
}

export const request = { ip: '192.0.2.1' } as FastifyRequest;

/** An AccessTokenService that records what it was asked to sign. */
export function signer() {
  const issued: Array<Parameters<AccessTokenService['issue']>[0]> = [];
  const service = {
    issue: (input: Parameters<AccessTokenService['issue']>[0]) => {
      issued.push(input);
      return Promise.resolve({ token: `token-${issued.length}`, claims: {} as never, expiresIn: 900 });
    },
  } as unknown as AccessTokenService;
  return { service, issued };
}
