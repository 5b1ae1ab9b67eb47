import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type InvalidationEvent, InvalidationBus } from '../common/invalidation/invalidation.bus.js';
import { RedisConnections } from './redis.connections.js';

interface Envelope {
  from: string;
  event: InvalidationEvent;
}

/**
 * Carries invalidations between instances over Redis pub/sub, so a change
 * made through one instance is enforced by all at once. While the
 * subscription is down this instance could miss changes: the bus says so
 * (InvalidationBus.setHealthy), and whoever caches auth state stops trusting
 * its cache until the subscription is back.
 */
@Injectable()
export class RedisInvalidationRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RedisInvalidationRelay.name);
  private readonly instance = randomUUID();
  private readonly sending = new Set<Promise<unknown>>();
  private removeRelay?: () => void;

  constructor(
    private readonly redis: RedisConnections,
    private readonly bus: InvalidationBus,
  ) {}

  private get channel(): string {
    return this.redis.key('invalidation');
  }

  async onModuleInit(): Promise<void> {
    const { subscriber, command } = this.redis;
    if (!subscriber || !command) return;
    this.bus.setHealthy(false);
    subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    subscriber.on('ready', () => void this.subscribe());
    subscriber.on('close', () => this.bus.setHealthy(false));
    this.removeRelay = this.bus.addRelay((event) => {
      const sent = command
        .publish(this.channel, JSON.stringify({ from: this.instance, event } satisfies Envelope))
        .catch((error: unknown) => {
          this.logger.error({ error: (error as Error).message, kind: event.kind }, 'Could not broadcast an invalidation');
        })
        .finally(() => this.sending.delete(sent));
      this.sending.add(sent);
    });
    if (subscriber.status === 'ready') await this.subscribe();
  }

  /** Before Redis closes: the last changes of a process (an admin CLI's, a stopping server's) still reach the others. */
  async onModuleDestroy(): Promise<void> {
    this.removeRelay?.();
    await Promise.all(this.sending);
  }

  private async subscribe(): Promise<void> {
    try {
      await this.redis.subscriber!.subscribe(this.channel);
      this.bus.setHealthy(true);
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'Could not subscribe to invalidations');
    }
  }

  private receive(channel: string, message: string): void {
    if (channel !== this.channel) return;
    try {
      const envelope = JSON.parse(message) as Envelope;
      if (envelope.from !== this.instance) this.bus.deliver(envelope.event);
    } catch {
      this.logger.warn('Ignored a malformed invalidation message');
    }
  }
}
