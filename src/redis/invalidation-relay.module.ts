import { Module } from '@nestjs/common';
import { RedisInvalidationRelay } from './redis-invalidation.relay.js';

/** Cross-instance invalidation; inert without REDIS_URL. It knows the bus only: auth reacts to the bus's health. */
@Module({ providers: [RedisInvalidationRelay] })
export class InvalidationRelayModule {}
