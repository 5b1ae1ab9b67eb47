import { Global, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { InvalidationModule } from '../common/invalidation/invalidation.module.js';
import { AppConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { EventLogModule } from '../events/event-log.module.js';
import { Metrics } from '../metrics/metrics.service.js';
import { InvalidationRelayModule } from '../redis/invalidation-relay.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminCommands } from './admin.commands.js';

/**
 * The registry the services count into, without the server's MetricsModule:
 * that one also serves METRICS_PORT, which the running server holds. What
 * the CLI counts is dropped with the process.
 */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
class UnservedMetricsModule {}

/**
 * The application as the admin CLI needs it: the same configuration,
 * database, services and invalidation relay as the server, without HTTP,
 * metrics port, bootstrap seeding or maintenance jobs. Listed rather than
 * shared with AppModule because of those differences; the admin CLI spec
 * fails if a service gains a dependency this list lacks.
 */
@Module({
  imports: [
    AppConfigModule,
    UnservedMetricsModule,
    DatabaseModule,
    EventLogModule,
    InvalidationModule,
    RedisModule,
    ThrottlingModule,
    AuditModule,
    UsersModule,
    ClientsModule,
    AuthModule,
    InvalidationRelayModule,
  ],
  providers: [AdminCommands],
})
export class AdminModule {}
