import { Injectable } from '@nestjs/common';
import { AccessTokenService } from '../tokens/access-token.service.js';
import { assertClientMayUse, type GrantHandler, type GrantRequest, type TokenResponse } from './grant-handler.js';
import { grantScope, parseScope } from './scope.js';

/** RFC 6749 §4.4: the client is the principal (`sub` = client_id); no refresh token. */
@Injectable()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = 'client_credentials' as const;

  constructor(private readonly accessTokens: AccessTokenService) {}

  async handle({ client, params }: GrantRequest): Promise<TokenResponse> {
    assertClientMayUse(client, this.grantType);
    const scope = grantScope(parseScope(params.optional('scope')), client.scopes);
    const access = await this.accessTokens.issue({ subject: client.clientId, clientId: client.clientId, scope, grantType: this.grantType });
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope: scope.join(' ') };
  }
}
