import type { ServerResponse } from 'node:http';
import type { AccessEvent, RecordedAccessEvent } from './access-event.js';
import type { EventSink } from './access-event.feed.js';
import type { AccessEventLog } from './access-event.log.js';

/** Bytes a subscriber may leave unread in its socket before it is cut off (it resumes with Last-Event-ID). */
const MAX_UNREAD_BYTES = 1 << 20;
/** Events held for a stream while it replays its past; more means it cannot keep up. */
const MAX_PENDING = 10_000;
const PAGE = 500;

/** What a stream knows of the token it was opened with: it ends when that token would stop working. */
export interface StreamOwner {
  clientId: string;
  jti: string;
}

/** One text/event-stream line set (WHATWG HTML §9.2): id, event type, the event as JSON. */
export function formatEvent({ id, event }: RecordedAccessEvent): string {
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Whether the event ends the access of the token the stream was opened with. */
export function endsOwnersAccess(event: AccessEvent, owner: StreamOwner): boolean {
  switch (event.type) {
    case 'client.suspended':
    case 'client.changed':
      return event.client_id === owner.clientId;
    case 'access_token.revoked':
      return event.jti === owner.jti;
    default:
      return false;
  }
}

/**
 * One subscriber's stream. It replays what it missed from the log, then writes what the feed
 * offers, each event once and in order (anything at or before its cursor is skipped). It never
 * makes anyone wait: a subscriber that does not read is cut off once MAX_UNREAD_BYTES are queued,
 * and resumes from its Last-Event-ID when it comes back.
 */
export class EventStream implements EventSink {
  private replaying = true;
  private pending: RecordedAccessEvent[] = [];
  private ended = false;

  constructor(
    private readonly response: ServerResponse,
    private cursor: number,
    private readonly owner: StreamOwner,
    private readonly onEnd: (stream: EventStream, reason: string) => void,
    /** Told, for each live event written, how long ago (ms) it was committed. */
    private readonly onDelivered: (lagMs: number) => void = () => undefined,
  ) {
    response.on('close', () => this.end('the subscriber went away'));
  }

  get position(): number {
    return this.cursor;
  }

  /** Tells the subscriber its position is gone (pruned, or unknown here): it must forget what it cached. */
  reset(to: number, reason: string): void {
    this.send(`id: ${to}\nevent: reset\ndata: ${JSON.stringify({ type: 'reset', reason })}\n\n`);
    this.cursor = to;
  }

  async replay(log: AccessEventLog): Promise<void> {
    for (;;) {
      if (this.ended) return;
      const events = await log.after(this.cursor, PAGE);
      this.write(events);
      if (events.length < PAGE) break;
      // The past is read at the subscriber's pace: the next page waits until this one has gone out.
      if (this.response.writableNeedDrain) await new Promise((resolve) => this.response.once('drain', resolve).once('close', resolve));
    }
    this.replaying = false;
    const held = this.pending;
    this.pending = [];
    this.write(held);
  }

  offer(events: readonly RecordedAccessEvent[]): void {
    if (this.ended) return;
    if (!this.replaying) {
      this.write(events);
      const now = Date.now();
      for (const { at } of events) this.onDelivered(now - at);
      return;
    }
    this.pending.push(...events);
    if (this.pending.length > MAX_PENDING) this.end('it fell too far behind while catching up');
  }

  heartbeat(): void {
    this.send(': keep-alive\n\n');
  }

  end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.pending = [];
    this.response.end();
    this.onEnd(this, reason);
  }

  private write(events: readonly RecordedAccessEvent[]): void {
    let chunk = '';
    let endsAccess = false;
    for (const recorded of events) {
      if (recorded.id <= this.cursor) continue;
      chunk += formatEvent(recorded);
      this.cursor = recorded.id;
      if (endsOwnersAccess(recorded.event, this.owner)) {
        endsAccess = true;
        break;
      }
    }
    if (chunk) this.send(chunk);
    if (endsAccess) this.end("an event ended the subscriber's own access");
  }

  /**
   * Writes unless the subscriber has left more than MAX_UNREAD_BYTES unread: then it is cut off
   * (it resumes with Last-Event-ID). So a stream holds at most that much plus one chunk.
   */
  private send(chunk: string): void {
    if (this.ended) return;
    if (this.response.writableLength > MAX_UNREAD_BYTES) {
      // Destroy, not end: a subscriber that does not read would never receive the end either.
      this.ended = true;
      this.response.destroy();
      this.onEnd(this, 'it stopped reading');
      return;
    }
    this.response.write(chunk);
  }
}
