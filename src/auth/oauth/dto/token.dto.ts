import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Documentation of the token request; the body is read by OAuthParams, not by the validation pipe. */
export class TokenRequestDto {
  @ApiProperty({ enum: ['password', 'refresh_token', 'client_credentials'] }) grant_type!: string;
  @ApiPropertyOptional({ description: 'password grant' }) username?: string;
  @ApiPropertyOptional({ description: 'password grant' }) password?: string;
  @ApiPropertyOptional({ description: 'refresh_token grant' }) refresh_token?: string;
  @ApiPropertyOptional({ description: 'Space-separated permissions, e.g. "notes:read"' }) scope?: string;
  @ApiPropertyOptional({ description: 'client_secret_post (or use HTTP Basic)' }) client_id?: string;
  @ApiPropertyOptional({ description: 'client_secret_post (or use HTTP Basic)' }) client_secret?: string;
}

export class TokenResponseDto {
  @ApiProperty() access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty({ description: 'seconds' }) expires_in!: number;
  @ApiProperty() scope!: string;
  @ApiPropertyOptional({ description: 'password and refresh_token grants; rotated on every refresh' }) refresh_token?: string;
}
