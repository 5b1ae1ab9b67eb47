import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { toUserState, type UserState } from '../../auth/principal/auth-state.cache.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { LoginThrottle, type SignInAttempt } from '../../throttling/login-throttle.service.js';
import { auditedAccount } from '../../auth/grants/password.grant.js';
import { ServerKeys } from '../../auth/keys/server-keys.service.js';
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
 * A sign-in on the page is throttled by exactly the password grant's counters (per account and
 * address, the account's hourly cap), with the browser's device cookie as a source that may have
 * signed in before: the form and the grant share one budget.
 */
export function signInAttemptOf(username: string, ip: string, deviceId: string | null): SignInAttempt {
  return { account: normalizeUsername(username), address: ip, ...(deviceId ? { device: deviceId } : {}) };
}

/**
 * Checks a username and password typed into the sign-in page the way the
 * password grant does: throttled first, the same bcrypt work for an unknown
 * user, failures counted and audited (never the password), a success clearing
 * the count and remembering the address and the browser as known sources.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly serverKeys: ServerKeys,
  ) {}

  async signIn(attempt: LoginAttempt): Promise<UserState> {
    const signIn = signInAttemptOf(attempt.username, attempt.ip, attempt.deviceId);
    try {
      await this.throttle.assertSignInAllowed(signIn);
    } catch (error) {
      throw refusalOf(error);
    }
    const user = await this.users.findByUsername(attempt.username);
    const valid = await this.passwords.verify(attempt.password, user?.passwordHash);
    // A disabled account is told apart only from the right password, and only as "wrong": the page says no more.
    if (!user || !valid || user.disabled) {
      if (!user || !valid) await this.recordFailure(attempt, signIn, user !== null);
      throw new LoginRefused({ reason: 'credentials' });
    }
    await this.throttle.recordSignInSuccess(signIn);
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

  private async recordFailure(attempt: LoginAttempt, signIn: SignInAttempt, accountExists: boolean): Promise<void> {
    const locks = await this.throttle.recordSignInFailure(signIn, accountExists);
    const base = { actorId: null, clientId: attempt.clientId, ip: attempt.ip };
    const account = auditedAccount(this.serverKeys, attempt.username, accountExists);
    await this.audit.record({ ...base, type: 'login.failed', details: { ...account, client_id: attempt.publicClientId, via: 'signin' } });
    for (const lock of locks) {
      await this.audit.record({ ...base, type: 'login.locked_out', details: { ...account, scope: lock.subject, until: new Date(lock.until).toISOString() } });
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
