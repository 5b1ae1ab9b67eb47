import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { TransactionService } from '../../database/transaction.service.js';
import { LoginThrottle, type SignInAttempt } from '../../throttling/login-throttle.service.js';
import { normalizeUsername } from '../../users/users.service.js';
import { ServerKeys } from '../keys/server-keys.service.js';
import type { UserState } from '../principal/auth-state.cache.js';
import { BadCredentialsError } from '../strategies/local.strategy.js';
import { runStrategy } from '../strategies/run-strategy.js';
import { AccessTokenService } from '../tokens/access-token.service.js';
import { RefreshTokenService } from '../tokens/refresh-token.service.js';
import { assertClientMayUse, type GrantHandler, type GrantRequest, type TokenResponse } from './grant-handler.js';
import { grantScope, parseScope } from './scope.js';

/**
 * RFC 6749 §4.3, for trusted first-party clients only (RFC 9700 §2.4 deprecates
 * it for anyone else). The user's credentials go through the passport-local
 * strategy; a login starts a new refresh-token family.
 */
@Injectable()
export class PasswordGrant implements GrantHandler {
  readonly grantType = 'password' as const;

  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly transactions: TransactionService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly serverKeys: ServerKeys,
  ) {}

  async handle({ client, params, request }: GrantRequest): Promise<TokenResponse> {
    assertClientMayUse(client, this.grantType);
    if (!client.trusted) throw new OAuthError('unauthorized_client', 'Only trusted first-party clients may use the password grant');
    const username = params.required('username');
    params.required('password');
    const requested = parseScope(params.optional('scope'));
    const attempt: SignInAttempt = { account: normalizeUsername(username), address: request.ip };
    await this.throttle.assertSignInAllowed(attempt);
    let user: UserState;
    try {
      user = await runStrategy<UserState>('local', request, () => new OAuthError('invalid_request', 'username and password are required'));
    } catch (error) {
      if (error instanceof BadCredentialsError) await this.recordFailure(username, error.accountExists, client, attempt);
      throw error;
    }
    await this.throttle.recordSignInSuccess(attempt);
    const scope = grantScope(requested, client.scopes, user.held);
    const { family, refreshToken } = await this.transactions.run((m) =>
      this.refreshTokens.startFamily(m, { clientId: client.id, userId: user.id, scope: scope.join(' ') }),
    );
    const access = await this.accessTokens.issue({ subject: user.id, clientId: client.clientId, scope, grantType: this.grantType, sessionId: family.id });
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: scope.join(' '), refresh_token: refreshToken };
  }

  /** Counts the failure against the account from this address, and audits it (never the password). */
  private async recordFailure(username: string, accountExists: boolean, client: GrantRequest['client'], attempt: SignInAttempt): Promise<void> {
    const locks = await this.throttle.recordSignInFailure(attempt, accountExists);
    const base = { actorId: null, clientId: client.id, ip: attempt.address };
    const account = auditedAccount(this.serverKeys, username, accountExists);
    await this.audit.record({ ...base, type: 'login.failed', details: { ...account, client_id: client.clientId } });
    for (const lock of locks) {
      await this.audit.record({ ...base, type: 'login.locked_out', details: { ...account, scope: lock.subject, until: new Date(lock.until).toISOString() } });
    }
  }
}

/**
 * How a failed sign-in names its account in the audit trail: the username of an account that
 * exists. Text that names no account may be a password typed into the wrong box: only that it was
 * unknown, and a short keyed digest, so repeated tries of one text can be told apart from many.
 */
export function auditedAccount(serverKeys: ServerKeys, username: string, accountExists: boolean): Record<string, string> {
  if (accountExists) return { username: username.slice(0, 64) };
  return { account: 'unknown', username_digest: serverKeys.keyedDigest('audit username', normalizeUsername(username)) };
}
