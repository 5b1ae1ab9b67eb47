import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../common/dto/pagination.dto.js';

export class AuditQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'client.approved' })
  @IsOptional() @Matches(/^[a-z_.]{1,64}$/, { message: 'type must be an event type such as client.approved' })
  type?: string;

  @ApiPropertyOptional({ description: 'User id the event concerns' })
  @IsOptional() @IsString() @MaxLength(64)
  user?: string;

  @ApiPropertyOptional({ description: 'Client registration id the event concerns' })
  @IsOptional() @IsString() @MaxLength(64)
  client?: string;

  @ApiPropertyOptional({ description: 'User id or client_id that acted' })
  @IsOptional() @IsString() @MaxLength(64)
  actor?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'from must be an ISO 8601 date' })
  from?: Date;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'to must be an ISO 8601 date' })
  to?: Date;
}
