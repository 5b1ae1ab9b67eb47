import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InvalidationBus } from '../common/invalidation/invalidation.bus.js';
import type { RecordedAccessEvent } from './access-event.js';
import { AccessEventLog } from './access-event.log.js';

/** How often the log is read when nothing woke the feed earlier: the bound on cross-instance delay. */
const POLL_MS = 250;
const PAGE = 500;

/** One open stream, as the feed sees it: events are offered in id order, each once. */
export interface EventSink {
  /** Called with every new committed event, in order; must not block. */
  offer(events: readonly RecordedAccessEvent[]): void;
}

/**
 * Reads newly committed events from the log and hands them to every open stream of this
 * instance. One reader per instance, whatever the number of streams, so subscribers cost the
 * database nothing; a change made here, or announced by another instance on the invalidation
 * bus, wakes it at once, and it polls anyway so that no event waits more than POLL_MS.
 */
@Injectable()
export class AccessEventFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AccessEventFeed.name);
  private readonly sinks = new Set<EventSink>();
  private newest = 0;
  /** No stream was open, so `newest` says nothing of the present. */
  private stale = true;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly log: AccessEventLog,
    private readonly bus: InvalidationBus,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.bus.subscribe(() => this.wake());
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
  }

  /**
   * From now on `sink` is offered every event this feed reads. `head` is the newest id, read
   * before this call: the sink replays from the log whatever was committed before its replay's
   * last read (and skips by id what it is offered twice); the feed reads everything after.
   */
  add(sink: EventSink, head: number): void {
    if (this.stale) {
      // Idle until now: the feed starts from `head`, which no event of the sink's replay precedes.
      this.newest = head;
      this.stale = false;
    }
    this.sinks.add(sink);
  }

  remove(sink: EventSink): void {
    this.sinks.delete(sink);
    // Nobody reads meanwhile: the next stream starts the feed from the present again.
    if (this.sinks.size === 0) this.stale = true;
  }

  /** Reads what was committed since the last read; calls that arrive meanwhile fold into one more read. */
  wake(): void {
    // With no stream open nobody waits for events: the first stream to open reads from the log itself.
    if (this.sinks.size === 0) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readNew()
      .catch((error: unknown) => this.logger.warn({ error: (error as Error).message }, 'Reading access events failed; retrying'))
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const events = await this.log.after(this.newest, PAGE);
      if (events.length === 0) return;
      this.newest = events[events.length - 1].id;
      for (const sink of this.sinks) sink.offer(events);
      if (events.length < PAGE) return;
    }
  }
}
