import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../common/principal.js';

/** The principal the global guard loaded for this request; `decorator` names the caller in the error. */
export function principalOf(ctx: ExecutionContext, decorator: string): Principal {
  const principal = ctx.switchToHttp().getRequest<FastifyRequest>().principal;
  // Only reachable if a route is both @Public() and reads the principal: a programming error.
  if (!principal) throw new Error(`${decorator} used on a route without an authenticated principal`);
  return principal;
}

/** The principal the global guard loaded for this request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => principalOf(ctx, 'CurrentPrincipal'));
