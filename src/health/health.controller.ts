import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthIndicatorFunction, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/guard/public.decorator.js';
import { RedisHealthIndicator } from '../redis/redis.health.js';
import { RedisConnections } from '../redis/redis.connections.js';
import { DrainState } from './drain.state.js';

@ApiTags('operations')
@Controller('health')
@Public()
export class HealthController {
  /** What must answer for this instance to serve: the database, and Redis when configured. */
  private readonly stores: HealthIndicatorFunction[];

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly drain: DrainState,
    database: TypeOrmHealthIndicator,
    redis: RedisHealthIndicator,
    connections: RedisConnections,
  ) {
    this.stores = [() => database.pingCheck('database').withTimeout(1500)];
    if (connections.enabled) this.stores.push(() => redis.check('redis'));
  }

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and database readiness in one (200, or 503 naming what is down)' })
  check() {
    return this.health.check(this.stores);
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: 200 while the process answers at all' })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 200 when the database (and Redis, when set) answer and the server is not shutting down' })
  @ApiServiceUnavailableResponse({ description: 'A store is unreachable, or the server is draining' })
  ready() {
    return this.health.check([() => this.serving(), ...this.stores]);
  }

  private serving() {
    const indicator = this.indicators.check('server');
    return this.drain.isDraining ? indicator.down({ message: 'shutting down' }) : indicator.up();
  }
}
