import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../../auth/guard/require-permissions.decorator.js';
import { Page, PageOf, PaginationQueryDto } from '../../common/dto/pagination.dto.js';
import { InventoryItemDto } from './dto/inventory-item.dto.js';
import { InventoryService } from './inventory.service.js';

/** Machine to machine: meant for client_credentials tokens, though any principal holding inventory:read may call it. */
@ApiTags('inventory')
@Controller('inventory')
@RequirePermissions('inventory:read')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get()
  @ApiOperation({ summary: 'The inventory (machine to machine)' })
  @ApiOkResponse({ type: PageOf(InventoryItemDto) })
  @ApiBadRequestResponse({ description: 'A malformed page' })
  list(@Query() query: PaginationQueryDto): Page<InventoryItemDto> {
    return this.inventory.list(query);
  }
}
