import { Injectable } from '@nestjs/common';
import { BearerError } from '../../common/http/http-errors.js';
import { isPermission, type Permission } from '../../common/permissions.js';
import type { Principal } from '../../common/principal.js';
import type { AccessTokenClaims } from '../tokens/access-token.claims.js';
import { AccessTokenRevocations } from '../tokens/access-token-revocations.service.js';
import { AuthStateCache } from './auth-state.cache.js';

/**
 * Turns verified claims into this request's principal, re-checking what may
 * have changed since the token was issued: revocation, the client's approval,
 * the user's existence and status, and the permissions held now.
 */
@Injectable()
export class PrincipalLoader {
  constructor(
    private readonly state: AuthStateCache,
    private readonly revocations: AccessTokenRevocations,
  ) {}

  /** The principal, or a 401 invalid_token naming what no longer holds. */
  async load(claims: AccessTokenClaims): Promise<Principal> {
    const principal = await this.tryLoad(claims);
    if (typeof principal === 'string') throw BearerError.invalidToken(principal);
    return principal;
  }

  /** The principal, or why the token is no longer good (for introspection, which answers rather than throws). */
  async tryLoad(claims: AccessTokenClaims): Promise<Principal | string> {
    if (await this.revocations.isRevoked(claims.jti)) return 'The access token has been revoked';
    const issuedAtMs = claims.iat * 1000;
    const client = await this.state.client(claims.client_id);
    if (!client || client.status !== 'approved') return 'The client is not approved';
    if (issuedAtMs <= client.tokensNotBefore) return 'The access token has been revoked';
    const scope = claims.scope.split(' ').filter(Boolean);
    const base = { subject: claims.sub, client: { id: client.id, clientId: client.clientId }, scope, token: { jti: claims.jti, iat: claims.iat, exp: claims.exp } };
    if (claims.sub === claims.client_id) {
      return { ...base, kind: 'client', userId: null, username: null, roles: [], held: client.scopes, permissions: effective(scope, client.scopes) };
    }
    const user = await this.state.user(claims.sub);
    if (!user) return 'The user no longer exists';
    if (user.disabled) return 'The user is disabled';
    if (issuedAtMs <= user.tokensNotBefore) return 'The access token has been revoked';
    return { ...base, kind: 'user', userId: user.id, username: user.username, roles: user.roles, held: user.held, permissions: effective(scope, user.held) };
  }
}

function effective(scope: readonly string[], held: ReadonlySet<string>): Permission[] {
  return scope.filter((permission): permission is Permission => isPermission(permission) && held.has(permission));
}
