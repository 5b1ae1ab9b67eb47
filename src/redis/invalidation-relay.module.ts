import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { RedisInvalidationRelay } from './redis-invalidation.relay.js';

/** Cross-instance invalidation; inert without REDIS_URL. */
@Module({ imports: [AuthModule], providers: [RedisInvalidationRelay] })
export class InvalidationRelayModule {}
