import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisConnections } from './redis.connections.js';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly redis: RedisConnections,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'redis') {
    const indicator = this.indicators.check(key);
    try {
      const started = Date.now();
      await this.redis.command!.ping();
      return indicator.up({ responseTime: Date.now() - started });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
