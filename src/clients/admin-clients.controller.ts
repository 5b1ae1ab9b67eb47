import { applyDecorators, Body, Controller, Get, HttpCode, Ip, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/guard/current-principal.decorator.js';
import { RequirePermissions } from '../auth/guard/require-permissions.decorator.js';
import { Page, PageOf } from '../common/dto/pagination.dto.js';
import type { Principal } from '../common/principal.js';
import { ClientReviewService } from './client-review.service.js';
import type { Actor } from './clients.service.js';
import { ApproveClientDto } from './dto/approve-client.dto.js';
import { ClientDto } from './dto/client.dto.js';
import { ListClientsQueryDto } from './dto/list-clients-query.dto.js';
import { ReinstateClientDto } from './dto/reinstate-client.dto.js';
import { RejectClientDto } from './dto/reject-client.dto.js';
import { SuspendClientDto } from './dto/suspend-client.dto.js';

const reviewer = (principal: Principal, ip: string): Actor => ({ id: principal.subject, ip, permissions: principal.permissions });

/** Each decision answers 200 with the client, 404 for an unknown id, 409 when the client's state forbids it. */
const Decision = (summary: string) =>
  applyDecorators(
    HttpCode(200),
    ApiOperation({ summary }),
    ApiOkResponse({ type: ClientDto }),
    ApiBadRequestResponse({ description: 'Malformed id or body' }),
    ApiNotFoundResponse({ description: 'No such client' }),
    ApiConflictResponse({ description: "Illegal in the client's current state" }),
  );

@ApiTags('admin: clients')
@Controller('admin/clients')
@RequirePermissions('clients:review')
export class AdminClientsController {
  constructor(private readonly review: ClientReviewService) {}

  @Get()
  @ApiOperation({ summary: 'The review queue (status=pending), or every client; oldest first' })
  @ApiOkResponse({ type: PageOf(ClientDto) })
  @ApiBadRequestResponse({ description: 'A malformed status or page' })
  list(@Query() query: ListClientsQueryDto): Promise<Page<ClientDto>> {
    return this.review.list(query);
  }

  @Post(':id/approve')
  @Decision('Approve a pending client: assigns its client_id; grants at most the requested scopes the reviewer holds')
  approve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ApproveClientDto,
    @CurrentPrincipal() principal: Principal,
    @Ip() ip: string,
  ): Promise<ClientDto> {
    return this.review.approve(id, dto, reviewer(principal, ip));
  }

  @Post(':id/reject')
  @Decision('Reject a pending client, saying why')
  reject(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: RejectClientDto,
    @CurrentPrincipal() principal: Principal,
    @Ip() ip: string,
  ): Promise<ClientDto> {
    return this.review.reject(id, dto.reason, reviewer(principal, ip));
  }

  @Post(':id/suspend')
  @Decision('Suspend an approved client: it gets no token, and every token it holds dies at once')
  suspend(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: SuspendClientDto,
    @CurrentPrincipal() principal: Principal,
    @Ip() ip: string,
  ): Promise<ClientDto> {
    return this.review.suspend(id, dto.reason, reviewer(principal, ip));
  }

  @Post(':id/reinstate')
  @Decision('Reinstate a suspended client; tokens cut off by the suspension stay dead')
  reinstate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReinstateClientDto,
    @CurrentPrincipal() principal: Principal,
    @Ip() ip: string,
  ): Promise<ClientDto> {
    return this.review.reinstate(id, dto.note, reviewer(principal, ip));
  }
}
