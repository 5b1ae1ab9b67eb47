import { PickType } from '@nestjs/swagger';
import { ApproveClientDto } from './approve-client.dto.js';

export class ReinstateClientDto extends PickType(ApproveClientDto, ['note'] as const) {}
