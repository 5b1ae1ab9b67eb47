import { Injectable } from '@nestjs/common';
import { OAuthError } from '../../common/http/http-errors.js';
import { AuthStateCache } from '../principal/auth-state.cache.js';
import { AccessTokenService } from '../tokens/access-token.service.js';
import type { RefreshTokenFamily } from '../tokens/refresh-token-family.entity.js';
import { RefreshTokenService } from '../tokens/refresh-token.service.js';
import { isCutOff } from '../tokens/token-cutoff.js';
import { assertClientMayUse, type GrantHandler, type GrantRequest, type TokenResponse } from './grant-handler.js';
import { grantScope, parseScope } from './scope.js';

/**
 * RFC 6749 §6 with rotation (RFC 9700 §4.14.2): every refresh returns a new
 * refresh token. The new access token may carry a narrower scope than the
 * login's, never a wider one, and never more than the user holds now.
 */
@Injectable()
export class RefreshTokenGrant implements GrantHandler {
  readonly grantType = 'refresh_token' as const;

  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly state: AuthStateCache,
  ) {}

  async handle({ client, params, request }: GrantRequest): Promise<TokenResponse> {
    assertClientMayUse(client, this.grantType);
    const presented = params.required('refresh_token');
    const requested = parseScope(params.optional('scope'));
    let scope: string[] = [];
    const { family, refreshToken } = await this.refreshTokens.rotate(presented, {
      clientId: client.id,
      ip: request.ip,
      assertUsable: async (candidate: RefreshTokenFamily) => {
        const user = await this.state.user(candidate.userId);
        if (!user || user.disabled) throw new OAuthError('invalid_grant', 'The user account is disabled');
        const startedAt = candidate.createdAt.getTime();
        if (isCutOff(startedAt, user.tokensNotBefore, client.tokensNotBefore)) {
          throw new OAuthError('invalid_grant', 'The refresh token has been revoked');
        }
        const original = new Set(candidate.scope.split(' ').filter(Boolean));
        scope = grantScope(requested, original, client.scopes, user.held);
      },
    });
    const access = await this.accessTokens.issue({ subject: family.userId, clientId: client.clientId, scope, grantType: this.grantType, sessionId: family.id });
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: scope.join(' '), refresh_token: refreshToken };
  }
}
