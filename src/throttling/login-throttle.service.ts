import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { OAuthError } from '../common/http/http-errors.js';
import { type AppConfig, InjectAppConfig } from '../config/app.config.js';
import { Metrics } from '../metrics/metrics.service.js';
import { ATTEMPT_STORE, type AttemptStore, type LockoutPolicy } from './attempt-store.js';
import { SignInSources, type SourceRef } from './sign-in-sources.service.js';
import { sourceAddress } from './source-address.js';

/** What a lock was put on: an account from one address, an account's hourly cap, a client from one address. */
export type LockSubject = 'account' | 'account_cap' | 'client';

/** A lock just imposed, for the audit log. */
export interface Lock {
  subject: LockSubject;
  until: number;
}

/** One try at signing in to an account. */
export interface SignInAttempt {
  /** The normalized username as typed, whether or not it names an account. */
  account: string;
  /** The caller's address (request.ip: the peer, or what TRUST_PROXY lets X-Forwarded-For say). */
  address: string;
  /** From issue 14: the browser's device-cookie id, a source that can have signed in before, like an address. */
  device?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The account-wide cap is this many times LOGIN_FAILURES_BEFORE_LOCKOUT failures an hour (API.md). */
const ACCOUNT_CAP_FACTOR = 20;

/**
 * Guessing protection that cannot be turned against users (API.md "Guessing
 * protection", RFC 9700 §4.1):
 *
 * - Failed sign-ins are counted per (account, address). Past the threshold
 *   that pair is locked for a period that doubles with each further failure,
 *   up to a cap; counts expire by themselves and a success clears them. An
 *   attacker elsewhere never locks the real user's pair.
 * - Per existing account, past 20 × the threshold in an hour, sources (addresses, and
 *   device cookies once there are some) that never signed in to that account
 *   are refused for the rest of the hour; a source that did still gets in. A
 *   botnet can neither guess on without end nor keep the owner out.
 * - Client authentication is counted per (client, address) only: a 256-bit
 *   secret cannot be guessed, so this just stops a flood from one place and
 *   never refuses the right secret from elsewhere.
 *
 * Keys carry digests, never the typed text: an account name can be a password
 * typed into the wrong box, and Redis may write its keys to disk.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly pairPolicy: LockoutPolicy;
  private readonly clientPolicy: LockoutPolicy;
  private readonly accountCap: number;

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @InjectAppConfig() config: AppConfig,
    private readonly metrics: Metrics,
    private readonly sources: SignInSources,
  ) {
    const threshold = config.loginFailuresBeforeLockout;
    const common = { baseLockMs: 2_000, maxLockMs: 5 * MINUTE, windowMs: 15 * MINUTE };
    this.pairPolicy = { ...common, threshold };
    // Client secrets are 256-bit; this only stops a flood of guesses.
    this.clientPolicy = { ...common, threshold: threshold * 4 };
    this.accountCap = threshold * ACCOUNT_CAP_FACTOR;
  }

  /** Throws 429 (RFC 6749-shaped, with Retry-After) before any password is checked, if this attempt may not be made now. */
  async assertSignInAllowed(attempt: SignInAttempt): Promise<void> {
    const now = Date.now();
    const [pair, cap] = await Promise.all([this.store.get(pairKey(attempt), now), this.store.peekWindow(capKey(attempt.account), now)]);
    if (pair.lockedUntil > now) throw tooManyAttempts(pair.lockedUntil - now);
    if (cap.count >= this.accountCap && cap.endsAt > now && !(await this.sources.anyKnown(attempt.account, sourcesOf(attempt)))) {
      throw tooManyAttempts(cap.endsAt - now);
    }
  }

  /**
   * Counts a wrong username or password; returns the locks it just imposed.
   * The hourly cap protects accounts, so only an account that exists is
   * counted: a flood of made-up names cannot fill (or push out) those
   * counters. For a made-up name the cap is read instead, one store call
   * either way, so the cost does not tell whether the account exists.
   */
  async recordSignInFailure(attempt: SignInAttempt, accountExists: boolean): Promise<Lock[]> {
    const now = Date.now();
    const cap = capKey(attempt.account);
    const [pair, window] = await Promise.all([
      this.store.recordFailure(pairKey(attempt), this.pairPolicy, now),
      accountExists ? this.store.countInWindow(cap, HOUR, now) : this.store.peekWindow(cap, now),
    ]);
    const locks: Lock[] = [];
    if (pair.failures === this.pairPolicy.threshold) locks.push(this.locked('account', pair.lockedUntil, attempt.address));
    if (accountExists && window.count === this.accountCap) locks.push(this.locked('account_cap', window.endsAt, attempt.address));
    return locks;
  }

  /** Clears the pair's count and remembers the sources as ones that signed in to the account. */
  async recordSignInSuccess(attempt: SignInAttempt): Promise<void> {
    await this.store.clear(pairKey(attempt));
    await this.sources.remember(attempt.account, sourcesOf(attempt));
  }

  async assertClientAllowed(clientId: string, address: string): Promise<void> {
    const now = Date.now();
    const state = await this.store.get(clientKey(clientId, address), now);
    if (state.lockedUntil > now) throw tooManyAttempts(state.lockedUntil - now);
  }

  /** Counts a failed client authentication; returns the lock it just imposed, if any. */
  async recordClientFailure(clientId: string, address: string): Promise<Lock | null> {
    const state = await this.store.recordFailure(clientKey(clientId, address), this.clientPolicy, Date.now());
    return state.failures === this.clientPolicy.threshold ? this.locked('client', state.lockedUntil, address) : null;
  }

  private locked(subject: LockSubject, until: number, address: string): Lock {
    this.metrics.lockouts.labels(subject).inc();
    // The address, never the account or client id typed: those are caller text (and the audit log has the rest).
    this.logger.warn({ subject, address, until: new Date(until).toISOString() }, 'Guessing protection: lock imposed');
    return { subject, until };
  }
}

/** Short, fixed-length and not the typed text. */
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 22);

const pairKey = ({ account, address }: SignInAttempt) => `signin:${sourceAddress(address)}:${digest(account)}`;
const capKey = (account: string) => `signin-cap:${digest(account)}`;
const clientKey = (clientId: string, address: string) => `client:${sourceAddress(address)}:${digest(clientId)}`;

function sourcesOf({ address, device }: SignInAttempt): SourceRef[] {
  const refs: SourceRef[] = [{ kind: 'address', value: sourceAddress(address) }];
  if (device !== undefined) refs.push({ kind: 'device', value: device });
  return refs;
}

export function tooManyAttempts(retryAfterMs: number): OAuthError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new OAuthError('temporarily_unavailable', `Too many failed attempts; retry after ${seconds} s`, 429, { 'Retry-After': String(seconds) });
}
