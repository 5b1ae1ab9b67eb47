import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type GatehousePrincipal, principalOf } from '../principal.js';

/** The principal the global guard loaded for this request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): GatehousePrincipal => {
  const principal = principalOf(ctx.switchToHttp().getRequest<object>());
  // Only reachable if a route is both @Public() and reads the principal: a programming error.
  if (!principal) throw new Error('CurrentPrincipal used on a route without an authenticated principal');
  return principal;
});
