import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { routeAccess } from './route-access.js';
import { BearerError } from '../../common/http/http-errors.js';

/**
 * Runs after JwtAuthGuard. A route's permissions must each be in the token's
 * scope (else 403 insufficient_scope, RFC 6750) and held by the principal now
 * (else a plain 403). The handler's declaration replaces the controller's.
 */
@Injectable()
export class PermissionsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const { isPublic, permissions: required } = routeAccess(this.reflector, context);
    if (isPublic) return true;
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal) throw BearerError.missing();
    const outOfScope = required.filter((permission) => !principal.scope.includes(permission));
    if (outOfScope.length) throw BearerError.insufficientScope(outOfScope);
    const notHeld = required.filter((permission) => !principal.held.has(permission));
    if (notHeld.length) throw new ForbiddenException(`Requires permission ${notHeld.join(', ')}`);
    return true;
  }
}
