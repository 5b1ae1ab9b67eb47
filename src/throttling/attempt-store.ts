import { LRUCache } from 'lru-cache';

/** Failures counted against one key (an account from an address, a client from an address), and the lock they earned. */
export interface AttemptState {
  failures: number;
  /** Epoch ms until which attempts are refused; 0 when not locked. */
  lockedUntil: number;
}

/** How failures turn into locks: exponential back-off from `threshold`, capped, forgotten after `windowMs`. */
export interface LockoutPolicy {
  threshold: number;
  baseLockMs: number;
  maxLockMs: number;
  /** Failures are forgotten this long after the last one (or the end of the lock, if later). */
  windowMs: number;
}

/** Failures counted in a fixed window that starts with the first one (an hour of an account, say). */
export interface WindowCount {
  count: number;
  /** Epoch ms when the window (and its count) ends; 0 when nothing was counted. */
  endsAt: number;
}

export function lockDuration(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.threshold) return 0;
  return Math.min(policy.baseLockMs * 2 ** (failures - policy.threshold), policy.maxLockMs);
}

/**
 * Where failure counters live: this process's memory, or Redis when
 * REDIS_URL is set so every instance counts together. Implementations must
 * make `recordFailure` and `countInWindow` atomic, and every operation must
 * cost the same however many keys are stored: the keys are chosen by callers.
 */
export interface AttemptStore {
  get(key: string, now: number): Promise<AttemptState>;
  recordFailure(key: string, policy: LockoutPolicy, now: number): Promise<AttemptState>;
  clear(key: string): Promise<void>;
  /** Counts one failure in the key's fixed window (opened by the first failure, `windowMs` long). */
  countInWindow(key: string, windowMs: number, now: number): Promise<WindowCount>;
  peekWindow(key: string, now: number): Promise<WindowCount>;
}

export const ATTEMPT_STORE = Symbol('ATTEMPT_STORE');

/** Entries the in-process store keeps at most; past it the least recently used go first. About 30 MiB when full. */
export const MEMORY_ATTEMPT_STORE_MAX = 100_000;

const EMPTY: AttemptState = { failures: 0, lockedUntil: 0 };
const NO_WINDOW: WindowCount = { count: 0, endsAt: 0 };

interface Entry {
  failures: number;
  lockedUntil: number;
  /** Epoch ms (on the callers' clock) after which the entry counts for nothing. */
  expiresAt: number;
}

/**
 * Counters in this process: an LRU bounded in entries and expiring by TTL, so
 * a flood of distinct keys costs constant time per request and bounded memory.
 * A flood can push out other counters, which only forgets failures (never
 * locks anyone out); it takes MEMORY_ATTEMPT_STORE_MAX requests, which the
 * per-address rate limit spreads over hours.
 */
export class MemoryAttemptStore implements AttemptStore {
  private readonly entries: LRUCache<string, Entry>;

  constructor(max = MEMORY_ATTEMPT_STORE_MAX) {
    // The TTL frees memory; `expiresAt` decides, on the clock the caller passes.
    this.entries = new LRUCache<string, Entry>({ max, ttl: 60 * 60_000, ttlAutopurge: false, updateAgeOnGet: false });
  }

  async get(key: string, now: number): Promise<AttemptState> {
    const entry = this.live(key, now);
    return entry ? { failures: entry.failures, lockedUntil: entry.lockedUntil } : EMPTY;
  }

  async recordFailure(key: string, policy: LockoutPolicy, now: number): Promise<AttemptState> {
    const failures = (this.live(key, now)?.failures ?? 0) + 1;
    const lock = lockDuration(failures, policy);
    const lockedUntil = lock > 0 ? now + lock : 0;
    const expiresAt = Math.max(now + policy.windowMs, lockedUntil);
    this.entries.set(key, { failures, lockedUntil, expiresAt }, { ttl: expiresAt - now });
    return { failures, lockedUntil };
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async countInWindow(key: string, windowMs: number, now: number): Promise<WindowCount> {
    const entry = this.live(key, now);
    if (entry) {
      // Counted in place: the window keeps the end its first failure gave it.
      entry.failures += 1;
      return { count: entry.failures, endsAt: entry.expiresAt };
    }
    const expiresAt = now + windowMs;
    this.entries.set(key, { failures: 1, lockedUntil: 0, expiresAt }, { ttl: windowMs });
    return { count: 1, endsAt: expiresAt };
  }

  async peekWindow(key: string, now: number): Promise<WindowCount> {
    const entry = this.live(key, now);
    return entry ? { count: entry.failures, endsAt: entry.expiresAt } : NO_WINDOW;
  }

  /** Number of entries held (expired ones included until they are looked up or pushed out). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
