import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/app.config.js';

/** Injection token of the application's one pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

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

/** Fields of the request line that its message already shows, hidden from the readable form. */
const SHOWN_IN_MESSAGE = ['reqId', 'method', 'route', 'statusCode', 'responseTime'];

/**
 * JSON lines in production, for log pipelines; readable, one-line-per-event
 * output for a developer otherwise. The readable form is written synchronously
 * in this thread (no transport worker), so the last lines before an exit are
 * never lost.
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel' | 'production'>): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (config.production) return pino(options);
  const readable = pretty({
    sync: true,
    colorize: process.stdout.isTTY,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: ['pid', 'hostname', 'context', ...SHOWN_IN_MESSAGE].join(','),
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
  return pino(options, readable);
}

/**
 * A child that writes at info whatever LOG_LEVEL says: for the few lines a
 * person starting the server must see (where to connect, where generated
 * credentials were put), in the same format as every other line.
 */
export const alwaysShown = (root: Logger, context: string): Logger => root.child({ context }, { level: 'info' });
