import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { AppLogger } from './app-logger.js';
import { createRootLogger, ROOT_LOGGER } from './root-logger.js';

/** The one pino logger of the application, owned here so the request hook and main.ts can write to it too. */
@Global()
@Module({
  providers: [{ provide: ROOT_LOGGER, inject: [appConfig.KEY], useFactory: (config: AppConfig) => createRootLogger(config) }],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule {}

@Global()
@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      imports: [RootLoggerModule],
      providers: [],
      inject: [ROOT_LOGGER],
      // No per-request middleware: requests are logged by a Fastify hook (request-log.ts).
      useFactory: (logger: Logger) => ({ forRoutes: [], pinoHttp: { logger } }),
    }),
  ],
  providers: [AppLogger],
  exports: [AppLogger, RootLoggerModule],
})
export class LoggingModule {}
