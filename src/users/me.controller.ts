import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/guard/current-principal.decorator.js';
import type { Principal } from '../common/principal.js';

export class MeDto {
  @ApiProperty({ description: 'User id, or the client_id for a client-credentials token' }) id!: string;
  @ApiProperty({ nullable: true }) username!: string | null;
  @ApiProperty({ type: [String] }) roles!: readonly string[];
  @ApiProperty({ type: [String], description: 'What this token may do now: held ∩ scope' }) permissions!: readonly string[];
  @ApiProperty({ description: "The token's scope" }) scope!: string;
  @ApiProperty() client_id!: string;
}

@ApiTags('me')
@Controller('me')
export class MeController {
  /** Any valid token; what it shows is loaded for this request, not read from the token. */
  @Get()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the token acts for, and what it may do now' })
  @ApiOkResponse({ type: MeDto })
  @ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked token' })
  me(@CurrentPrincipal() principal: Principal): MeDto {
    return {
      id: principal.subject,
      username: principal.username,
      roles: principal.roles,
      permissions: principal.permissions,
      scope: principal.scope.join(' '),
      client_id: principal.client.clientId,
    };
  }
}
