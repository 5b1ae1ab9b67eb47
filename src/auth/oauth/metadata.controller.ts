import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/decorators/public.decorator.js';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';

@ApiTags('discovery')
@Controller('.well-known')
export class MetadataController {
  constructor(@InjectAppConfig() private readonly config: AppConfig) {}

  /** RFC 8414 authorization server metadata. */
  @Get('oauth-authorization-server')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  metadata() {
    return { issuer: this.config.issuer, token_endpoint: `${this.config.issuer}/oauth/token` };
  }
}
