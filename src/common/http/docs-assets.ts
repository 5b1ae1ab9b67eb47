import { NotFoundException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * What the Swagger UI page at /docs loads, and the document itself. Nest
 * serves the whole of swagger-ui-dist under /docs/, which also holds its
 * package.json (versions for an attacker's shopping list), README, licences,
 * source maps and bundles the page never asks for: those answer 404.
 */
const DOCS_FILES: ReadonlySet<string> = new Set([
  '',
  'index.html',
  'swagger-ui-init.js',
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-16x16.png',
  'favicon-32x32.png',
  'openapi.json',
]);

const PREFIX = '/docs/';

export function limitDocsAssets(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, _reply, done) => {
    const path = request.url.split('?', 1)[0];
    if (path.startsWith(PREFIX) && !DOCS_FILES.has(safeDecode(path.slice(PREFIX.length)))) {
      done(new NotFoundException(`Cannot ${request.method} ${path}`));
      return;
    }
    done();
  });
}

/** Compared decoded, as the static server will read it (`package%2Ejson` is package.json); malformed never matches. */
function safeDecode(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return '\0';
  }
}
