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

/**
 * Lockout counters the in-process store keeps at most (about 20 MiB when
 * full); past it the least recently used go first. The hourly windows are
 * kept apart, so a flood of lockout keys can never push a window out.
 */
export const MEMORY_ATTEMPT_STORE_MAX = 64_000;

const EMPTY: AttemptState = { failures: 0, lockedUntil: 0 };
const NO_WINDOW: WindowCount = { count: 0, endsAt: 0 };

interface Entry {
  failures: number;
  lockedUntil: number;
  /** Epoch ms (on the callers' clock) after which the entry counts for nothing. */
  expiresAt: number;
}

/**
 * Counters in this process: LRUs bounded in entries and expiring by TTL, so a
 * flood of distinct keys costs constant time per request and bounded memory.
 * A flood can push out other lockout counters, which only forgets failures
 * (never locks anyone out); it takes `max` failing requests, which the
 * per-address rate limit spreads over hours, and the hourly windows (which
 * LoginThrottle opens only for accounts that exist) are not in its reach.
 */
export class MemoryAttemptStore implements AttemptStore {
  private readonly lockouts: LRUCache<string, Entry>;
  private readonly windows: LRUCache<string, Entry>;

  constructor(max = MEMORY_ATTEMPT_STORE_MAX) {
    // The TTL frees memory; `expiresAt` decides, on the clock the caller passes.
    const options = { max, ttl: 60 * 60_000, ttlAutopurge: false, updateAgeOnGet: false };
    this.lockouts = new LRUCache<string, Entry>(options);
    this.windows = new LRUCache<string, Entry>(options);
  }

  async get(key: string, now: number): Promise<AttemptState> {
    const entry = live(this.lockouts, key, now);
    return entry ? { failures: entry.failures, lockedUntil: entry.lockedUntil } : EMPTY;
  }

  async recordFailure(key: string, policy: LockoutPolicy, now: number): Promise<AttemptState> {
    const failures = (live(this.lockouts, key, now)?.failures ?? 0) + 1;
    const lock = lockDuration(failures, policy);
    const lockedUntil = lock > 0 ? now + lock : 0;
    const expiresAt = Math.max(now + policy.windowMs, lockedUntil);
    this.lockouts.set(key, { failures, lockedUntil, expiresAt }, { ttl: expiresAt - now });
    return { failures, lockedUntil };
  }

  async clear(key: string): Promise<void> {
    this.lockouts.delete(key);
  }

  async countInWindow(key: string, windowMs: number, now: number): Promise<WindowCount> {
    const entry = live(this.windows, key, now);
    if (entry) {
      // Counted in place: the window keeps the end its first failure gave it.
      entry.failures += 1;
      return { count: entry.failures, endsAt: entry.expiresAt };
    }
    const expiresAt = now + windowMs;
    this.windows.set(key, { failures: 1, lockedUntil: 0, expiresAt }, { ttl: windowMs });
    return { count: 1, endsAt: expiresAt };
  }

  async peekWindow(key: string, now: number): Promise<WindowCount> {
    const entry = live(this.windows, key, now);
    return entry ? { count: entry.failures, endsAt: entry.expiresAt } : NO_WINDOW;
  }

  /** Lockout counters held (expired ones included until they are looked up or pushed out). */
  get size(): number {
    return this.lockouts.size;
  }
}

function live(cache: LRUCache<string, Entry>, key: string, now: number): Entry | undefined {
  const entry = cache.get(key);
  if (entry && entry.expiresAt <= now) {
    cache.delete(key);
    return undefined;
  }
  return entry;
}
