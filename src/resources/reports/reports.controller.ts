import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../../auth/guard/require-permissions.decorator.js';
import { UsageSummaryDto } from './dto/usage-summary.dto.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@Controller('reports')
@RequirePermissions('reports:read')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  @ApiOperation({ summary: 'Usage summary: users, clients and tokens issued' })
  @ApiOkResponse({ type: UsageSummaryDto })
  summary(): Promise<UsageSummaryDto> {
    return this.reports.summary();
  }
}
