import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { AccessEvent } from '../events/access-event.js';
import { RESOLVED_OPTIONS, type ResolvedOptions } from '../options.js';
import { TokenVerifier } from '../tokens/token-verifier.js';
import type { VerifiedToken } from '../tokens/verified-token.js';

/** What introspection said about one token, kept until the token expires or an event names it. */
export interface CachedAccess {
  kind: 'user' | 'client';
  sub: string;
  clientId: string;
  sid: string | null;
  kid: string;
  username: string | null;
  permissions: readonly string[];
}

/** Deny entries that no event bounds in time live as long as any token could: the longest lifetime plus the leeway. */
const DENY_LIST_SIZE = 100_000;
const RETIRED_KEYS_SIZE = 1_000;

/**
 * Everything this service knows about access beyond a token's signature: the permissions loaded
 * per token, and what the event stream said is dead (a `jti`, a `sid`, a subject or client up to a
 * moment, a key). Events turn into deny entries and evictions here, synchronously, so the next
 * request already sees them.
 *
 * The deny lists refuse without a call to Gatehouse. They are bounded; an entry pushed out only
 * costs a call, never a wrong answer, because the event that made it also evicted the token's
 * cached permissions and introspection answers `active: false` for it.
 */
@Injectable()
export class AccessState {
  /** Bumped by every event and every change of stream connection: an introspection that straddles one is not cached. */
  private generation = 0;
  private readonly permissions: LRUCache<string, CachedAccess>;
  private readonly deadTokens: LRUCache<string, string>;
  private readonly deadFamilies: LRUCache<string, true>;
  private readonly subjectsNotBefore: LRUCache<string, number>;
  private readonly clientsNotBefore: LRUCache<string, number>;
  private readonly retiredKeys = new LRUCache<string, true>({ max: RETIRED_KEYS_SIZE });

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly verifier: TokenVerifier,
  ) {
    const ttl = (options.maxTokenLifetimeSeconds + options.clockToleranceSeconds) * 1000;
    this.permissions = new LRUCache({ max: options.permissionCacheSize });
    this.deadTokens = new LRUCache({ max: DENY_LIST_SIZE, ttl });
    this.deadFamilies = new LRUCache({ max: DENY_LIST_SIZE, ttl });
    this.subjectsNotBefore = new LRUCache({ max: DENY_LIST_SIZE, ttl });
    this.clientsNotBefore = new LRUCache({ max: DENY_LIST_SIZE, ttl });
  }

  get currentGeneration(): number {
    return this.generation;
  }

  /** Why the token is refused without asking Gatehouse, or null. */
  refusal(token: VerifiedToken): string | null {
    const dead = this.deadTokens.get(token.jti);
    if (dead) return dead;
    if (token.sid !== null && this.deadFamilies.has(token.sid)) return 'The access token has been revoked';
    if (this.retiredKeys.has(token.kid)) return 'The access token was signed by a retired key';
    const clientCutoff = this.clientsNotBefore.get(token.clientId);
    if (clientCutoff !== undefined && token.iat <= clientCutoff) return 'The client is not approved';
    const subjectCutoff = this.subjectsNotBefore.get(token.sub);
    if (subjectCutoff !== undefined && token.iat <= subjectCutoff) {
      return subjectCutoff === Infinity ? 'The user no longer exists' : 'The user is disabled';
    }
    return null;
  }

  cached(jti: string): CachedAccess | undefined {
    return this.permissions.get(jti);
  }

  /** Keeps an introspection answer, unless an event or a reconnection happened since `generation` was read. */
  remember(token: VerifiedToken, access: CachedAccess, generation: number): void {
    if (generation !== this.generation) return;
    const ttl = (token.exp + this.options.clockToleranceSeconds) * 1000 - Date.now();
    if (ttl > 0) this.permissions.set(token.jti, access, { ttl });
  }

  /** Introspection said the token is not active: Gatehouse never revives a token, so refuse it locally from now on. */
  rememberInactive(token: VerifiedToken, reason: string): void {
    this.deadTokens.set(token.jti, reason, { ttl: this.untilExpiry(token.exp) });
  }

  /** The stream connected or dropped: decisions cached from before cannot be trusted to be covered by a replay. */
  invalidateInFlight(): void {
    this.generation++;
  }

  /** Drops every cached decision (the deny lists stay: they only ever refuse). */
  forgetAll(): void {
    this.generation++;
    this.permissions.clear();
    this.verifier.forget();
  }

  apply(event: AccessEvent): void {
    this.generation++;
    switch (event.type) {
      case 'access_token.revoked':
        this.deadTokens.set(event.jti, 'The access token has been revoked', { ttl: this.untilExpiry(event.exp) });
        this.evict((_entry, jti) => jti === event.jti);
        return;
      case 'family.revoked':
        this.deadFamilies.set(event.sid, true);
        this.evict((entry) => entry.sid === event.sid);
        return;
      case 'user.disabled':
        this.subjectsNotBefore.set(event.sub, Math.max(event.not_before, this.subjectsNotBefore.get(event.sub) ?? -Infinity));
        this.evict((entry) => entry.sub === event.sub);
        return;
      case 'user.deleted':
        this.subjectsNotBefore.set(event.sub, Infinity);
        this.evict((entry) => entry.sub === event.sub);
        return;
      case 'user.roles_changed':
        this.evict((entry) => entry.sub === event.sub);
        return;
      case 'role.changed':
        // Introspection does not say which roles a user holds, so every user's permissions may have changed;
        // a client's come from its granted scopes, not from roles.
        this.evict((entry) => entry.kind === 'user');
        return;
      case 'client.suspended':
        this.clientsNotBefore.set(event.client_id, Math.max(event.not_before, this.clientsNotBefore.get(event.client_id) ?? -Infinity));
        this.evict((entry) => entry.clientId === event.client_id);
        return;
      case 'client.changed':
        this.evict((entry) => entry.clientId === event.client_id);
        return;
      case 'key.retired':
        this.retiredKeys.set(event.kid, true);
        this.evict((entry) => entry.kid === event.kid);
        this.verifier.forget(event.kid);
        return;
      case 'unknown':
        this.forgetAll();
        return;
    }
  }

  /**
   * A scan rather than secondary indexes: events are rare next to requests, and a scan of a bounded
   * cache is a fraction of a millisecond, with no index to keep in step with the LRU's own evictions.
   */
  private evict(matches: (entry: CachedAccess, jti: string) => boolean): void {
    const doomed = [...this.permissions.entries()].filter(([jti, entry]) => matches(entry, jti));
    for (const [jti] of doomed) this.permissions.delete(jti);
  }

  private untilExpiry(exp: number): number {
    return Math.max(1, (exp + this.options.clockToleranceSeconds) * 1000 - Date.now());
  }
}
