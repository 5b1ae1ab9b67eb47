import type { FastifyInstance } from 'fastify';

/**
 * On shutdown Fastify stops accepting connections and waits for open ones,
 * but a keep-alive connection whose request was in flight stays open after
 * its response until the client lets go. Telling the client
 * `Connection: close` on every response sent while closing lets the drain
 * finish as soon as the last in-flight request has been answered.
 */
export function closeConnectionsOnShutdown(instance: FastifyInstance): void {
  let closing = false;
  instance.addHook('preClose', async () => {
    closing = true;
  });
  instance.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('Connection', 'close');
    done(null, payload);
  });
}
