import { BadRequestException, Controller, Delete, ForbiddenException, Get, HttpCode, Param, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthStateCache } from '../../auth/principal/auth-state.cache.js';
import { CurrentPrincipal } from '../../auth/guard/current-principal.decorator.js';
import { CurrentUser, type CurrentUserRef } from '../../auth/guard/current-user.decorator.js';
import type { Principal } from '../../common/principal.js';
import { ConsentsService } from './consents.service.js';
import { ConsentDto } from './dto/consent.dto.js';

/** The applications a user has let act for them, and the way to take that back. */
@ApiTags('me')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked token' })
@Controller('me/consents')
export class MeConsentsController {
  constructor(
    private readonly consents: ConsentsService,
    private readonly state: AuthStateCache,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The clients you consented to, with the scopes you allowed (a user token of a trusted first-party client)' })
  @ApiOkResponse({ type: [ConsentDto] })
  @ApiForbiddenResponse({ description: "Not a user token, or a third-party client's token" })
  async list(@CurrentUser() user: CurrentUserRef, @CurrentPrincipal() principal: Principal): Promise<ConsentDto[]> {
    await this.assertFirstParty(principal);
    return this.consents.list(user.id);
  }

  @Delete(':client_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a consent: every refresh-token family you hold at that client is revoked' })
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiNotFoundResponse({ description: 'No consent for that client' })
  @ApiBadRequestResponse({ description: 'client_id is not a client_id (printable ASCII, at most 64 characters)' })
  @ApiForbiddenResponse({ description: "Not a user token, or a third-party client's token" })
  async withdraw(
    @Param('client_id') clientId: string,
    @CurrentUser() user: CurrentUserRef,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    if (!/^[\x21-\x7e]{1,64}$/.test(clientId)) throw new BadRequestException('client_id must be printable ASCII, at most 64 characters');
    await this.assertFirstParty(principal);
    await this.consents.withdraw(user.id, clientId, request.ip);
  }

  /** A third-party app holding a user's token must not read which other apps they use, nor cut them off. */
  private async assertFirstParty(principal: Principal): Promise<void> {
    const client = await this.state.client(principal.client.clientId);
    if (!client?.trusted) throw new ForbiddenException('Consents are managed through a trusted first-party client');
  }
}
