import { KeySetService } from '../../src/auth/keys/key-set.service.js';
import { ForbiddenException, HttpException, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { PrincipalLoader } from '../../src/auth/principal/principal.loader.js';
import { IS_PUBLIC_KEY } from '../../src/auth/guard/public.decorator.js';
import { PERMISSIONS_KEY } from '../../src/auth/guard/require-permissions.decorator.js';
import { JwtAuthGuard } from '../../src/auth/guard/jwt-auth.guard.js';
import { PermissionsGuard } from '../../src/auth/guard/permissions.guard.js';
import { ALL_PERMISSIONS } from '../../src/common/permissions.js';
import type { Principal } from '../../src/common/principal.js';
import type { TestApp } from './app.js';

/** Who can reach a route: anyone, any valid token, or a token holding (and scoped to) these permissions. */
export type Access = 'public' | 'authenticated' | string[];

export interface RouteInfo {
  /** `GET /notes/:id` */
  key: string;
  method: string;
  path: string;
  controller: Type;
  handler: (...args: unknown[]) => unknown;
  /** What the real global guards decide for this route. */
  access: Access;
  /** The raw declarations, to check how handler and controller combine. */
  declared: {
    handler: { public?: boolean; permissions?: string[] };
    controller: { public?: boolean; permissions?: string[] };
  };
}

/**
 * Every HTTP route of the running application, with its access as decided by
 * the real JwtAuthGuard and PermissionsGuard: each guard is asked about the
 * route with a request that has no token, then with a principal that holds
 * every permission but has an empty scope. The answer is therefore what the
 * guards enforce, not a second reading of the decorators.
 */
export async function describeRoutes(t: TestApp): Promise<RouteInfo[]> {
  const reflector = t.app.get(Reflector);
  const jwtGuard = new JwtAuthGuard(reflector, t.app.get(PrincipalLoader, { strict: false }), t.app.get(KeySetService, { strict: false }));
  const permissionsGuard = new PermissionsGuard(reflector);
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  const seen = new Set<Type>();

  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[name] as (...args: unknown[]) => unknown;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const access = await accessOf(controller, handler, jwtGuard, permissionsGuard);
        const declared = {
          handler: declarations(handler),
          controller: declarations(controller),
        };
        for (const prefix of prefixes.length ? prefixes : ['/']) {
          for (const path of asArray(paths)) {
            const full = joinPath(prefix, path);
            routes.push({ key: `${method} ${full}`, method, path: full, controller, handler, access, declared });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

async function accessOf(controller: Type, handler: (...args: unknown[]) => unknown, jwt: JwtAuthGuard, permissions: PermissionsGuard): Promise<Access> {
  const anonymous = new ExecutionContextHost([{ headers: {} }, {}, () => undefined], controller, handler);
  try {
    if (await jwt.canActivate(anonymous)) return 'public';
  } catch (error) {
    if (!(error instanceof HttpException) || error.getStatus() !== 401) throw error;
  }
  const principal: Partial<Principal> = { kind: 'user', scope: [], held: new Set(ALL_PERMISSIONS), permissions: [] };
  const scoped = new ExecutionContextHost([{ headers: {}, principal }, {}, () => undefined], controller, handler);
  try {
    permissions.canActivate(scoped);
    return 'authenticated';
  } catch (error) {
    if (error instanceof ForbiddenException || (error instanceof HttpException && error.getStatus() === 403)) {
      const body = error.getResponse() as { scope?: string };
      if (typeof body.scope === 'string') return body.scope.split(' ').sort();
    }
    throw error;
  }
}

function declarations(target: object): { public?: boolean; permissions?: string[] } {
  const isPublic = Reflect.getMetadata(IS_PUBLIC_KEY, target) as boolean | undefined;
  const permissions = Reflect.getMetadata(PERMISSIONS_KEY, target) as string[] | undefined;
  return { ...(isPublic !== undefined && { public: isPublic }), ...(permissions !== undefined && { permissions }) };
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function joinPath(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** The snapshot form: `"GET /notes": ["notes:read"]`, keys sorted. */
export function accessMap(routes: RouteInfo[]): Record<string, Access> {
  return Object.fromEntries(routes.map((route) => [route.key, route.access]));
}
