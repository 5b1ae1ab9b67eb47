import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { PERMISSIONS_KEY } from './require-permissions.decorator.js';

/** Who may reach a route, as its decorators declare. */
export interface RouteAccess {
  isPublic: boolean;
  permissions: readonly string[];
}

/** Decorator metadata never changes at run time: read once per route, not on every request. */
const resolved = new WeakMap<object, WeakMap<object, RouteAccess>>();

/**
 * The handler decides first: its own `@Public()` opens it, and its own `@RequirePermissions()`
 * closes it even inside a `@Public()` controller; otherwise the controller's declarations apply.
 */
export function routeAccess(reflector: Reflector, context: ExecutionContext): RouteAccess {
  const controller = context.getClass();
  const handler = context.getHandler();
  let routes = resolved.get(controller);
  if (!routes) resolved.set(controller, (routes = new WeakMap()));
  let access = routes.get(handler);
  if (!access) {
    const handlerPermissions = reflector.get<string[] | undefined>(PERMISSIONS_KEY, handler);
    const isPublic =
      reflector.get<boolean | undefined>(IS_PUBLIC_KEY, handler) === true ||
      (handlerPermissions === undefined && reflector.get<boolean | undefined>(IS_PUBLIC_KEY, controller) === true);
    access = { isPublic, permissions: handlerPermissions ?? reflector.get<string[] | undefined>(PERMISSIONS_KEY, controller) ?? [] };
    routes.set(handler, access);
  }
  return access;
}
