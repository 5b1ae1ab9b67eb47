import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AppConfig, InjectAppConfig } from '../config/app.config.js';

/**
 * Whether the server has begun shutting down. Nest calls
 * beforeApplicationShutdown before it closes the HTTP listener; from then the
 * readiness probe answers 503, and for SHUTDOWN_DELAY seconds the server
 * still serves everything else, so a load balancer polling readiness stops
 * sending new requests before the listener goes away. Then the requests in
 * flight finish and the process exits.
 */
@Injectable()
export class DrainState implements BeforeApplicationShutdown {
  private draining = false;

  constructor(@InjectAppConfig() private readonly config: AppConfig) {}

  get isDraining(): boolean {
    return this.draining;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    if (this.config.shutdownDelay > 0) await sleep(this.config.shutdownDelay * 1000);
  }
}
