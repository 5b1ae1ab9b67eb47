import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { BearerError } from '../../common/http/http-errors.js';
import { isPermission, type Permission } from '../../common/permissions.js';
import type { Principal } from '../../common/principal.js';
import { Metrics } from '../../metrics/metrics.service.js';
import type { AccessTokenClaims } from '../tokens/access-token.claims.js';
import { AccessTokenRevocations } from '../tokens/access-token-revocations.service.js';
import { isCutOff } from '../tokens/token-cutoff.js';
import { AuthStateCache, type ClientState, type UserState } from './auth-state.cache.js';

/** Principals remembered per token; an entry is only reused while its inputs are unchanged. */
const MEMO_SIZE = 10_000;

interface Loaded {
  principal: Principal;
  /** The cached state objects the principal was built from, compared by identity on reuse. */
  client: ClientState;
  user: UserState | null;
}

/**
 * Turns verified claims into this request's principal, re-checking what may
 * have changed since the token was issued: revocation, the client's approval,
 * the user's existence and status, and the permissions held now.
 *
 * The result is remembered per token and reused while the very same cached
 * user and client objects are still in place and the token is not revoked:
 * any change to either replaces or evicts its cached object, so a reused
 * principal is never staler than a fresh load would be.
 */
@Injectable()
export class PrincipalLoader {
  private readonly memo = new LRUCache<string, Loaded>({ max: MEMO_SIZE });

  constructor(
    private readonly state: AuthStateCache,
    private readonly revocations: AccessTokenRevocations,
    private readonly metrics: Metrics,
  ) {}

  /** The principal, or a 401 invalid_token naming what no longer holds. */
  async load(claims: AccessTokenClaims): Promise<Principal> {
    const remembered = this.remembered(claims);
    this.metrics.cacheLookups.labels('principal', remembered ? 'hit' : 'miss').inc();
    if (remembered) return remembered;
    const loaded = await this.resolve(claims);
    if (typeof loaded === 'string') throw BearerError.invalidToken(loaded);
    this.remember(claims.jti, loaded);
    return loaded.principal;
  }

  /** The principal, or why the token is no longer good (for introspection, which answers rather than throws). */
  async tryLoad(claims: AccessTokenClaims): Promise<Principal | string> {
    const loaded = await this.resolve(claims);
    return typeof loaded === 'string' ? loaded : loaded.principal;
  }

  /** Synchronous: the remembered principal if nothing it depends on has changed. */
  private remembered(claims: AccessTokenClaims): Principal | undefined {
    const entry = this.memo.get(claims.jti);
    if (!entry) return undefined;
    const unchanged =
      this.revocations.knownNotRevoked(claims) &&
      this.state.knownClient(claims.client_id) === entry.client &&
      (entry.user === null || this.state.cachedUser(entry.user.id) === entry.user);
    return unchanged ? entry.principal : undefined;
  }

  private remember(jti: string, loaded: Loaded): void {
    this.memo.set(jti, loaded);
  }

  private async resolve(claims: AccessTokenClaims): Promise<Loaded | string> {
    if (await this.revocations.isRevoked(claims)) return 'The access token has been revoked';
    const issuedAtMs = claims.iat * 1000;
    const client = await this.state.client(claims.client_id);
    if (!client || client.status !== 'approved') return 'The client is not approved';
    if (isCutOff(issuedAtMs, client.tokensNotBefore)) return 'The access token has been revoked';
    const scope = claims.scope.split(' ').filter(Boolean);
    const base = {
      subject: claims.sub,
      client: { id: client.id, clientId: client.clientId },
      scope,
      token: { jti: claims.jti, iat: claims.iat, exp: claims.exp },
    };
    if (claims.sub === claims.client_id) {
      // A client acting for itself holds its granted scopes (never more than its reviewer held) only
      // while it keeps the client_credentials grant: a first-party client's scopes bound its users' tokens.
      const held = client.grantTypes.has('client_credentials') ? client.scopes : NOTHING;
      const principal: Principal = {
        ...base,
        kind: 'client',
        userId: null,
        username: null,
        roles: [],
        held,
        permissions: effective(scope, held),
      };
      return { principal, client, user: null };
    }
    const user = await this.state.user(claims.sub);
    if (!user) return 'The user no longer exists';
    if (user.disabled) return 'The user is disabled';
    if (isCutOff(issuedAtMs, user.tokensNotBefore)) return 'The access token has been revoked';
    const principal: Principal = {
      ...base,
      kind: 'user',
      userId: user.id,
      username: user.username,
      roles: user.roles,
      held: user.held,
      permissions: effective(scope, user.held),
    };
    return { principal, client, user };
  }
}

const NOTHING: ReadonlySet<string> = new Set();

function effective(scope: readonly string[], held: ReadonlySet<string>): Permission[] {
  return scope.filter((permission): permission is Permission => isPermission(permission) && held.has(permission));
}
