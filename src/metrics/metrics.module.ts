import { Global, Module } from '@nestjs/common';
import { MetricsServer } from './metrics.server.js';
import { Metrics } from './metrics.service.js';

/** The registry every feature counts into, and the separate port it is served on. */
@Global()
@Module({ providers: [Metrics, MetricsServer], exports: [Metrics] })
export class MetricsModule {}
