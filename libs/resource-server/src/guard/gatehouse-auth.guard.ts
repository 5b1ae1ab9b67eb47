import { type CanActivate, type ExecutionContext, HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { routeAccess } from '../decorators/route-access.js';
import { RESOLVED_OPTIONS, type ResolvedOptions } from '../options.js';
import { PrincipalResolver } from '../permissions/principal.resolver.js';
import { attachPrincipal } from '../principal.js';
import { TokenVerifier } from '../tokens/token-verifier.js';
import { applyHeaders, bearerErrors, ChallengeException, DecisionUnavailableError, InvalidTokenError } from './bearer-errors.js';

/** RFC 6750 §2.1 credentials syntax. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;
/** While Gatehouse cannot be asked, every guarded request would say so: one line per this period is enough. */
const UNAVAILABLE_LOG_INTERVAL_MS = 10_000;

/**
 * The global guard: deny by default. A route passes when it is `@Public()`, or when its bearer token
 * verifies locally, is not dead by any event, and every permission the route requires is both in
 * the token's scope (else 403 insufficient_scope) and held now (else a plain 403).
 */
@Injectable()
export class GatehouseAuthGuard implements CanActivate {
  private readonly logger = new Logger('GatehouseResourceModule');
  private readonly errors;
  private lastUnavailableLog = 0;

  constructor(
    @Inject(RESOLVED_OPTIONS) options: ResolvedOptions,
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly principals: PrincipalResolver,
  ) {
    this.errors = bearerErrors(options.realm);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = routeAccess(this.reflector, context);
    if (access.isPublic) return true;
    const http = context.switchToHttp();
    try {
      const request = http.getRequest<{ headers: Record<string, string | string[] | undefined> }>();
      const principal = await this.authenticate(request.headers.authorization);
      const outOfScope = access.permissions.filter((permission) => !principal.scope.includes(permission));
      if (outOfScope.length) throw this.errors.insufficientScope(outOfScope);
      const notHeld = access.permissions.filter((permission) => !principal.permissions.includes(permission));
      if (notHeld.length) throw this.errors.notHeld(notHeld);
      attachPrincipal(request, principal);
      return true;
    } catch (error) {
      throw this.answer(error, http.getResponse());
    }
  }

  private async authenticate(header: string | string[] | undefined) {
    if (header === undefined) throw this.errors.missing();
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw new InvalidTokenError('The Authorization header is not a bearer token');
    return this.principals.resolve(await this.verifier.verify(token));
  }

  private answer(error: unknown, response: unknown): unknown {
    if (error instanceof InvalidTokenError) error = this.errors.invalidToken(error.message);
    if (error instanceof DecisionUnavailableError) {
      if (Date.now() - this.lastUnavailableLog > UNAVAILABLE_LOG_INTERVAL_MS) {
        this.lastUnavailableLog = Date.now();
        this.logger.warn(`Guarded requests refused with 503: ${error.message}`);
      }
      error = this.errors.unavailable();
    }
    if (error instanceof ChallengeException) applyHeaders(response, error.headers);
    if (!(error instanceof HttpException)) this.logger.error(error);
    return error;
  }
}
