import { applyDecorators, Header, HttpCode, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiConsumes, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { NO_STORE_HEADERS } from '../../common/http/http-errors.js';
import { OAuthThrottlerGuard } from '../../throttling/oauth-throttler.guard.js';
import { ClientAuthGuard } from './client-auth.guard.js';
import { OAuthErrorDto } from './dto/oauth-error.dto.js';

/**
 * What every client-authenticated OAuth endpoint (token, revocation,
 * introspection) shares: the per-address rate limit first, then client
 * authentication, 200 on success, responses that are never cached, and
 * form bodies first (RFC 6749), JSON as well.
 */
export const ClientAuthenticatedEndpoint = () =>
  applyDecorators(
    HttpCode(200),
    UseGuards(OAuthThrottlerGuard, ClientAuthGuard),
    Header('Cache-Control', NO_STORE_HEADERS['Cache-Control']),
    Header('Pragma', NO_STORE_HEADERS.Pragma),
    ApiBasicAuth('client'),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json'),
    ApiUnauthorizedResponse({ type: OAuthErrorDto, description: 'invalid_client: unknown client, wrong secret, or client not approved' }),
    ApiTooManyRequestsResponse({ type: OAuthErrorDto, description: 'temporarily_unavailable: rate limited or locked out; see Retry-After' }),
  );
