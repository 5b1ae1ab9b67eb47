import { ApiProperty } from '@nestjs/swagger';
import type { ClientStatus } from '../../../clients/client.entity.js';

export class UserCountsDto {
  @ApiProperty({ example: 42 }) total!: number;
  @ApiProperty({ example: 1, description: 'Of the total, how many are disabled' }) disabled!: number;
}

export class ClientCountsDto implements Record<ClientStatus, number> {
  @ApiProperty({ example: 3 }) pending!: number;
  @ApiProperty({ example: 12 }) approved!: number;
  @ApiProperty({ example: 2 }) rejected!: number;
  @ApiProperty({ example: 0 }) suspended!: number;
}

export class TokenIssuanceDto {
  @ApiProperty({ example: 1280 }) total!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { password: 300, refresh_token: 900, client_credentials: 80 },
  })
  by_grant_type!: Record<string, number>;
}

export class UsageSummaryDto {
  @ApiProperty({ format: 'date-time' }) generated_at!: string;

  @ApiProperty({ type: UserCountsDto }) users!: UserCountsDto;

  @ApiProperty({ type: ClientCountsDto, description: 'Registered client applications by status' })
  clients!: ClientCountsDto;

  @ApiProperty({
    example: 37,
    description: 'Refresh-token families (logins) that can still be refreshed: not revoked, not past their lifetime, holding a live token',
  })
  active_refresh_token_families!: number;

  @ApiProperty({
    type: TokenIssuanceDto,
    description:
      'Access tokens issued in the current hour and the 23 before it, counted in hourly buckets. ' +
      'Each instance adds its counts every few seconds, so the last moments may not show yet.',
  })
  access_tokens_issued_24h!: TokenIssuanceDto;
}
