import { Global, Module } from '@nestjs/common';
import { RedisConnections } from './redis.connections.js';

/** Global: throttling, revocation and the invalidation relay use Redis when REDIS_URL is set. */
@Global()
@Module({ providers: [RedisConnections], exports: [RedisConnections] })
export class RedisModule {}
