import { Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../guard/current-principal.decorator.js';
import { Public } from '../guard/public.decorator.js';
import { RequirePermissions } from '../guard/require-permissions.decorator.js';
import type { Principal } from '../../common/principal.js';
import { KeySetService } from './key-set.service.js';

// Tags per route: a class tag would list the admin route under discovery too.
@Controller()
export class KeysController {
  constructor(private readonly keys: KeySetService) {}

  /** RFC 7517 key set: public members only, retired keys until their last token expires. */
  @Get('.well-known/jwks.json')
  @Public()
  @Header('Cache-Control', 'public, max-age=60')
  @ApiTags('discovery')
  @ApiOperation({ summary: 'The public signing keys (RFC 7517), to verify access tokens' })
  @ApiOkResponse({ description: 'JSON Web Key Set' })
  jwks() {
    return this.keys.publicJwks();
  }

  /** Adds a new signing key; the old one keeps verifying until its tokens have expired. */
  @Post('admin/keys/rotate')
  @HttpCode(200)
  @RequirePermissions('keys:manage')
  @ApiTags('admin: keys')
  @ApiOperation({ summary: 'Rotate the signing key: a new key signs from now on, the old one keeps verifying' })
  @ApiOkResponse({ description: '{ kid, retired[] }' })
  rotate(@CurrentPrincipal() principal: Principal) {
    return this.keys.rotate(principal.subject);
  }
}
