import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { GatehouseResourceModule, type OutagePolicy } from '@gatehouse/resource-server';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { StockController } from './stock.controller.js';

/**
 * The whole integration with Gatehouse is the one import below: every route of this service is
 * then guarded (deny by default) with Gatehouse's own decorators.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    GatehouseResourceModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        issuer: config.getOrThrow<string>('GATEHOUSE_ISSUER'),
        audience: config.get<string>('GATEHOUSE_AUDIENCE'),
        clientId: config.getOrThrow<string>('GATEHOUSE_CLIENT_ID'),
        clientSecret: config.getOrThrow<string>('GATEHOUSE_CLIENT_SECRET'),
        realm: 'external-resource-server',
        events: {
          url: config.get<string>('GATEHOUSE_EVENTS_URL'),
          scope: config.get<string>('GATEHOUSE_EVENTS_SCOPE'),
          onOutage: config.get<OutagePolicy>('GATEHOUSE_ON_OUTAGE'),
        },
      }),
    }),
    TerminusModule,
  ],
  controllers: [StockController, HealthController],
})
export class AppModule {}
