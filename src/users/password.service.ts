import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { type AppConfig, InjectAppConfig } from '../config/app.config.js';
import { BcryptPool } from './bcrypt-pool.js';
import { PASSWORD_MAX_BYTES } from './credentials.policy.js';

/**
 * bcrypt for user passwords, never on the event loop: a pool of low-priority
 * worker threads (one per core) does it, so a storm of logins cannot delay
 * other requests. Checking a user who does not exist costs one comparison
 * against a dummy hash of the same cost, so timing does not tell an attacker
 * which usernames exist.
 */
@Injectable()
export class PasswordService implements OnModuleInit, OnApplicationShutdown {
  private dummyHash = '';
  private readonly pool = new BcryptPool();

  constructor(@InjectAppConfig() private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(24).toString('base64url'));
  }

  /** After the HTTP server has drained: a login in flight at SIGTERM still gets its answer. */
  onApplicationShutdown(): Promise<void> {
    return this.pool.close();
  }

  hash(password: string): Promise<string> {
    return this.pool.hash(password, this.config.bcryptCost);
  }

  /**
   * Compares against `hash`, or against the dummy hash when there is no user
   * (and then answers false). A password longer than bcrypt reads can never be
   * right, since none is stored: it would otherwise match on its first 72 bytes.
   */
  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    const readable = Buffer.byteLength(password, 'utf8') <= PASSWORD_MAX_BYTES;
    const matches = await this.pool.compare(password, hash ?? this.dummyHash);
    return matches && readable && hash != null;
  }
}
