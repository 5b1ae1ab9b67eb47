import { Body, Controller, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../guard/public.decorator.js';
import type { AuthenticatedClient } from '../strategies/client.strategy.js';
import { CurrentClient } from './client-auth.guard.js';
import { TokenParamsDto } from './dto/introspection.dto.js';
import { OAuthErrorDto } from './dto/oauth-error.dto.js';
import { ClientAuthenticatedEndpoint } from './oauth-endpoint.decorator.js';
import { OAuthParams } from './oauth-params.js';
import { TokenInspectionService } from './token-inspection.service.js';

@ApiTags('oauth')
@Controller('oauth')
@Public()
export class RevocationController {
  constructor(private readonly inspection: TokenInspectionService) {}

  /** RFC 7009: 200 whether or not the token was known; a refresh token takes its family with it. */
  @Post('revoke')
  @ClientAuthenticatedEndpoint()
  @ApiOperation({ summary: 'Revoke an access or refresh token (RFC 7009)' })
  @ApiBody({ type: TokenParamsDto })
  @ApiOkResponse({ description: 'Revoked, or nothing to revoke' })
  @ApiBadRequestResponse({ type: OAuthErrorDto, description: 'invalid_request: token missing or repeated' })
  async revoke(@Body() body: unknown, @CurrentClient() client: AuthenticatedClient, @Req() request: FastifyRequest): Promise<void> {
    const params = OAuthParams.from(body);
    await this.inspection.revoke(params.required('token'), params.optional('token_type_hint'), client, request.ip);
  }
}
