import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TokenParamsDto {
  @ApiProperty() token!: string;
  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] }) token_type_hint?: string;
}

/** RFC 7662 §2.2: exactly `{ "active": false }` for anything not active. */
export class IntrospectionResponseDto {
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional() scope?: string;
  @ApiPropertyOptional() client_id?: string;
  @ApiPropertyOptional() username?: string;
  /** Access tokens only: what the token may do right now (held by its principal ∩ its scope), for resource servers in other processes. */
  @ApiPropertyOptional({ type: [String] }) permissions?: string[];
  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] }) token_type?: string;
  @ApiPropertyOptional() exp?: number;
  @ApiPropertyOptional() iat?: number;
  @ApiPropertyOptional() sub?: string;
  @ApiPropertyOptional() aud?: string;
  @ApiPropertyOptional() iss?: string;
  @ApiPropertyOptional() jti?: string;
}
