import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The OAuth error codes and RFC 6750 errors a failure is counted by: a closed set, so bounded labels. */
export type FailureReason = string;

/**
 * Every Prometheus series Gatehouse exposes, in one registry of its own (not
 * prom-client's global one, so two applications in one process — the tests —
 * never share counters). Label values are route templates, grant types, error
 * codes and cache names: never a raw path or anything a client typed, so the
 * number of series stays bounded whatever traffic arrives.
 *
 * Features count their own events here; series whose value is a state (queue
 * depth, pool use) are registered by the feature that owns the state, through
 * `gauge()`, and read only when Prometheus scrapes.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'gatehouse_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'Time from request to response, by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly tokensIssued = new Counter({
    name: 'gatehouse_tokens_issued_total',
    help: 'Access tokens issued, by grant type',
    labelNames: ['grant_type'] as const,
    registers: [this.registry],
  });

  readonly failures = new Counter({
    name: 'gatehouse_auth_failures_total',
    help: 'Refused OAuth requests and bearer tokens, by RFC 6749 / RFC 6750 error code',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly lockouts = new Counter({
    name: 'gatehouse_lockouts_total',
    help: 'Guessing-protection locks imposed, by what was locked (account from an address, account_cap, client from an address)',
    labelNames: ['subject'] as const,
    registers: [this.registry],
  });

  readonly refreshReuse = new Counter({
    name: 'gatehouse_refresh_token_reuse_total',
    help: 'Refresh tokens presented again after rotation (the family is revoked)',
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'gatehouse_cache_lookups_total',
    help: 'Lookups in the auth caches, by cache and result (hit or miss); the hit ratio is hit / (hit + miss)',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  /** Set by the /events stream: resource servers in other processes listening now. */
  readonly eventSubscribers = new Gauge({
    name: 'gatehouse_event_subscribers',
    help: 'Resource servers subscribed to GET /events right now',
    registers: [this.registry],
  });

  readonly eventDeliveryLag = new Histogram({
    name: 'gatehouse_event_delivery_lag_seconds',
    help: 'Time from an access change being committed to its event being written to a subscriber',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
  }

  /**
   * A gauge whose value is read when Prometheus scrapes (queue depth, pool use).
   * `read` answers one value per label set; it may query the database.
   */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: () => Promise<Array<[Partial<Record<L, string>>, number]>>): void {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [labels, value] of await read()) this.set(labels, value);
      },
    });
  }
}
