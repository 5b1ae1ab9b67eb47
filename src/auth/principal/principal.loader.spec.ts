import { describe, expect, it } from 'vitest';
import { client as clientState, user as userState } from '../../../test/support/grant-doubles.js';
import type { Metrics } from '../../metrics/metrics.service.js';
import type { AccessTokenClaims } from '../tokens/access-token.claims.js';
import type { AccessTokenRevocations, RevocableToken } from '../tokens/access-token-revocations.service.js';
import type { AuthStateCache, ClientState, UserState } from './auth-state.cache.js';
import { PrincipalLoader } from './principal.loader.js';

const IAT = 1_000;

/** The world a principal is resolved against: what is cached, what is revoked; and what was looked up. */
function world(options: { user?: UserState | null; client?: ClientState | null; revoked?: string[] } = {}) {
  const users = new Map<string, UserState | null>([['user-1', options.user === undefined ? userState() : options.user]]);
  const client = options.client === undefined ? clientState() : options.client;
  const revoked = new Set(options.revoked ?? []);
  const lookups: string[] = [];
  const state = {
    user: (id: string) => Promise.resolve(users.get(id) ?? null),
    cachedUser: (id: string) => users.get(id),
    client: () => Promise.resolve(client),
    knownClient: () => client,
  } as unknown as AuthStateCache;
  const revocations = {
    isRevoked: (token: RevocableToken) => Promise.resolve(revoked.has(token.jti) || (token.sid !== undefined && revoked.has(`sid:${token.sid}`))),
    knownNotRevoked: (token: RevocableToken) => !revoked.has(token.jti) && !(token.sid !== undefined && revoked.has(`sid:${token.sid}`)),
  } as unknown as AccessTokenRevocations;
  const metrics = { cacheLookups: { labels: (_cache: string, outcome: string) => ({ inc: () => lookups.push(outcome) }) } } as unknown as Metrics;
  return { loader: new PrincipalLoader(state, revocations, metrics), users, revoked, lookups };
}

const claims = (overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims => ({
  iss: 'http://gatehouse.test',
  sub: 'user-1',
  aud: 'http://gatehouse.test',
  client_id: 'gh_client',
  scope: 'notes:read reports:read',
  iat: IAT,
  exp: IAT + 900,
  jti: 'jti-1',
  sid: 'family-1',
  ...overrides,
});

describe('PrincipalLoader: verified claims → this request’s principal', () => {
  it('builds a user principal whose permissions are the scope ∩ what the user holds now', async () => {
    const { loader } = world();
    expect(await loader.load(claims())).toMatchObject({
      kind: 'user',
      userId: 'user-1',
      username: 'ann',
      scope: ['notes:read', 'reports:read'],
      permissions: ['notes:read'],
    });
  });

  it("builds a client principal for client credentials (sub = client_id), from the client's scopes", async () => {
    const { loader } = world();
    const principal = await loader.load(claims({ sub: 'gh_client', scope: 'reports:read users:manage', sid: undefined }));
    expect(principal).toMatchObject({ kind: 'client', userId: null, permissions: ['reports:read'] });
  });

  it.each([
    ['the token is revoked', { revoked: ['jti-1'] }, 'The access token has been revoked'],
    ['its login (sid) is revoked', { revoked: ['sid:family-1'] }, 'The access token has been revoked'],
    ['the client is unknown', { client: null }, 'The client is not approved'],
    ['the client is suspended', { client: clientState({ status: 'suspended' }) }, 'The client is not approved'],
    ['the client was cut off after the token was issued', { client: clientState({ tokensNotBefore: IAT * 1000 }) }, 'The access token has been revoked'],
    ['the user is gone', { user: null }, 'The user no longer exists'],
    ['the user is disabled', { user: userState({ disabled: true }) }, 'The user is disabled'],
    [
      'the user was cut off in the second the token was issued',
      { user: userState({ tokensNotBefore: IAT * 1000 + 500 }) },
      'The access token has been revoked',
    ],
  ] as const)('refuses with 401 invalid_token when %s', async (_case, setup, reason) => {
    const { loader } = world(setup as Parameters<typeof world>[0]);
    await expect(loader.load(claims())).rejects.toMatchObject({ status: 401 });
    expect(await loader.tryLoad(claims())).toBe(reason);
  });

  it('reuses a remembered principal only while nothing it was built from has changed', async () => {
    const { loader, users, revoked, lookups } = world();
    const first = await loader.load(claims());
    expect(await loader.load(claims())).toBe(first);
    expect(lookups).toEqual(['miss', 'hit']);

    users.set('user-1', userState({ held: new Set(['notes:read', 'reports:read']) }));
    expect((await loader.load(claims())).permissions).toEqual(['notes:read', 'reports:read']);

    revoked.add('sid:family-1');
    await expect(loader.load(claims())).rejects.toMatchObject({ status: 401 });
  });
});
