import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { toUserState, type UserState } from '../../auth/principal/auth-state.cache.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { LoginThrottle, type ThrottleKey } from '../../throttling/login-throttle.service.js';
import { PasswordService } from '../../users/password.service.js';
import { normalizeUsername, UsersService } from '../../users/users.service.js';

export interface LoginAttempt {
  username: string;
  password: string;
  ip: string;
  /** The browser's device cookie, when it has one. */
  deviceId: string | null;
  /** The client whose sign-in page this is (clients table id), for the audit trail. */
  clientId: string;
  publicClientId: string;
}

/** Why a sign-in was refused: wrong credentials (said as one thing), or throttled for `retryAfter` seconds. */
export type LoginRefusal = { reason: 'credentials' } | { reason: 'throttled'; retryAfter: number };

export class LoginRefused extends Error {
  constructor(readonly refusal: LoginRefusal) {
    super(refusal.reason);
  }
}

/**
 * The counters a sign-in is throttled by: exactly the password grant's (per
 * account, per address), so the form and the grant share one budget.
 *
 * SEAM (issue 12): the account-wide hourly cap honours browsers that have
 * signed in to the account before; this is the one place the device id is
 * handed to the throttle. Until the throttle knows devices it is not used.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the device id is handed over here once issue 12's throttle takes it
export function throttleKeysFor(username: string, ip: string, _deviceId: string | null): ThrottleKey[] {
  return [
    { subject: 'account', id: normalizeUsername(username) },
    { subject: 'address', id: ip },
  ];
}

/**
 * Checks a username and password typed into the sign-in page the way the
 * password grant does: throttled first, the same bcrypt work for an unknown
 * user, failures counted and audited (never the password), a success clearing
 * the account's count.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
  ) {}

  async signIn(attempt: LoginAttempt): Promise<UserState> {
    const keys = throttleKeysFor(attempt.username, attempt.ip, attempt.deviceId);
    try {
      await this.throttle.assertAllowed(...keys);
    } catch (error) {
      throw refusalOf(error);
    }
    const user = await this.users.findByUsername(attempt.username);
    const valid = await this.passwords.verify(attempt.password, user?.passwordHash);
    // A disabled account is told apart only from the right password, and only as "wrong": the page says no more.
    if (!user || !valid || user.disabled) {
      if (!user || !valid) await this.recordFailure(attempt, keys);
      throw new LoginRefused({ reason: 'credentials' });
    }
    await this.throttle.clear(keys[0]);
    await this.audit.record({
      type: 'login.succeeded',
      actorId: user.id,
      userId: user.id,
      clientId: attempt.clientId,
      ip: attempt.ip,
      details: { via: 'signin' },
    });
    return toUserState(user);
  }

  private async recordFailure(attempt: LoginAttempt, keys: ThrottleKey[]): Promise<void> {
    const outcomes = await Promise.all(keys.map((key) => this.throttle.recordFailure(key)));
    const base = { actorId: null, clientId: attempt.clientId, ip: attempt.ip };
    await this.audit.record({
      ...base,
      type: 'login.failed',
      details: { username: attempt.username.slice(0, 64), client_id: attempt.publicClientId, via: 'signin' },
    });
    for (const outcome of outcomes.filter((o) => o.justLocked)) {
      await this.audit.record({
        ...base,
        type: 'login.locked_out',
        details: { [outcome.key.subject]: outcome.key.id.slice(0, 64), until: new Date(outcome.lockedUntil).toISOString() },
      });
    }
  }
}

/** The throttle's 429 (an OAuthError with Retry-After) as a refusal the page can word. */
function refusalOf(error: unknown): unknown {
  if (error instanceof OAuthError && error.getStatus() === 429) {
    return new LoginRefused({ reason: 'throttled', retryAfter: Number(error.headers['Retry-After'] ?? 1) });
  }
  return error;
}
