import { Inject, Injectable } from '@nestjs/common';
import { OAuthError } from '../common/http/http-errors.js';
import { type AppConfig, InjectAppConfig } from '../config/app.config.js';
import { Metrics } from '../metrics/metrics.service.js';
import { ATTEMPT_STORE, type AttemptStore, type LockoutPolicy } from './attempt-store.js';

export type ThrottleSubject = 'account' | 'address' | 'client';

export interface ThrottleKey {
  subject: ThrottleSubject;
  id: string;
}

/** The result of a failure: whether it just locked the key, and until when. */
export interface FailureOutcome {
  key: ThrottleKey;
  lockedUntil: number;
  justLocked: boolean;
}

const MINUTE = 60_000;

/**
 * Guessing protection (RFC 6749 §4.3.2, RFC 9700 §4.1): failed password
 * grants are counted per account and per source address, failed client
 * authentications per client. Past a threshold each key is locked for a
 * period that doubles with every further failure up to a cap, and every
 * count expires by itself, so an attacker cannot lock anyone out for long.
 * A locked key answers 429 with Retry-After before any password is checked;
 * a successful login clears the account's count.
 */
@Injectable()
export class LoginThrottle {
  private readonly policies: Record<ThrottleSubject, LockoutPolicy>;

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @InjectAppConfig() config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    const threshold = config.loginFailuresBeforeLockout;
    const common = { baseLockMs: 2_000, maxLockMs: 5 * MINUTE, windowMs: 15 * MINUTE };
    this.policies = {
      account: { ...common, threshold },
      // One address may try several accounts (a shared NAT), but not endlessly.
      address: { ...common, threshold: threshold * 4 },
      // Client secrets are 256-bit; this only stops a flood of guesses.
      client: { ...common, threshold: threshold * 4 },
    };
  }

  /** Throws 429 (RFC 6749-shaped, with Retry-After) if any of the keys is locked now. */
  async assertAllowed(...keys: ThrottleKey[]): Promise<void> {
    const now = Date.now();
    const states = await Promise.all(keys.map((key) => this.store.get(this.storeKey(key), now)));
    const lockedUntil = Math.max(0, ...states.map((state) => state.lockedUntil));
    if (lockedUntil > now) throw tooManyAttempts(lockedUntil - now);
  }

  async recordFailure(key: ThrottleKey): Promise<FailureOutcome> {
    const now = Date.now();
    const { failures, lockedUntil } = await this.store.recordFailure(this.storeKey(key), this.policies[key.subject], now);
    const justLocked = failures === this.policies[key.subject].threshold;
    if (justLocked) this.metrics.lockouts.labels(key.subject).inc();
    return { key, lockedUntil, justLocked };
  }

  async clear(key: ThrottleKey): Promise<void> {
    await this.store.clear(this.storeKey(key));
  }

  private storeKey({ subject, id }: ThrottleKey): string {
    return `${subject}:${id}`;
  }
}

export function tooManyAttempts(retryAfterMs: number): OAuthError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new OAuthError('temporarily_unavailable', `Too many failed attempts; retry after ${seconds} s`, 429, { 'Retry-After': String(seconds) });
}
