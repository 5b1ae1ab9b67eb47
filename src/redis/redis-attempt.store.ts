import { Logger } from '@nestjs/common';
import { type AttemptState, type AttemptStore, type LockoutPolicy, MemoryAttemptStore, type WindowCount } from '../throttling/attempt-store.js';
import type { RedisConnections } from './redis.connections.js';

/** One failure: count it, lock with back-off past the threshold, expire the key by itself. */
const RECORD_FAILURE = `
local now = tonumber(ARGV[1])
local threshold = tonumber(ARGV[2])
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local locked = 0
if failures >= threshold then
  locked = now + math.min(tonumber(ARGV[3]) * 2 ^ (failures - threshold), tonumber(ARGV[4]))
  redis.call('HSET', KEYS[1], 'lockedUntil', locked)
end
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[5]), locked - now))
return { failures, locked }
`;

/** One failure in a fixed window: the first opens it (and sets when it ends), the rest only count. */
const COUNT_IN_WINDOW = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local count = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if count == 1 then
  redis.call('HSET', KEYS[1], 'endsAt', now + window)
  redis.call('PEXPIRE', KEYS[1], window)
end
return { count, tonumber(redis.call('HGET', KEYS[1], 'endsAt')) }
`;

/**
 * Lockout counters shared by every instance, so guesses spread over several
 * instances are counted together. While Redis is unreachable the counting
 * goes on in this instance's memory (still protecting, never open).
 */
export class RedisAttemptStore implements AttemptStore {
  private readonly logger = new Logger(RedisAttemptStore.name);
  private readonly fallback = new MemoryAttemptStore();

  constructor(private readonly redis: RedisConnections) {}

  async get(key: string, now: number): Promise<AttemptState> {
    try {
      const values = await this.redis.command!.hmget(this.name(key), 'failures', 'lockedUntil');
      return { failures: Number(values[0] ?? 0), lockedUntil: Number(values[1] ?? 0) };
    } catch (error) {
      this.degraded(error);
      return this.fallback.get(key, now);
    }
  }

  async recordFailure(key: string, policy: LockoutPolicy, now: number): Promise<AttemptState> {
    try {
      const [failures, lockedUntil] = (await this.redis.command!.eval(
        RECORD_FAILURE,
        1,
        this.name(key),
        now,
        policy.threshold,
        policy.baseLockMs,
        policy.maxLockMs,
        policy.windowMs,
      )) as number[];
      return { failures: failures, lockedUntil: lockedUntil };
    } catch (error) {
      this.degraded(error);
      return this.fallback.recordFailure(key, policy, now);
    }
  }

  async clear(key: string): Promise<void> {
    await this.fallback.clear(key);
    await this.redis.command!.del(this.name(key)).catch((error: unknown) => this.degraded(error));
  }

  async countInWindow(key: string, windowMs: number, now: number): Promise<WindowCount> {
    try {
      const [count, endsAt] = (await this.redis.command!.eval(COUNT_IN_WINDOW, 1, this.name(key), now, windowMs)) as number[];
      return { count, endsAt };
    } catch (error) {
      this.degraded(error);
      return this.fallback.countInWindow(key, windowMs, now);
    }
  }

  async peekWindow(key: string, now: number): Promise<WindowCount> {
    try {
      const [count, endsAt] = await this.redis.command!.hmget(this.name(key), 'failures', 'endsAt');
      return { count: Number(count ?? 0), endsAt: Number(endsAt ?? 0) };
    } catch (error) {
      this.degraded(error);
      return this.fallback.peekWindow(key, now);
    }
  }

  private name(key: string): string {
    return this.redis.key(`attempts:${key}`);
  }

  private degraded(error: unknown): void {
    this.logger.error({ error: (error as Error).message }, 'Lockout counters unavailable in Redis; counting in memory');
  }
}
