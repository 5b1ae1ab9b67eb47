import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import { LRUCache } from 'lru-cache';

/** Addresses whose rate-limit windows are held at most; past it the least recently seen go first. */
export const MEMORY_THROTTLER_STORAGE_MAX = 100_000;

interface Window {
  hits: number;
  endsAt: number;
  blockedUntil: number;
}

/**
 * The rate limit's counters in this process: a fixed window per key (as the
 * Redis storage counts), in an LRU bounded in entries with a TTL. The
 * library's own storage keeps one timestamp per hit and filters them on every
 * request, and sweeps every key each minute: cost and memory that grow with
 * what callers send.
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows: LRUCache<string, Window>;

  constructor(max = MEMORY_THROTTLER_STORAGE_MAX) {
    this.windows = new LRUCache<string, Window>({ max, ttl: 60_000, updateAgeOnGet: false });
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const name = `${throttlerName}:${key}`;
    const now = Date.now();
    let window = this.windows.get(name);
    if (!window || (window.endsAt <= now && window.blockedUntil <= now)) {
      window = { hits: 0, endsAt: now + ttl, blockedUntil: 0 };
    } else if (window.endsAt <= now) {
      window.hits = 0;
      window.endsAt = now + ttl;
    }
    window.hits += 1;
    if (window.blockedUntil <= now && window.hits > limit) window.blockedUntil = now + (blockDuration || ttl);
    this.windows.set(name, window, { ttl: Math.max(window.endsAt, window.blockedUntil) - now });
    const isBlocked = window.blockedUntil > now;
    return {
      totalHits: window.hits,
      timeToExpire: Math.max(0, Math.ceil((window.endsAt - now) / 1000)),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }
}
