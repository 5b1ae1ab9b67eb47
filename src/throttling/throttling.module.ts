import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { RedisAttemptStore } from '../redis/redis-attempt.store.js';
import { RedisThrottlerStorage } from '../redis/redis-throttler.storage.js';
import { RedisConnections } from '../redis/redis.connections.js';
import { ATTEMPT_STORE, MemoryAttemptStore } from './attempt-store.js';
import { LoginThrottle } from './login-throttle.service.js';
import { OAuthThrottlerGuard } from './oauth-throttler.guard.js';

/** Counters live in memory, or in Redis (shared by every instance) when REDIS_URL is set. */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [appConfig.KEY, RedisConnections],
      useFactory: (config: AppConfig, redis: RedisConnections) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, config.rateLimitPerMinute) }],
        skipIf: () => config.rateLimitPerMinute === 0,
        storage: redis.enabled ? new RedisThrottlerStorage(redis) : undefined,
      }),
    }),
  ],
  providers: [
    {
      provide: ATTEMPT_STORE,
      inject: [RedisConnections],
      useFactory: (redis: RedisConnections) => (redis.enabled ? new RedisAttemptStore(redis) : new MemoryAttemptStore()),
    },
    LoginThrottle,
    OAuthThrottlerGuard,
  ],
  exports: [LoginThrottle, OAuthThrottlerGuard, ThrottlerModule],
})
export class ThrottlingModule {}
