import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * One line per request, written when the response has gone: id (the caller's
 * X-Request-Id when sane), method, route template (`/notes/:id`: no id, no
 * query string, where careless clients put tokens), status and time. Failures
 * are logged at error, everything else at info. Nothing else of the request
 * is logged, so no header or body can leak a credential.
 *
 * A Fastify hook rather than nestjs-pino's pino-http middleware: that one
 * built a child logger and ran an AsyncLocalStorage scope for every request,
 * which cost 14% of the token endpoint's throughput even when the line was
 * not written.
 */
export function logRequests(instance: FastifyInstance, logger: Logger): void {
  instance.addHook('onResponse', (request, reply, done) => {
    const statusCode = reply.statusCode;
    const level = statusCode >= 500 ? 'error' : 'info';
    if (logger.isLevelEnabled(level)) {
      // A request no route matched has no template: its path is all there is to show.
      const route = request.routeOptions.url ?? request.url.split('?')[0];
      const responseTime = Math.round(reply.elapsedTime);
      logger[level](
        { reqId: request.id, method: request.method, route, statusCode, responseTime },
        `${request.method} ${route} ${statusCode} ${responseTime} ms`,
      );
    }
    done();
  });
}
