import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type AppConfig, InjectAppConfig } from '../config/app.config.js';
import { Metrics } from '../metrics/metrics.service.js';
import { dialectOf } from './data-source-options.js';
import { poolUse } from './pool-use.js';

/** PostgreSQL pool use (SQLite has one embedded connection and no pool to report). */
@Injectable()
export class PoolMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (dialectOf(this.config.databaseUrl) !== 'postgres') return;
    this.metrics.gauge(
      'gatehouse_db_pool_connections',
      'PostgreSQL pool connections, by state (in_use, idle) and callers waiting for one',
      ['state'],
      async () => {
        const { total, idle, waiting } = poolUse(this.config.databaseUrl);
        return [
          [{ state: 'in_use' }, total - idle],
          [{ state: 'idle' }, idle],
          [{ state: 'waiting' }, waiting],
        ];
      },
    );
  }
}
