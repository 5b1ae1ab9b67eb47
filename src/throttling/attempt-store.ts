/** Failures counted against one key (an account, an address, a client), and the lock they earned. */
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

export function lockDuration(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.threshold) return 0;
  return Math.min(policy.baseLockMs * 2 ** (failures - policy.threshold), policy.maxLockMs);
}

/**
 * Where failure counters live: this process's memory, or Redis when
 * REDIS_URL is set so every instance counts together. Implementations must
 * make `recordFailure` atomic.
 */
export interface AttemptStore {
  get(key: string, now: number): Promise<AttemptState>;
  recordFailure(key: string, policy: LockoutPolicy, now: number): Promise<AttemptState>;
  clear(key: string): Promise<void>;
}

export const ATTEMPT_STORE = Symbol('ATTEMPT_STORE');

const EMPTY: AttemptState = { failures: 0, lockedUntil: 0 };

export class MemoryAttemptStore implements AttemptStore {
  private readonly entries = new Map<string, AttemptState & { expiresAt: number }>();

  async get(key: string, now: number): Promise<AttemptState> {
    const entry = this.entries.get(key);
    if (!entry) return EMPTY;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return EMPTY;
    }
    return { failures: entry.failures, lockedUntil: entry.lockedUntil };
  }

  async recordFailure(key: string, policy: LockoutPolicy, now: number): Promise<AttemptState> {
    const failures = (await this.get(key, now)).failures + 1;
    const lock = lockDuration(failures, policy);
    const lockedUntil = lock > 0 ? now + lock : 0;
    this.entries.set(key, { failures, lockedUntil, expiresAt: Math.max(now + policy.windowMs, lockedUntil) });
    if (this.entries.size > 100_000) this.sweep(now);
    return { failures, lockedUntil };
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
