import { Inject, Injectable } from '@nestjs/common';
import { RESOLVED_OPTIONS, type ResolvedOptions } from '../options.js';

/**
 * How guarded requests are decided right now:
 * - `stream`: the event stream is up; permissions come from the cache, which events keep true;
 * - `grace`: the stream is down, for less than `events.maxOutageSeconds`; the cache is still used
 *   (a change in this window is applied when the stream comes back and replays it);
 * - `introspect`: down past the bound, `onOutage: 'introspect'`: every request asks Gatehouse;
 * - `closed`: down past the bound, `onOutage: 'fail-closed'` (the default): every guarded request is `503`.
 */
export type DecisionMode = 'stream' | 'grace' | 'introspect' | 'closed';

export interface GatehouseResourceStatus {
  /** False only when guarded requests are refused (`closed`). */
  healthy: boolean;
  mode: DecisionMode;
  connected: boolean;
  /** When the stream went down (or, before it ever connected, when the service started), ISO 8601. */
  downSince: string | null;
  lastEventId: string | null;
  /** Why the stream last failed, if it did. */
  lastError: string | null;
}

/**
 * The state of the event stream and what follows from it. `status()` is the health indicator: wire
 * it into `@nestjs/terminus` or a plain route (see the README).
 */
@Injectable()
export class GatehouseResourceHealth {
  private connected = false;
  /** Epoch ms. Before the first connection the service counts as down since it started. */
  private downSinceMs: number | null = Date.now();
  private lastEventId: string | null = null;
  private lastError: string | null = null;

  constructor(@Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions) {}

  mode(now = Date.now()): DecisionMode {
    if (this.connected) return 'stream';
    if (this.downSinceMs !== null && now - this.downSinceMs < this.options.events.maxOutageSeconds * 1000) return 'grace';
    return this.options.events.onOutage === 'introspect' ? 'introspect' : 'closed';
  }

  isHealthy(): boolean {
    return this.mode() !== 'closed';
  }

  status(): GatehouseResourceStatus {
    const mode = this.mode();
    return {
      healthy: mode !== 'closed',
      mode,
      connected: this.connected,
      downSince: this.downSinceMs === null ? null : new Date(this.downSinceMs).toISOString(),
      lastEventId: this.lastEventId,
      lastError: this.lastError,
    };
  }

  get lastSeenEventId(): string | null {
    return this.lastEventId;
  }

  markConnected(): void {
    this.connected = true;
    this.downSinceMs = null;
    this.lastError = null;
  }

  /** `since` is when the stream was last known good: for a silent stream, its last byte, not the moment we noticed. */
  markDown(reason: string, since = Date.now()): void {
    if (this.connected || this.downSinceMs === null) this.downSinceMs = since;
    this.connected = false;
    this.lastError = reason;
  }

  markEvent(id: string | undefined): void {
    if (id !== undefined && id !== '') this.lastEventId = id;
  }
}
