import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { OAuthError } from '../../common/http/http-errors.js';
import { TransactionService } from '../../database/transaction.service.js';
import { LoginThrottle, type ThrottleKey } from '../../throttling/login-throttle.service.js';
import { normalizeUsername } from '../../users/users.service.js';
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
  ) {}

  async handle({ client, params, request }: GrantRequest): Promise<TokenResponse> {
    assertClientMayUse(client, this.grantType);
    if (!client.trusted) throw new OAuthError('unauthorized_client', 'Only trusted first-party clients may use the password grant');
    const username = params.required('username');
    params.required('password');
    const requested = parseScope(params.optional('scope'));
    const account = { subject: 'account', id: normalizeUsername(username) } as const;
    const address = { subject: 'address', id: request.ip } as const;
    await this.throttle.assertAllowed(account, address);
    let user: UserState;
    try {
      user = await runStrategy<UserState>('local', request, () => new OAuthError('invalid_request', 'username and password are required'));
    } catch (error) {
      if (error instanceof BadCredentialsError) await this.recordFailure(username, client, request.ip, [account, address]);
      throw error;
    }
    await this.throttle.clear(account);
    const scope = grantScope(requested, client.scopes, user.held);
    const { family, refreshToken } = await this.transactions.run((m) =>
      this.refreshTokens.startFamily(m, { clientId: client.id, userId: user.id, scope: scope.join(' ') }),
    );
    const access = await this.accessTokens.issue({ subject: user.id, clientId: client.clientId, scope, grantType: this.grantType, sessionId: family.id });
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: scope.join(' '), refresh_token: refreshToken };
  }

  /** Counts the failure against the account and the address, and audits it (never the password). */
  private async recordFailure(username: string, client: GrantRequest['client'], ip: string, keys: ThrottleKey[]): Promise<void> {
    const outcomes = await Promise.all(keys.map((key) => this.throttle.recordFailure(key)));
    const base = { actorId: null, clientId: client.id, ip };
    // At most what a real username can be: the attempt is recorded, not whatever was sent.
    await this.audit.record({ ...base, type: 'login.failed', details: { username: username.slice(0, 64), client_id: client.clientId } });
    for (const outcome of outcomes.filter((o) => o.justLocked)) {
      await this.audit.record({
        ...base,
        type: 'login.locked_out',
        details: { [outcome.key.subject]: outcome.key.id.slice(0, 64), until: new Date(outcome.lockedUntil).toISOString() },
      });
    }
  }
}
