import { Controller, Get } from '@nestjs/common';
import { GatehouseResourceHealth, Public } from '@gatehouse/resource-server';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

/** Readiness for an orchestrator: 503 while guarded requests are refused because Gatehouse's event stream is down. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly gatehouse: GatehouseResourceHealth,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => {
        const { healthy, ...status } = this.gatehouse.status();
        const indicator = this.indicators.check('gatehouse');
        return healthy ? indicator.up(status) : indicator.down(status);
      },
    ]);
  }
}
