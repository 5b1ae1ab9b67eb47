import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IssuerMetadata } from '../discovery/issuer-metadata.js';
import type { AccessEvent } from '../events/access-event.js';
import { resolveOptions } from '../options.js';
import { TokenVerifier } from '../tokens/token-verifier.js';
import type { VerifiedToken } from '../tokens/verified-token.js';
import { AccessState, type CachedAccess } from './access-state.js';

const now = () => Math.floor(Date.now() / 1000);
let counter = 0;

function token(overrides: Partial<VerifiedToken> = {}): VerifiedToken {
  const iat = now() - 10;
  return {
    raw: `raw-${++counter}`,
    kid: 'k1',
    sub: 'alice',
    clientId: 'app',
    scope: ['notes:read'],
    iat,
    exp: iat + 900,
    jti: `jti-${counter}`,
    sid: 'family-a',
    ...overrides,
  };
}

const accessOf = (t: VerifiedToken): CachedAccess => ({
  kind: t.sub === t.clientId ? 'client' : 'user',
  sub: t.sub,
  clientId: t.clientId,
  sid: t.sid,
  kid: t.kid,
  username: null,
  permissions: t.scope,
});

describe('AccessState: what each event refuses and evicts', () => {
  let state: AccessState;
  let verifier: TokenVerifier;
  let alice: VerifiedToken;
  let aliceElsewhere: VerifiedToken;
  let bob: VerifiedToken;
  let machine: VerifiedToken;

  const remember = (...tokens: VerifiedToken[]) => {
    for (const t of tokens) state.remember(t, accessOf(t), state.currentGeneration);
  };
  const cachedJtis = () => [alice, aliceElsewhere, bob, machine].filter((t) => state.cached(t.jti)).map((t) => t.jti);
  const apply = (event: AccessEvent) => state.apply(event);

  beforeEach(() => {
    const options = resolveOptions({ issuer: 'https://auth.example', clientId: 'rs', clientSecret: 's', permissionCacheSize: 100 });
    verifier = new TokenVerifier(options, new IssuerMetadata(options));
    state = new AccessState(options, verifier);
    alice = token();
    aliceElsewhere = token({ clientId: 'other-app', sid: 'family-b', kid: 'k2' });
    bob = token({ sub: 'bob', sid: 'family-c' });
    machine = token({ sub: 'robot', clientId: 'robot', sid: null });
    remember(alice, aliceElsewhere, bob, machine);
  });

  it('remembers introspection answers per token', () => {
    expect(cachedJtis()).toEqual([alice.jti, aliceElsewhere.jti, bob.jti, machine.jti]);
    expect(state.refusal(alice)).toBeNull();
  });

  it('access_token.revoked: that token is refused locally and evicted, nothing else', () => {
    apply({ type: 'access_token.revoked', jti: alice.jti, exp: alice.exp });
    expect(state.refusal(alice)).toBe('The access token has been revoked');
    expect(cachedJtis()).toEqual([aliceElsewhere.jti, bob.jti, machine.jti]);
  });

  it('family.revoked: every token carrying that sid is refused and evicted', () => {
    const sibling = token({ sid: 'family-a' });
    apply({ type: 'family.revoked', sid: 'family-a', sub: 'alice', client_id: 'app' });
    expect(state.refusal(alice)).toBe('The access token has been revoked');
    expect(state.refusal(sibling)).toBe('The access token has been revoked');
    expect(state.refusal(aliceElsewhere)).toBeNull();
    expect(cachedJtis()).toEqual([aliceElsewhere.jti, bob.jti, machine.jti]);
  });

  it("user.disabled: the user's tokens issued up to not_before are refused, later ones pass; all of theirs are evicted", () => {
    apply({ type: 'user.disabled', sub: 'alice', not_before: now() });
    expect(state.refusal(alice)).toBe('The user is disabled');
    expect(state.refusal(aliceElsewhere)).toBe('The user is disabled');
    expect(state.refusal(token({ iat: now() + 1 }))).toBeNull();
    expect(cachedJtis()).toEqual([bob.jti, machine.jti]);
  });

  it('user.disabled never moves the cut-off back (events replayed out of order)', () => {
    apply({ type: 'user.disabled', sub: 'alice', not_before: now() });
    apply({ type: 'user.disabled', sub: 'alice', not_before: now() - 3600 });
    expect(state.refusal(alice)).toBe('The user is disabled');
  });

  it('user.deleted: every token of the user is refused, whenever issued', () => {
    apply({ type: 'user.deleted', sub: 'bob' });
    expect(state.refusal(bob)).toBe('The user no longer exists');
    expect(state.refusal(token({ sub: 'bob', iat: now() + 5 }))).toBe('The user no longer exists');
    expect(cachedJtis()).toEqual([alice.jti, aliceElsewhere.jti, machine.jti]);
  });

  it("user.roles_changed: the user's entries are evicted (re-introspected), not refused", () => {
    apply({ type: 'user.roles_changed', sub: 'alice' });
    expect(state.refusal(alice)).toBeNull();
    expect(cachedJtis()).toEqual([bob.jti, machine.jti]);
  });

  it("role.changed: every user's entries are evicted; a client's (from its scopes, not roles) stay", () => {
    apply({ type: 'role.changed', role: 'user' });
    expect(cachedJtis()).toEqual([machine.jti]);
  });

  it("client.suspended: the client's tokens up to not_before are refused and evicted, for users and for the client itself", () => {
    apply({ type: 'client.suspended', client_id: 'robot', not_before: now() });
    expect(state.refusal(machine)).toBe('The client is not approved');
    apply({ type: 'client.suspended', client_id: 'app', not_before: now() });
    expect(state.refusal(alice)).toBe('The client is not approved');
    expect(state.refusal(bob)).toBe('The client is not approved');
    expect(state.refusal(aliceElsewhere)).toBeNull();
    expect(cachedJtis()).toEqual([aliceElsewhere.jti]);
  });

  it("client.changed: the client's entries are evicted, not refused", () => {
    apply({ type: 'client.changed', client_id: 'app' });
    expect(state.refusal(alice)).toBeNull();
    expect(cachedJtis()).toEqual([aliceElsewhere.jti, machine.jti]);
  });

  it("key.retired: the key's tokens are refused and evicted, and its remembered verifications dropped", () => {
    const forget = vi.spyOn(verifier, 'forget');
    apply({ type: 'key.retired', kid: 'k2' });
    expect(state.refusal(aliceElsewhere)).toBe('The access token was signed by a retired key');
    expect(state.refusal(alice)).toBeNull();
    expect(cachedJtis()).toEqual([alice.jti, bob.jti, machine.jti]);
    expect(forget).toHaveBeenCalledWith('k2');
  });

  it('an unknown event evicts everything and drops every remembered verification, but refuses nothing', () => {
    const forget = vi.spyOn(verifier, 'forget');
    apply({ type: 'unknown', received: 'session.ended' });
    expect(cachedJtis()).toEqual([]);
    expect(forget).toHaveBeenCalledWith();
    expect(state.refusal(alice)).toBeNull();
  });

  it('an answer obtained across an event is not cached (it may predate the event)', () => {
    const late = token();
    const generation = state.currentGeneration;
    apply({ type: 'role.changed', role: 'user' });
    state.remember(late, accessOf(late), generation);
    expect(state.cached(late.jti)).toBeUndefined();
    state.remember(late, accessOf(late), state.currentGeneration);
    expect(state.cached(late.jti)).toBeDefined();
  });

  it('an answer obtained across a reconnection is not cached either', () => {
    const late = token();
    const generation = state.currentGeneration;
    state.invalidateInFlight();
    state.remember(late, accessOf(late), generation);
    expect(state.cached(late.jti)).toBeUndefined();
  });

  it('an inactive token is refused locally from then on', () => {
    const dead = token();
    state.rememberInactive(dead, 'The access token is no longer active');
    expect(state.refusal(dead)).toBe('The access token is no longer active');
  });

  it('the permission cache is bounded: a flood of tokens keeps at most permissionCacheSize entries', () => {
    const flood = Array.from({ length: 500 }, () => token());
    remember(...flood);
    expect(flood.filter((t) => state.cached(t.jti)).length).toBe(100);
  });
});
