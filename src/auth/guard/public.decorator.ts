import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { PERMISSIONS_KEY } from './require-permissions.decorator.js';

export const IS_PUBLIC_KEY = 'gatehouse:public';

/** Opens a route to requests without a bearer token. Everything else is guarded. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * Whether a route is open. The handler decides first: its own @Public() opens
 * it, and its own @RequirePermissions() closes it even inside a @Public()
 * controller; otherwise the controller's @Public() applies.
 */
export function isPublicRoute(reflector: Reflector, context: ExecutionContext): boolean {
  const handler = context.getHandler();
  if (reflector.get<boolean>(IS_PUBLIC_KEY, handler)) return true;
  if (reflector.get<unknown>(PERMISSIONS_KEY, handler) !== undefined) return false;
  return reflector.get<boolean | undefined>(IS_PUBLIC_KEY, context.getClass()) === true;
}
