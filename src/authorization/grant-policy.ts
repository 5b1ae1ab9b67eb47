import { ForbiddenException, HttpException, HttpStatus } from '@nestjs/common';
import { ALL_PERMISSIONS } from '../common/permissions.js';

/**
 * Whoever hands out power: a principal acting through the API (a user, or a
 * client acting for itself), or the local operator of the admin CLI.
 */
export interface Grantor {
  /** Held right now and in this request's scope (a principal's `permissions`). */
  readonly permissions: Iterable<string>;
}

/**
 * The operator running the admin CLI on the server's own environment. Trusted
 * with everything, because it already has everything: the database and its
 * credentials, the signing keys, the env. Refusing it here would only send it
 * to SQL.
 */
export const LOCAL_OPERATOR: Grantor = { permissions: ALL_PERMISSIONS };

/**
 * Scopes of OpenID Connect: they name claims about the user, not power, so
 * asking for them is never an escalation.
 */
const OPENID_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * Nobody grants what they do not hold (the Kubernetes RBAC escalate/bind rule).
 * Every route that hands out roles, permissions or scopes asks here, so one
 * rule decides for all of them and a client acting for itself is held to it
 * like a person.
 */
export const GrantPolicy = {
  /** The permissions among `wanted` that `grantor` does not hold, in order, without repeats. */
  missing(grantor: Grantor, wanted: Iterable<string>): string[] {
    const held = new Set(grantor.permissions);
    return [...new Set(wanted)].filter((permission) => !held.has(permission));
  },

  /** What of `wanted` the grantor may hand out: the intersection, in `wanted`'s order. */
  grantable(grantor: Grantor, wanted: Iterable<string>): string[] {
    const held = new Set(grantor.permissions);
    return [...new Set(wanted)].filter((permission) => held.has(permission) || OPENID_SCOPES.has(permission));
  },

  /**
   * Giving or taking away a role, defining or changing one, approving a
   * client's scopes: each permission involved must be held. 403 naming the
   * ones that are not.
   */
  assertCanGrant(grantor: Grantor, permissions: Iterable<string>): void {
    const missing = GrantPolicy.missing(grantor, permissions);
    if (missing.length) {
      throw new ForbiddenException({
        statusCode: HttpStatus.FORBIDDEN,
        error: 'Forbidden',
        message: `You may only grant permissions you hold yourself; you do not hold: ${missing.join(', ')}`,
        missing_permissions: missing,
      });
    }
  },

  /**
   * A registrant asks for a client's scopes: only scopes it holds itself (the
   * OpenID scopes aside), or the approval could launder them. 400
   * `invalid_scope` naming the others.
   */
  assertCanRequest(grantor: Grantor, scopes: Iterable<string>): void {
    const missing = GrantPolicy.missing(grantor, scopes).filter((scope) => !OPENID_SCOPES.has(scope));
    if (missing.length) {
      throw new HttpException(
        {
          statusCode: HttpStatus.BAD_REQUEST,
          error: 'invalid_scope',
          message: `A client may be given only scopes you hold yourself; you do not hold: ${missing.join(', ')}`,
          missing_permissions: missing,
        },
        HttpStatus.BAD_REQUEST,
      );
    }
  },
};
