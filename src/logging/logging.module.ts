import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { appConfig, type AppConfig } from '../config/app.config.js';

/** Never logged, wherever they appear: credentials, secrets and tokens. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.client_secret',
  '*.refresh_token',
  '*.access_token',
  '*.token',
  '*.clientSecret',
];

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        // Nest 12's path syntax: the package's default pattern matches no route on Fastify.
        forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.logLevel,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // Query strings can carry tokens from careless clients; log the path only.
          serializers: {
            req: (req: IncomingMessage & { id?: unknown }) => ({
              id: req.id,
              method: req.method,
              url: req.url?.split('?')[0],
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customLogLevel: (_req: unknown, res: { statusCode: number }, err?: unknown) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
        },
      }),
    }),
  ],
})
export class LoggingModule {}
