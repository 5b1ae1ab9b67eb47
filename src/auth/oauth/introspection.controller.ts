import { Body, Controller, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../guard/public.decorator.js';
import { OAuthError } from '../../common/http/http-errors.js';
import type { AuthenticatedClient } from '../strategies/client.strategy.js';
import { CurrentClient } from './client-auth.guard.js';
import { IntrospectionResponseDto, TokenParamsDto } from './dto/introspection.dto.js';
import { OAuthErrorDto } from './dto/oauth-error.dto.js';
import { ClientAuthenticatedEndpoint } from './oauth-endpoint.decorator.js';
import { OAuthParams } from './oauth-params.js';
import { TokenInspectionService } from './token-inspection.service.js';

@ApiTags('oauth')
@Controller('oauth')
@Public()
export class IntrospectionController {
  constructor(private readonly inspection: TokenInspectionService) {}

  /** RFC 7662, for clients granted the `introspect` scope (resource servers). */
  @Post('introspect')
  @ClientAuthenticatedEndpoint()
  @ApiOperation({ summary: 'Is this token active, and what does it carry (RFC 7662)' })
  @ApiBody({ type: TokenParamsDto })
  @ApiOkResponse({ type: IntrospectionResponseDto })
  @ApiBadRequestResponse({ type: OAuthErrorDto, description: 'invalid_request: token missing or repeated' })
  @ApiForbiddenResponse({ type: OAuthErrorDto, description: 'insufficient_scope: the client lacks the introspect scope' })
  introspect(@Body() body: unknown, @CurrentClient() client: AuthenticatedClient): Promise<IntrospectionResponseDto> {
    if (!client.scopes.has('introspect')) {
      throw new OAuthError('insufficient_scope', 'This client may not introspect tokens (it needs the introspect scope)', 403);
    }
    const params = OAuthParams.from(body);
    return this.inspection.introspect(params.required('token'), params.optional('token_type_hint'));
  }
}
