import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import { MemoryThrottlerStorage } from '../throttling/memory-throttler.storage.js';
import type { RedisConnections } from './redis.connections.js';

/**
 * Fixed-window counter shared by every instance: INCR, the window set on the
 * first hit, and a block key once the limit is passed — in one script, so
 * concurrent instances count exactly.
 */
const SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return { hits, ttl, blocked }
`;

/** @nestjs/throttler storage in Redis; falls back to this instance's memory while Redis is unreachable. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly fallback = new MemoryThrottlerStorage();

  constructor(private readonly redis: RedisConnections) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const name = this.redis.key(`throttle:${throttlerName}:${key}`);
    try {
      const [hits, ttlMs, blockedMs] = (await this.redis.command!.eval(SCRIPT, 2, name, `${name}:blocked`, ttl, limit, blockDuration || ttl)) as number[];
      const isBlocked = blockedMs > 0;
      return {
        totalHits: hits,
        timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.ceil(blockedMs / 1000) : 0,
      };
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'Rate limit counter unavailable in Redis; counting in memory');
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }
}
