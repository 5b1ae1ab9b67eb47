import type { TestApp } from './app.js';

export interface OpenApiOperation {
  summary?: string;
  tags?: string[];
  parameters?: unknown[];
  requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
}

/** `GET /notes/:id`, the form routes are written in everywhere else (Nest, the snapshot, the reference). */
export interface DocumentedOperation {
  key: string;
  operation: OpenApiOperation;
}

export async function fetchOpenApi(t: TestApp, url = '/docs-json'): Promise<OpenApiDocument> {
  const res = await t.http().get(url).expect(200);
  return res.body as OpenApiDocument;
}

/** Every operation of the document, keyed like `GET /notes/:id`. */
export function documentedOperations(document: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      operation,
    })),
  );
}
