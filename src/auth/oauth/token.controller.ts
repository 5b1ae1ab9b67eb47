import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../guard/public.decorator.js';
import { HttpErrorWithHeaders, NO_STORE_HEADERS } from '../../common/http/http-errors.js';
import type { AuthenticatedClient } from '../strategies/client.strategy.js';
import { CurrentClient } from './client-auth.guard.js';
import { OAuthErrorDto } from './dto/oauth-error.dto.js';
import { TokenRequestDto, TokenResponseDto } from './dto/token.dto.js';
import { ClientAuthenticatedEndpoint } from './oauth-endpoint.decorator.js';
import { TokenEndpointService } from './token-endpoint.service.js';

@ApiTags('oauth')
@Controller('oauth')
@Public()
export class TokenController {
  constructor(private readonly tokens: TokenEndpointService) {}

  /** RFC 6749 §3.2 token endpoint: password, refresh_token and client_credentials. */
  @Post('token')
  @ClientAuthenticatedEndpoint()
  @ApiOperation({ summary: 'Get tokens: password, refresh_token or client_credentials grant (RFC 6749)' })
  @ApiBody({ type: TokenRequestDto, description: 'application/x-www-form-urlencoded (JSON accepted)' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({
    type: OAuthErrorDto,
    description: 'invalid_request, unsupported_grant_type, invalid_grant, unauthorized_client or invalid_scope',
  })
  token(@Body() body: unknown, @CurrentClient() client: AuthenticatedClient, @Req() request: FastifyRequest): Promise<TokenResponseDto> {
    return this.tokens.exchange(body, client, request);
  }

  /** Tokens are never handed out on GET (they would end up in logs and caches). */
  @Get('token')
  @ApiOperation({ summary: 'Not allowed: the token endpoint takes POST only' })
  @ApiResponse({ status: 405, type: OAuthErrorDto, description: 'Always, with Allow: POST' })
  tokenByGet(): never {
    throw new HttpErrorWithHeaders({ error: 'invalid_request', error_description: 'The token endpoint accepts POST only' }, 405, {
      Allow: 'POST',
      ...NO_STORE_HEADERS,
    });
  }
}
