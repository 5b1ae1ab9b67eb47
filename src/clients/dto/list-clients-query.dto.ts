import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '../../common/dto/pagination.dto.js';
import { CLIENT_STATUSES, type ClientStatus } from '../client.entity.js';

export class ListClientsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: CLIENT_STATUSES, description: 'Only clients in this state (the review queue: pending)' })
  @IsOptional()
  @IsIn(CLIENT_STATUSES, { message: `status must be one of: ${CLIENT_STATUSES.join(', ')}` })
  status?: ClientStatus;
}
