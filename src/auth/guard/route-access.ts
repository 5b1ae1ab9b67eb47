import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Permission } from '../../common/permissions.js';
import { isPublicRoute } from './public.decorator.js';
import { PERMISSIONS_KEY } from './require-permissions.decorator.js';

/** Who may reach a route, as its decorators declare. */
export interface RouteAccess {
  isPublic: boolean;
  permissions: readonly Permission[];
}

/** Decorator metadata never changes at run time: read once per route, not on every request. */
const resolved = new WeakMap<object, WeakMap<object, RouteAccess>>();

export function routeAccess(reflector: Reflector, context: ExecutionContext): RouteAccess {
  const controller = context.getClass();
  const handler = context.getHandler();
  let routes = resolved.get(controller);
  if (!routes) resolved.set(controller, (routes = new WeakMap()));
  let access = routes.get(handler);
  if (!access) {
    access = {
      isPublic: isPublicRoute(reflector, context),
      permissions: reflector.getAllAndOverride<Permission[] | undefined>(PERMISSIONS_KEY, [handler, controller]) ?? [],
    };
    routes.set(handler, access);
  }
  return access;
}
