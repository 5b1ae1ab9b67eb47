import { Injectable } from '@nestjs/common';
import { OAuthError } from '../../common/http/http-errors.js';
import { TransactionService } from '../../database/transaction.service.js';
import type { UserState } from '../principal/auth-state.cache.js';
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
  ) {}

  async handle({ client, params, request }: GrantRequest): Promise<TokenResponse> {
    assertClientMayUse(client, this.grantType);
    if (!client.trusted) throw new OAuthError('unauthorized_client', 'Only trusted first-party clients may use the password grant');
    params.required('username');
    params.required('password');
    const requested = parseScope(params.optional('scope'));
    const user = await runStrategy<UserState>('local', request, () => new OAuthError('invalid_request', 'username and password are required'));
    const scope = grantScope(requested, client.scopes, user.held);
    const { refreshToken } = await this.transactions.run((m) =>
      this.refreshTokens.startFamily(m, { clientId: client.id, userId: user.id, scope: scope.join(' ') }),
    );
    const access = await this.accessTokens.issue({ subject: user.id, clientId: client.clientId, scope, grantType: this.grantType });
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: scope.join(' '), refresh_token: refreshToken };
  }
}
