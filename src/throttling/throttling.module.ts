import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { RedisAttemptStore } from '../redis/redis-attempt.store.js';
import { RedisThrottlerStorage } from '../redis/redis-throttler.storage.js';
import { RedisConnections } from '../redis/redis.connections.js';
import { ATTEMPT_STORE, MemoryAttemptStore } from './attempt-store.js';
import { LoginThrottle } from './login-throttle.service.js';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';
import { OAuthThrottlerGuard } from './oauth-throttler.guard.js';
import { SignInSource } from './sign-in-source.entity.js';
import { SignInSources } from './sign-in-sources.service.js';

/** Counters live in bounded memory, or in Redis (shared by every instance) when REDIS_URL is set; known sign-in sources in the database. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([SignInSource]),
    ThrottlerModule.forRootAsync({
      inject: [appConfig.KEY, RedisConnections],
      useFactory: (config: AppConfig, redis: RedisConnections) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, config.rateLimitPerMinute) }],
        skipIf: () => config.rateLimitPerMinute === 0,
        storage: redis.enabled ? new RedisThrottlerStorage(redis) : new MemoryThrottlerStorage(),
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
    SignInSources,
    OAuthThrottlerGuard,
  ],
  exports: [LoginThrottle, SignInSources, OAuthThrottlerGuard, ThrottlerModule],
})
export class ThrottlingModule {}
