import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { LRUCache } from 'lru-cache';
import type { FastifyRequest } from 'fastify';
import { CLOCK_LEEWAY_SECONDS, KeySetService } from '../keys/key-set.service.js';
import { PrincipalLoader } from '../principal/principal.loader.js';
import type { AccessTokenClaims } from '../tokens/access-token.claims.js';
import { describeJwtError, InvalidAccessTokenError } from '../tokens/access-token.verification.js';
import { routeAccess } from './route-access.js';
import { BearerError } from '../../common/http/http-errors.js';

/** RFC 6750 §2.1 credentials syntax. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
/** Verified tokens remembered; on every request an entry still has its key and revocation checked, and it lives only until its `exp`. */
const VERIFIED_CACHE_SIZE = 10_000;

interface Verified {
  claims: AccessTokenClaims;
  /** The key that verified it: once the key set no longer holds it, neither does this cache. */
  kid: string;
}

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
  /** Each entry lives until its token expires (plus leeway), and no longer than its key. */
  private readonly verified = new LRUCache<string, Verified>({ max: VERIFIED_CACHE_SIZE });

  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalLoader,
    private readonly keys: KeySetService,
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

    let hit = this.verified.get(token);
    // Forgotten with the key that verified it (a retired key past its publication, a removed one): verified afresh, and refused.
    if (hit && !this.keys.holds(hit.kid)) {
      this.verified.delete(token);
      hit = undefined;
    }
    if (!hit) {
      await super.canActivate(context);
      hit = { claims: request.user as AccessTokenClaims, kid: kidOf(token) };
      const ttl = (hit.claims.exp + CLOCK_LEEWAY_SECONDS) * 1000 - Date.now();
      if (ttl > 0) this.verified.set(token, hit, { ttl });
    }
    request.principal = await this.principals.load(hit.claims);
    return true;
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown): T {
    if (user && !error) return user;
    // A failure (bad signature, expired, unknown kid…) or a token we refuse: 401. Anything else is a fault.
    if (!error || error instanceof InvalidAccessTokenError) throw BearerError.invalidToken(describeJwtError(error ?? info));
    throw error as Error;
  }
}

/** The `kid` of a token whose signature was just verified (so its header is our JSON). */
const kidOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid: string }).kid;
