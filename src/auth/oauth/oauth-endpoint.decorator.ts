import { applyDecorators, Header, HttpCode, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { NO_STORE_HEADERS } from '../../common/http/http-errors.js';
import { OAuthThrottlerGuard } from '../../throttling/oauth-throttler.guard.js';
import { ClientAuthGuard } from './client-auth.guard.js';

/**
 * What every client-authenticated OAuth endpoint (token, revocation,
 * introspection) shares: the per-address rate limit first, then client
 * authentication, 200 on success, and responses that are never cached.
 */
export const ClientAuthenticatedEndpoint = () =>
  applyDecorators(
    HttpCode(200),
    UseGuards(OAuthThrottlerGuard, ClientAuthGuard),
    Header('Cache-Control', NO_STORE_HEADERS['Cache-Control']),
    Header('Pragma', NO_STORE_HEADERS.Pragma),
    ApiBasicAuth('client'),
    ApiUnauthorizedResponse({ description: 'invalid_client' }),
    ApiTooManyRequestsResponse({ description: 'Rate limited or locked out; see Retry-After' }),
  );
