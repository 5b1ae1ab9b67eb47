import { Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';

/**
 * Nest's own start-up chatter: one line per module and per route (45 of
 * them), and "successfully started" written before the server has even tried
 * to listen. Useful when debugging the wiring, noise otherwise.
 */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);
/** Its only error is a failed listen, which main.ts reports itself, in one line. */
const REPORTED_BY_MAIN = 'NestApplication';

const contextOf = (optionalParams: unknown[]) => optionalParams.at(-1);

/** nestjs-pino's Nest logger, with the framework's own lines moved down to debug. */
@Injectable()
export class AppLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = contextOf(optionalParams);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    if (contextOf(optionalParams) === REPORTED_BY_MAIN) super.debug(message, ...optionalParams);
    else super.error(message, ...optionalParams);
  }
}
