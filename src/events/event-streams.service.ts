import { HttpException, HttpStatus, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Principal } from '../common/principal.js';
import { Metrics } from '../metrics/metrics.service.js';
import { AccessEventFeed } from './access-event.feed.js';
import { AccessEventLog } from './access-event.log.js';
import { EventStream } from './event-stream.js';

/** Where a new stream begins, and why it must first tell the subscriber to forget what it cached. */
export interface StreamStart {
  /** The newest id when the stream was prepared. */
  head: number;
  from: number;
  reset?: string;
}

/** A comment line this often keeps proxies from timing the stream out and tells the subscriber it is alive. */
export const HEARTBEAT_MS = 5_000;
/** The reconnection delay suggested to subscribers (SSE `retry:`). */
const RETRY_MS = 1_000;
/** Streams one client may hold open at once (a resource server needs one per instance). */
const MAX_STREAMS_PER_CLIENT = 16;

/**
 * The open `GET /events` streams of this instance: opening one (replay from Last-Event-ID, then
 * live), heartbeats, and ending each when its token expires or the instance shuts down.
 */
@Injectable()
export class EventStreams implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventStreams.name);
  private readonly open = new Map<EventStream, { clientId: string; expiry: NodeJS.Timeout }>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: AccessEventLog,
    private readonly feed: AccessEventFeed,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.heartbeat = setInterval(() => {
      for (const stream of this.open.keys()) stream.heartbeat();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onApplicationShutdown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const stream of [...this.open.keys()]) stream.end('the server is shutting down');
  }

  /**
   * Everything that can refuse or fail before the stream's head is written, so that a refusal, or a
   * database that is down, is still an ordinary JSON error: the stream limit, and where to start.
   */
  async prepare(principal: Principal, lastEventId: number | null): Promise<StreamStart> {
    const held = [...this.open.values()].filter((entry) => entry.clientId === principal.client.clientId).length;
    if (held >= MAX_STREAMS_PER_CLIENT) {
      throw new HttpException(
        { error: 'too_many_streams', error_description: `A client may hold ${MAX_STREAMS_PER_CLIENT} event streams open at once` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const head = await this.log.head();
    if (lastEventId === null) return { head, from: head };
    if (lastEventId > head) return { head, from: head, reset: 'Last-Event-ID is not a position of this stream' };
    const oldest = await this.log.oldest();
    // Ids are consecutive unless a transaction rolled back, so a gap before the oldest kept event
    // may be pruned events: the subscriber cannot know what it missed.
    if (oldest !== null && lastEventId < oldest - 1) return { head, from: head, reset: 'the events after Last-Event-ID have expired' };
    return { head, from: lastEventId };
  }

  /** Writes the stream's head, replays what the subscriber missed, and goes live. */
  async start(response: ServerResponse, principal: Principal, start: StreamStart): Promise<void> {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold events back to fill a buffer.
      'x-accel-buffering': 'no',
    });
    response.write(`retry: ${RETRY_MS}\n\n`);
    const owner = { clientId: principal.client.clientId, jti: principal.token.jti };
    const stream = new EventStream(
      response,
      start.from,
      owner,
      (ended, reason) => this.ended(ended, reason),
      (lagMs) => this.metrics.eventDeliveryLag.observe(lagMs / 1000),
    );
    const expiry = setTimeout(() => stream.end('its access token expired'), Math.max(0, principal.token.exp * 1000 - Date.now()));
    expiry.unref();
    this.open.set(stream, { clientId: owner.clientId, expiry });
    this.metrics.eventSubscribers.set(this.open.size);
    if (start.reset) stream.reset(start.from, start.reset);
    this.feed.add(stream, start.head);
    try {
      await stream.replay(this.log);
    } catch (error) {
      // The head is written: the only way left to say it failed is to end the stream (it resumes).
      this.logger.warn({ error: (error as Error).message }, 'Event stream failed while catching up');
      stream.end('catching up failed');
    }
  }

  private ended(stream: EventStream, reason: string): void {
    const entry = this.open.get(stream);
    if (!entry) return;
    clearTimeout(entry.expiry);
    this.open.delete(stream);
    this.metrics.eventSubscribers.set(this.open.size);
    this.feed.remove(stream);
    this.logger.debug({ clientId: entry.clientId, position: stream.position, reason }, 'Event stream ended');
  }
}
