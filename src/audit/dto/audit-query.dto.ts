import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, Matches } from 'class-validator';
import { PaginationQueryDto } from '../../common/dto/pagination.dto.js';

/** Ids and client_ids are short and printable (uuids, gh_…, bootstrap names). */
const IDENTIFIER = /^[A-Za-z0-9._~:@-]{1,64}$/;

export class AuditQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'client.approved' })
  @IsOptional()
  @Matches(/^[a-z_.]{1,64}$/, { message: 'type must be an event type such as client.approved' })
  type?: string;

  @ApiPropertyOptional({ description: 'User id the event concerns' })
  @IsOptional()
  @Matches(IDENTIFIER, { message: 'user must be a user id' })
  user?: string;

  @ApiPropertyOptional({ description: 'Client registration id the event concerns' })
  @IsOptional()
  @Matches(IDENTIFIER, { message: 'client must be a client registration id' })
  client?: string;

  @ApiPropertyOptional({ description: 'User id or client_id that acted' })
  @IsOptional()
  @Matches(IDENTIFIER, { message: 'actor must be a user id or a client_id' })
  actor?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date' })
  from?: Date;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date' })
  to?: Date;
}
