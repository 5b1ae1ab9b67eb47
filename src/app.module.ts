import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BootstrapModule } from './bootstrap/bootstrap.module.js';
import { ClientsModule } from './clients/clients.module.js';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter.js';
import { InvalidationModule } from './common/invalidation/invalidation.module.js';
import { AppConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MaintenanceModule } from './maintenance/maintenance.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { InvalidationRelayModule } from './redis/invalidation-relay.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ResourcesModule } from './resources/resources.module.js';
import { SignInModule } from './signin/signin.module.js';
import { TelemetryModule } from './telemetry/telemetry.module.js';
import { ThrottlingModule } from './throttling/throttling.module.js';
import { UsersModule } from './users/users.module.js';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    MetricsModule,
    DatabaseModule,
    InvalidationModule,
    RedisModule,
    ThrottlingModule,
    AuditModule,
    UsersModule,
    ClientsModule,
    AuthModule,
    EventsModule,
    SignInModule,
    BootstrapModule,
    HealthModule,
    MaintenanceModule,
    InvalidationRelayModule,
    ResourcesModule,
    TelemetryModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
export class AppModule {}
