import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { type DocumentedOperation, documentedOperations, fetchOpenApi, type OpenApiDocument } from './support/openapi.js';
import { describeRoutes, type RouteInfo } from './support/routes.js';

/**
 * The OpenAPI document is the API's description for client developers and
 * their generators: every route in it, once, with a summary, the errors it
 * can answer, and the media types it really takes.
 */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  let operations: Map<string, DocumentedOperation>;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await startApp();
    document = await fetchOpenApi(t);
    operations = new Map(documentedOperations(document).map((entry) => [entry.key, entry]));
    routes = await describeRoutes(t);
  });
  afterAll(() => t.close());

  const responsesOf = (key: string) => Object.keys(operations.get(key)!.operation.responses);

  it('is served at /docs-json, where NestJS users look, and still at /docs/openapi.json', async () => {
    expect(await fetchOpenApi(t, '/docs/openapi.json')).toEqual(document);
  });

  it('lists every route of the server, and nothing else', () => {
    expect([...operations.keys()].sort()).toEqual(routes.map((route) => route.key).sort());
  });

  it('gives every route a summary and exactly one tag (a route under two tags is listed twice)', () => {
    const lacking = [...operations.values()].filter(({ operation }) => !operation.summary?.trim() || operation.tags?.length !== 1);
    expect(lacking.map((entry) => entry.key)).toEqual([]);
  });

  it('documents the errors each route can answer', () => {
    const missing: string[] = [];
    for (const route of routes) {
      const { operation } = operations.get(route.key)!;
      const documented = new Set(Object.keys(operation.responses));
      const expected = ['500'];
      if (route.access !== 'public') expected.push('401');
      if (Array.isArray(route.access)) expected.push('403');
      if (operation.parameters?.length || operation.requestBody) expected.push('400');
      // The client-authenticated OAuth endpoints; the authorization endpoint is the browser's, with no client authentication.
      if (route.method === 'POST' && route.path.startsWith('/oauth/') && !route.path.startsWith('/oauth/authorize')) expected.push('400', '401', '429');
      for (const status of expected) if (!documented.has(status)) missing.push(`${route.key} ${status}`);
    }
    expect(missing).toEqual([]);
  });

  it('documents what each open GET route answers, and no success a route never gives', async () => {
    // Asked with no parameters: a route that requires some (the authorization endpoint) is asked in its own specs.
    const requiresQuery = (key: string) =>
      (operations.get(key)?.operation.parameters ?? []).some(
        (p) => (p as { in?: string; required?: boolean }).in === 'query' && (p as { required?: boolean }).required,
      );
    const open = routes.filter((route) => route.access === 'public' && route.method === 'GET' && !route.path.includes(':') && !requiresQuery(route.key));
    expect(open.map((route) => route.key)).toContain('GET /oauth/token');
    const undocumented: string[] = [];
    for (const route of open) {
      const res = await t.http().get(route.path);
      const documented = responsesOf(route.key);
      if (!documented.includes(String(res.status))) undocumented.push(`${route.key} answers ${res.status}, documents ${documented.join(',')}`);
      if (res.status >= 400 && documented.some((status) => status.startsWith('2'))) undocumented.push(`${route.key} documents a success it never gives`);
    }
    expect(undocumented).toEqual([]);
  });

  it('declares the OAuth endpoints as taking forms first (RFC 6749), JSON as well', () => {
    for (const key of ['POST /oauth/token', 'POST /oauth/revoke', 'POST /oauth/introspect']) {
      expect(Object.keys(operations.get(key)!.operation.requestBody!.content), key).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    }
  });

  it('gives the token endpoint its RFC 6749 errors, with their schema', () => {
    const token = operations.get('POST /oauth/token')!.operation;
    const ref = token.responses['400'].content?.['application/json'].schema?.$ref;
    expect(ref).toBe('#/components/schemas/OAuthErrorDto');
    const codes = document.components.schemas.OAuthErrorDto.properties?.error.enum;
    expect(codes).toEqual(
      expect.arrayContaining(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']),
    );
    expect(token.responses['400'].description).toMatch(/invalid_grant/);
  });
});
