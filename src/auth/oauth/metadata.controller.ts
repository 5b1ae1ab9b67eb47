import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../guard/public.decorator.js';
import { ALL_PERMISSIONS } from '../../common/permissions.js';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { TokenEndpointService } from './token-endpoint.service.js';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];
/** Public clients (SPAs, mobile apps) send client_id alone; PKCE binds their codes. */
const TOKEN_AUTH_METHODS = [...CLIENT_AUTH_METHODS, 'none'];

@ApiTags('discovery')
@Controller('.well-known')
export class MetadataController {
  private readonly document: Record<string, unknown>;

  constructor(@InjectAppConfig() config: AppConfig, tokens: TokenEndpointService) {
    const base = config.issuer;
    this.document = {
      issuer: base,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      revocation_endpoint: `${base}/oauth/revoke`,
      introspection_endpoint: `${base}/oauth/introspect`,
      grant_types_supported: tokens.grantTypes,
      token_endpoint_auth_methods_supported: TOKEN_AUTH_METHODS,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      scopes_supported: ALL_PERMISSIONS,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      // PKCE is required of every client, and only S256 is accepted (RFC 9700 §2.1.1).
      code_challenge_methods_supported: ['S256'],
      // RFC 9207: every authorization response carries iss, against mix-up attacks.
      authorization_response_iss_parameter_supported: true,
      service_documentation: `${base}/docs`,
    };
  }

  /** RFC 8414 authorization server metadata. */
  @Get('oauth-authorization-server')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414): where every endpoint is' })
  @ApiOkResponse({ description: 'RFC 8414 metadata' })
  metadata(): Record<string, unknown> {
    return this.document;
  }
}
