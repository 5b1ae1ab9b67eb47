import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../common/decorators/public.decorator.js';
import { HttpErrorWithHeaders, NO_STORE_HEADERS } from '../../common/http/http-errors.js';
import type { AuthenticatedClient } from '../strategies/client.strategy.js';
import { CurrentClient } from './client-auth.guard.js';
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
  @ApiBody({ type: TokenRequestDto, description: 'application/x-www-form-urlencoded (JSON accepted)' })
  @ApiOkResponse({ type: TokenResponseDto })
  token(@Body() body: unknown, @CurrentClient() client: AuthenticatedClient, @Req() request: FastifyRequest): Promise<TokenResponseDto> {
    return this.tokens.exchange(body, client, request);
  }

  /** Tokens are never handed out on GET (they would end up in logs and caches). */
  @Get('token')
  tokenByGet(): never {
    throw new HttpErrorWithHeaders({ error: 'invalid_request', error_description: 'The token endpoint accepts POST only' }, 405, {
      Allow: 'POST',
      ...NO_STORE_HEADERS,
    });
  }
}
