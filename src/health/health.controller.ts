import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthIndicatorFunction, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/decorators/public.decorator.js';
import { RedisHealthIndicator } from '../redis/redis.health.js';
import { RedisConnections } from '../redis/redis.connections.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  private readonly checks: HealthIndicatorFunction[];

  constructor(
    private readonly health: HealthCheckService,
    database: TypeOrmHealthIndicator,
    redis: RedisHealthIndicator,
    connections: RedisConnections,
  ) {
    this.checks = [() => database.pingCheck('database').withTimeout(1500)];
    if (connections.enabled) this.checks.push(() => redis.check('redis'));
  }

  /** Liveness plus readiness: 200 while the process runs and its stores answer, else 503. */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check(this.checks);
  }
}
