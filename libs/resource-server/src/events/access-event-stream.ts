import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatehouseResourceHealth } from '../health/gatehouse-resource.health.js';
import { RESOLVED_OPTIONS, type ResolvedOptions } from '../options.js';
import { AccessState } from '../permissions/access-state.js';
import { parseAccessEvent } from './access-event.js';
import { StreamCredentials } from './stream-credentials.js';

/**
 * Subscribes to Gatehouse's `/events` (Server-Sent Events) for as long as the application runs,
 * reconnecting with `Last-Event-ID` so nothing is missed, and applies every event to the
 * AccessState the moment it arrives. A stream that sends nothing, not even a heartbeat comment,
 * for `heartbeatTimeoutSeconds` is dropped and counts as down since its last byte.
 */
@Injectable()
export class AccessEventStream implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('GatehouseResourceModule');
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private serverRetryMs: number | null = null;
  private lastFailure: string | null = null;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly credentials: StreamCredentials,
    private readonly state: AccessState,
    private readonly health: GatehouseResourceHealth,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { reconnectDelayMs, maxReconnectDelayMs } = this.options.events;
    let delay = reconnectDelayMs;
    while (!this.isStopped()) {
      const outcome = await this.connectOnce();
      if (this.isStopped()) return;
      this.state.invalidateInFlight();
      this.health.markDown(outcome.reason, outcome.downSince);
      if (outcome.connected) delay = this.serverRetryMs ?? reconnectDelayMs;
      const message = `Gatehouse event stream down (${outcome.reason}); reconnecting in ${delay} ms`;
      // A lost connection, or a new reason for failing, is worth a warning; the same failure again is not.
      if (outcome.connected || outcome.reason !== this.lastFailure) this.logger.warn(message);
      else this.logger.debug(message);
      this.lastFailure = outcome.connected ? null : outcome.reason;
      await sleep(delay * (1 + Math.random() * 0.2), undefined, { signal: this.stopping.signal }).catch(() => undefined);
      delay = Math.min(delay * 2, maxReconnectDelayMs);
    }
  }

  private isStopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** One connection, from request to end; it always ends, and says why and since when the stream was down. */
  private async connectOnce(): Promise<{ connected: boolean; reason: string; downSince: number }> {
    const connection = new AbortController();
    const stop = () => connection.abort();
    this.stopping.signal.addEventListener('abort', stop);
    // An object, not locals: the watchdog's callback writes `silent`, which flow analysis cannot see.
    const watch = { connected: false, lastActivity: Date.now(), silent: false };
    const watchdog = setInterval(
      () => {
        if (watch.connected && Date.now() - watch.lastActivity > this.options.events.heartbeatTimeoutSeconds * 1000) {
          watch.silent = true;
          connection.abort();
        }
      },
      Math.min(1_000, this.options.events.heartbeatTimeoutSeconds * 250),
    );
    try {
      const response = await this.open(connection.signal);
      watch.connected = true;
      watch.lastActivity = Date.now();
      this.onConnected();
      const parser = createParser({
        onEvent: (message) => this.onMessage(message),
        onRetry: (ms) => (this.serverRetryMs = Math.min(ms, this.options.events.maxReconnectDelayMs)),
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        watch.lastActivity = Date.now();
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
      return { connected: true, reason: 'the stream ended', downSince: Date.now() };
    } catch (error) {
      const { connected, silent, lastActivity } = watch;
      if (silent) return { connected, reason: `no data or heartbeat for ${this.options.events.heartbeatTimeoutSeconds} s`, downSince: lastActivity };
      return { connected, reason: error instanceof Error ? error.message : String(error), downSince: Date.now() };
    } finally {
      clearInterval(watchdog);
      this.stopping.signal.removeEventListener('abort', stop);
      connection.abort();
    }
  }

  private async open(signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.credentials.accessToken()}`,
      Accept: 'text/event-stream',
      'Cache-Control': 'no-cache',
    };
    const lastEventId = this.health.lastSeenEventId;
    if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
    const response = await fetch(this.options.events.url, { headers, signal });
    if (response.status === 401) this.credentials.discard();
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`the event stream answered ${response.status}`);
    }
    if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
      await response.body?.cancel();
      throw new Error('the event stream did not answer with text/event-stream');
    }
    return response;
  }

  private onConnected(): void {
    const mode = this.health.mode();
    // Past the outage bound, or with no position to resume from, a replay cannot be relied on to
    // cover what the cache holds: start it afresh (each token is introspected once more).
    if (mode === 'closed' || mode === 'introspect' || this.health.lastSeenEventId === null) this.state.forgetAll();
    else this.state.invalidateInFlight();
    this.health.markConnected();
    this.logger.log(`Subscribed to Gatehouse events at ${this.options.events.url}`);
  }

  private onMessage(message: EventSourceMessage): void {
    this.state.apply(parseAccessEvent(message.event, message.data));
    this.health.markEvent(message.id);
  }
}
