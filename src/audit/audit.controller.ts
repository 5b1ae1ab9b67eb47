import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../auth/guard/require-permissions.decorator.js';
import { Page, PageOf } from '../common/dto/pagination.dto.js';
import { AuditService } from './audit.service.js';
import { AuditEventDto } from './dto/audit-event.dto.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';

@ApiTags('audit')
@Controller('admin/audit')
@RequirePermissions('audit:read')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail, newest first' })
  @ApiOkResponse({ description: 'Events, newest first', type: PageOf(AuditEventDto) })
  @ApiBadRequestResponse({ description: 'A malformed filter or page' })
  list(@Query() query: AuditQueryDto): Promise<Page<AuditEventDto>> {
    return this.audit.list(query);
  }
}
