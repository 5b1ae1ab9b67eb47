import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS } from '../src/common/permissions.js';
import { startApp, type TestApp } from './support/app.js';
import { passwordLogin } from './support/oauth.js';
import { type Access, accessMap, describeRoutes, type RouteInfo } from './support/routes.js';

const SNAPSHOT_PATH = new URL('./route-permissions.snapshot.json', import.meta.url);

/**
 * Who can reach what, for every route of the real AppModule, against a file
 * committed beside this spec. It is never rewritten by a tool: a difference is
 * a change of who can reach what, and whoever makes it edits the JSON by hand
 * so that the change is seen and reviewed as one. Covered: every route of a
 * Nest controller; Swagger UI at /docs is registered on Fastify directly, is
 * public by design, and is not listed.
 */
describe('route access declarations', () => {
  let t: TestApp;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await startApp();
    routes = await describeRoutes(t);
  });
  afterAll(() => t.close());

  it('match the reviewed snapshot (test/route-permissions.snapshot.json)', () => {
    const expected = JSON.parse(readFileSync(SNAPSHOT_PATH, 'utf8')) as Record<string, Access>;
    const actual = accessMap(routes);
    expect(actual, explainDifference(expected, actual)).toEqual(expected);
  });

  it('are read from routes the server really has', () => {
    expect(routes.length).toBeGreaterThan(10);
    const fastify = t.app.getHttpAdapter().getInstance();
    const missing = routes.filter((route) => !fastify.hasRoute({ method: route.method, url: route.path }));
    expect(missing.map((route) => route.key)).toEqual([]);
  });

  it('leave no route open by accident: every route not marked @Public() answers a request without a token 401', async () => {
    const guarded = routes.filter((route) => route.access !== 'public');
    expect(guarded.length).toBeGreaterThan(0);
    const open: string[] = [];
    for (const route of guarded) {
      const res = await request(route, null);
      if (res.status !== 401 || res.headers['www-authenticate'] !== 'Bearer realm="gatehouse"') open.push(`${route.key} → ${res.status}`);
    }
    expect(open, 'routes that are not @Public() yet let a request without a token through').toEqual([]);
  });

  it('enforce exactly the declared permissions: a token scoped without them gets 403 insufficient_scope naming them', async () => {
    const tokens = new Map<string, string>();
    const tokenFor = async (scope: string) => {
      if (!tokens.has(scope)) tokens.set(scope, (await passwordLogin(t, undefined, { scope })).access_token);
      return tokens.get(scope)!;
    };
    const wrong: string[] = [];
    for (const route of routes) {
      if (!Array.isArray(route.access)) continue;
      const required = route.access;
      const unrelated = ALL_PERMISSIONS.find((permission) => !required.includes(permission))!;
      const res = await request(route, await tokenFor(unrelated));
      const challenge = `Bearer realm="gatehouse", error="insufficient_scope", scope="${required.join(' ')}"`;
      if (res.status !== 403 || res.headers['www-authenticate'] !== challenge) {
        wrong.push(`${route.key} → ${res.status} ${res.headers['www-authenticate'] ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("let a handler's declaration replace its controller's, never add to it", () => {
    const overriding = routes.filter(
      (route) =>
        route.declared.handler.permissions &&
        route.declared.controller.permissions &&
        route.declared.handler.permissions.join() !== route.declared.controller.permissions.join(),
    );
    // The notes module does this on purpose (read on the controller, write on POST and DELETE).
    expect(overriding.map((route) => route.key)).toEqual(expect.arrayContaining(['POST /notes', 'DELETE /notes/:id']));
    for (const route of overriding) expect(route.access, route.key).toEqual([...route.declared.handler.permissions!].sort());

    const publicHandlers = routes.filter((route) => route.declared.handler.public);
    for (const route of publicHandlers) expect(route.access, route.key).toBe('public');
  });

  /** The route requested with a stand-in for each path parameter; the guards answer before anything else runs. */
  function request(route: RouteInfo, token: string | null) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, (_match, name: string) => (name === 'id' ? randomUUID() : 'x'));
    const method = route.method === 'ALL' ? 'get' : (route.method.toLowerCase() as 'get');
    const req = t.http()[method](path);
    if (token) req.set('Authorization', `Bearer ${token}`);
    return req;
  }
});

function explainDifference(expected: Record<string, Access>, actual: Record<string, Access>): string {
  const show = (access: Access | undefined) => JSON.stringify(access);
  const lines: string[] = [];
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (!(key in actual)) lines.push(`  removed  ${key} (was ${show(expected[key])})`);
    else if (!(key in expected)) lines.push(`  added    ${key} → ${show(actual[key])}`);
    else if (show(expected[key]) !== show(actual[key])) lines.push(`  changed  ${key}: ${show(expected[key])} → ${show(actual[key])}`);
  }
  return [
    'Who can reach what has changed. This is a security change and must be reviewed as one:',
    ...lines,
    'If it is intended, update test/route-permissions.snapshot.json by hand to match, and call the change out in review.',
  ].join('\n');
}
