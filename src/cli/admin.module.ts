import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { InvalidationModule } from '../common/invalidation/invalidation.module.js';
import { AppConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { InvalidationRelayModule } from '../redis/invalidation-relay.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminCommands } from './admin.commands.js';

/**
 * The application as the admin CLI needs it: the same configuration,
 * database, services and invalidation relay as the server, without HTTP,
 * bootstrap seeding or maintenance jobs.
 */
@Module({
  imports: [
    AppConfigModule,
    DatabaseModule,
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
