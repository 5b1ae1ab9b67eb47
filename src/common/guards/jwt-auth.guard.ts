import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { CLOCK_LEEWAY_SECONDS } from '../../auth/keys/key-set.service.js';
import { PrincipalLoader } from '../../auth/principal/principal.loader.js';
import type { AccessTokenClaims } from '../../auth/tokens/access-token.claims.js';
import { describeJwtError, InvalidAccessTokenError } from '../../auth/tokens/access-token.verification.js';
import { routeAccess } from '../decorators/route-access.js';
import { BearerError } from '../http/http-errors.js';

/** RFC 6750 §2.1 credentials syntax. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
/** Verified tokens remembered; each entry still has its `exp` and revocation checked on every request. */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Deny by default: every route needs a valid bearer token unless marked
 * @Public(). The signature is verified by passport-jwt the first time a token
 * is seen; after that its claims come from a bounded in-memory map, since a
 * signature cannot change. Expiry, revocation, the client's approval and the
 * user's status and permissions are checked on every request by the
 * PrincipalLoader.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalLoader,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (routeAccess(this.reflector, context).isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: unknown }>();
    const header = request.headers.authorization;
    if (header === undefined) throw BearerError.missing();
    const token = BEARER.exec(header)?.[1];
    if (!token) throw BearerError.invalidToken('The Authorization header is not a bearer token');

    let claims = this.verified.get(token);
    if (claims && claims.exp + CLOCK_LEEWAY_SECONDS < Date.now() / 1000) {
      this.verified.delete(token);
      throw BearerError.invalidToken('The access token has expired');
    }
    if (!claims) {
      await super.canActivate(context);
      claims = request.user as AccessTokenClaims;
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, claims);
    }
    request.principal = await this.principals.load(claims);
    return true;
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown): T {
    if (user && !error) return user;
    // A failure (bad signature, expired, unknown kid…) or a token we refuse: 401. Anything else is a fault.
    if (!error || error instanceof InvalidAccessTokenError) throw BearerError.invalidToken(describeJwtError(error ?? info));
    throw error as Error;
  }
}
