import type { FastifyRequest } from 'fastify';
import type { GrantType } from '../../clients/client.entity.js';
import { OAuthError } from '../../common/http/http-errors.js';
import type { OAuthParams } from '../oauth/oauth-params.js';
import type { AuthenticatedClient } from '../strategies/client.strategy.js';

export interface GrantRequest {
  client: AuthenticatedClient;
  params: OAuthParams;
  request: FastifyRequest;
}

/** RFC 6749 §5.1 successful response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

/** One OAuth grant, chosen by `grant_type`. */
export interface GrantHandler {
  readonly grantType: GrantType;
  handle(request: GrantRequest): Promise<TokenResponse>;
}

/** The client must have been granted this grant type at approval. */
export function assertClientMayUse(client: AuthenticatedClient, grantType: GrantType): void {
  if (!client.grantTypes.has(grantType)) {
    throw new OAuthError('unauthorized_client', `This client may not use the ${grantType} grant`);
  }
}
