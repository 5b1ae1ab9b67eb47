import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { documentedOperations, fetchOpenApi } from './support/openapi.js';

const REFERENCE = new URL('../docs/reference.md', import.meta.url);

/** The routes docs/reference.md documents: its `### METHOD /path` headings (the convention stated at its top). */
function referenceRoutes(): string[] {
  const text = readFileSync(REFERENCE, 'utf8');
  return [...text.matchAll(/^### (GET|POST|PUT|PATCH|DELETE) (\/\S*)$/gm)].map((match) => `${match[1]} ${match[2]}`);
}

describe('docs/reference.md', () => {
  let t: TestApp;
  let served: string[];

  beforeAll(async () => {
    t = await startApp();
    served = documentedOperations(await fetchOpenApi(t)).map((operation) => operation.key);
  });
  afterAll(() => t.close());

  it('documents every route of the server', () => {
    const documented = new Set(referenceRoutes());
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('documents no route the server does not have', () => {
    const routes = new Set(served);
    expect(referenceRoutes().filter((route) => !routes.has(route))).toEqual([]);
  });

  it('has one section per route', () => {
    const headings = referenceRoutes();
    expect(headings.length).toBeGreaterThan(20);
    expect(headings.filter((route, index) => headings.indexOf(route) !== index)).toEqual([]);
  });
});
