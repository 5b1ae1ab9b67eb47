import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { OAuthError } from '../../common/http/http-errors.js';
import { AuthorizationCodeGrant } from '../grants/authorization-code.grant.js';
import { ClientCredentialsGrant } from '../grants/client-credentials.grant.js';
import type { GrantHandler, TokenResponse } from '../grants/grant-handler.js';
import { PasswordGrant } from '../grants/password.grant.js';
import { RefreshTokenGrant } from '../grants/refresh-token.grant.js';
import type { AuthenticatedClient } from '../strategies/client.strategy.js';
import { OAuthParams } from './oauth-params.js';

/** Dispatches a token request to the handler of its grant_type. */
@Injectable()
export class TokenEndpointService {
  private readonly handlers: ReadonlyMap<string, GrantHandler>;

  constructor(code: AuthorizationCodeGrant, password: PasswordGrant, refresh: RefreshTokenGrant, clientCredentials: ClientCredentialsGrant) {
    this.handlers = new Map([code, password, refresh, clientCredentials].map((handler) => [handler.grantType, handler]));
  }

  get grantTypes(): string[] {
    return [...this.handlers.keys()];
  }

  exchange(body: unknown, client: AuthenticatedClient, request: FastifyRequest): Promise<TokenResponse> {
    const params = OAuthParams.from(body);
    const grantType = params.required('grant_type');
    const handler = this.handlers.get(grantType);
    if (!handler) throw new OAuthError('unsupported_grant_type', `Unsupported grant_type: ${grantType.slice(0, 64)}`);
    return handler.handle({ client, params, request });
  }
}
