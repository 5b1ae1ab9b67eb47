import { Body, Controller, ForbiddenException, Get, Header, HttpCode, Ip, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/guard/current-principal.decorator.js';
import { RequirePermissions } from '../auth/guard/require-permissions.decorator.js';
import { Page, PageOf, PaginationQueryDto } from '../common/dto/pagination.dto.js';
import { NO_STORE_HEADERS } from '../common/http/http-errors.js';
import type { Principal } from '../common/principal.js';
import { type Actor, ClientsService } from './clients.service.js';
import { ClientDto } from './dto/client.dto.js';
import { ClientSecretDto } from './dto/client-secret.dto.js';
import { RegisterClientDto } from './dto/register-client.dto.js';

/** A registration belongs to a person; a client acting for itself (client_credentials) cannot own one. */
function ownerId(principal: Principal): string {
  if (!principal.userId) throw new ForbiddenException('Only a signed-in user can register and manage client applications');
  return principal.userId;
}

const owner = (principal: Principal, ip: string): Actor => ({ id: ownerId(principal), ip, permissions: principal.permissions });

@ApiTags('clients')
@Controller('clients')
@RequirePermissions('clients:register')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @ApiOperation({ summary: 'Register a client application; it waits for review' })
  @ApiCreatedResponse({ type: ClientDto })
  @ApiBadRequestResponse({ description: 'A field is invalid or may not be set by a registrant' })
  register(@Body() dto: RegisterClientDto, @CurrentPrincipal() principal: Principal, @Ip() ip: string): Promise<ClientDto> {
    return this.clients.register(dto, owner(principal, ip));
  }

  @Get()
  @ApiOperation({ summary: 'Your registrations, newest first' })
  @ApiOkResponse({ type: PageOf(ClientDto) })
  @ApiBadRequestResponse({ description: 'A malformed page' })
  list(@Query() query: PaginationQueryDto, @CurrentPrincipal() principal: Principal): Promise<Page<ClientDto>> {
    return this.clients.listOwn(ownerId(principal), query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your registrations' })
  @ApiOkResponse({ type: ClientDto })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse({ description: 'No such registration of yours' })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<ClientDto> {
    return this.clients.findOwn(id, ownerId(principal));
  }

  @Post(':id/secret')
  @HttpCode(200)
  @Header('Cache-Control', NO_STORE_HEADERS['Cache-Control'])
  @Header('Pragma', NO_STORE_HEADERS.Pragma)
  @ApiOperation({ summary: 'Issue a new client secret, shown only in this response; the previous one stops working' })
  @ApiOkResponse({ type: ClientSecretDto })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse({ description: 'No such registration of yours' })
  @ApiConflictResponse({ description: 'The client is not approved' })
  rotateSecret(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Ip() ip: string): Promise<ClientSecretDto> {
    return this.clients.rotateSecret(id, owner(principal, ip));
  }
}
