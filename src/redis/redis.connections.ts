import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type AppConfig, InjectAppConfig } from '../config/app.config.js';

/**
 * The Redis connections, when REDIS_URL is set: one for commands and one for
 * pub/sub (a subscribed connection can do nothing else). Commands never wait
 * in an offline queue: while Redis is away they fail at once, and every
 * caller falls back to something safe (memory, or the database) instead of
 * hanging or letting a request through unchecked. ioredis reconnects by itself.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  readonly command: Redis | null;
  readonly subscriber: Redis | null;
  readonly prefix: string;

  constructor(@InjectAppConfig() config: AppConfig) {
    this.prefix = config.redisKeyPrefix;
    this.command = config.redisUrl ? this.connect(config.redisUrl, 'command') : null;
    this.subscriber = config.redisUrl ? this.connect(config.redisUrl, 'subscriber') : null;
  }

  get enabled(): boolean {
    return this.command !== null;
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** For a short-lived process (the admin CLI): commands fail rather than queue while connecting. */
  async commandReady(timeoutMs: number): Promise<void> {
    const command = this.command;
    if (!command || command.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        command.off('ready', onReady);
        reject(new Error(`Redis at REDIS_URL did not answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      command.once('ready', onReady);
    });
  }

  /** After the HTTP server has drained, so requests in flight still reach Redis. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [this.command, this.subscriber].map(async (connection) => {
        await connection?.quit().catch(() => {
          connection.disconnect();
        });
      }),
    );
  }

  private connect(url: string, role: string): Redis {
    const connection = new Redis(url, {
      enableOfflineQueue: role === 'subscriber',
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    let reported = false;
    connection.on('error', (error: Error) => {
      // One line per outage, not one per retry.
      if (!reported) this.logger.error({ role, error: error.message }, 'Redis connection error');
      reported = true;
    });
    connection.on('ready', () => {
      if (reported) this.logger.log({ role }, 'Redis connection restored');
      reported = false;
    });
    return connection;
  }
}
