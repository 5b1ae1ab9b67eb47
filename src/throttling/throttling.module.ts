import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { ATTEMPT_STORE, MemoryAttemptStore } from './attempt-store.js';
import { LoginThrottle } from './login-throttle.service.js';
import { OAuthThrottlerGuard } from './oauth-throttler.guard.js';

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, config.rateLimitPerMinute) }],
        skipIf: () => config.rateLimitPerMinute === 0,
      }),
    }),
  ],
  providers: [{ provide: ATTEMPT_STORE, useClass: MemoryAttemptStore }, LoginThrottle, OAuthThrottlerGuard],
  exports: [LoginThrottle, OAuthThrottlerGuard, ThrottlerModule],
})
export class ThrottlingModule {}
