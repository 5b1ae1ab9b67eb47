import type { FastifyInstance } from 'fastify';
import type { Counter, Histogram } from 'prom-client';
import type { Metrics } from './metrics.service.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Requests that matched no route share one label: a raw path would let clients mint series. */
const UNMATCHED = '(unmatched)';

/**
 * Counts every response by method, route template and status, and times it.
 * The labelled children are looked up once per distinct label set and kept:
 * prom-client would otherwise hash the label object on every request.
 */
export function recordHttpMetrics(instance: FastifyInstance, metrics: Metrics): void {
  const counted = new Map<string, Counter.Internal>();
  const timed = new Map<string, Histogram.Internal<'method' | 'route'>>();
  instance.addHook('onResponse', (request, reply, done) => {
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    const route = request.routeOptions.url ?? UNMATCHED;
    const status = String(reply.statusCode);
    const timing = `${method} ${route}`;
    const counting = `${timing} ${status}`;
    let counter = counted.get(counting);
    if (!counter) counted.set(counting, (counter = metrics.httpRequests.labels(method, route, status)));
    let histogram = timed.get(timing);
    if (!histogram) timed.set(timing, (histogram = metrics.httpDuration.labels(method, route)));
    counter.inc();
    histogram.observe(reply.elapsedTime / 1000);
    done();
  });
}
