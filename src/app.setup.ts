import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { UnreadableRequestException } from './common/filters/all-exceptions.filter.js';
import { BODY_LIMIT_BYTES, useStrictBodyParsers } from './common/http/body-parsers.js';
import { limitDocsAssets } from './common/http/docs-assets.js';
import { closeConnectionsOnShutdown } from './common/http/graceful-close.js';
import { useSecurityHeaders } from './common/http/security-headers.js';
import { createValidationPipe } from './common/http/validation-pipe.js';
import { type AppConfig, appConfig } from './config/app.config.js';
import { AppLogger } from './logging/app-logger.js';
import { logRequests } from './logging/request-log.js';
import { ROOT_LOGGER } from './logging/root-logger.js';
import { recordHttpMetrics } from './metrics/http-metrics.js';
import { Metrics } from './metrics/metrics.service.js';
import { useBrowserPlugins } from './signin/http/browser-plugins.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const ENCODED_NUL = /%00/i;

/** The Fastify adapter, configured the same way for the server and for every e2e test. */
export function createAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    // Trust exactly TRUST_PROXY hops of X-Forwarded-For, counted from this server.
    trustProxy: (_address: string, hop: number) => hop < config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 200 },
    // A caller's X-Request-Id is kept when it is sane, so logs can be joined across services.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
  });
}

/** Everything main.ts does to the application before listening; e2e tests call it too. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const instance = app.getHttpAdapter().getInstance();
  app.useLogger(app.get(AppLogger));
  // What was logged while the modules were built (migrations applied) is written now, in this format.
  app.flushLogs();
  logRequests(instance, app.get(ROOT_LOGGER));
  recordHttpMetrics(instance, app.get(Metrics));
  useStrictBodyParsers(app);
  // Cookies and CSRF tokens, for the browser sign-in pages only (every API route is bearer or client authenticated).
  await useBrowserPlugins(app, app.get<AppConfig>(appConfig.KEY));
  // Hooks that run on every request take a callback, not an async function: no promise per request.
  instance.addHook('onRequest', (request, _reply, done) => {
    // No route takes a NUL, and PostgreSQL cannot even compare one: refuse it before routing.
    if (ENCODED_NUL.test(request.url)) {
      done(new UnreadableRequestException('The request URL must not contain NUL characters'));
      return;
    }
    done();
  });
  useSecurityHeaders(instance);
  instance.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.useGlobalPipes(createValidationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Gatehouse')
      .setDescription('OAuth 2.0 authorization server and the resource APIs it protects')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addBasicAuth({ type: 'http', scheme: 'basic', description: 'client_secret_basic' }, 'client')
      .addGlobalResponse({ status: 500, description: 'Unexpected error, logged with its id: { statusCode, message, requestId }, no internals' })
      .build(),
    // Tags are declared, never the controller's class name: a route under two tags is listed twice.
    { autoTagControllers: false },
  );
  // The document at /docs-json, where NestJS users look; /docs/openapi.json, its first address, stays.
  SwaggerModule.setup('docs', app, document);
  limitDocsAssets(instance);
  instance.get('/docs/openapi.json', (_request, reply) => reply.send(document));
  closeConnectionsOnShutdown(instance);
  app.enableShutdownHooks();
}
