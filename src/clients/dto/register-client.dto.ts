import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ALL_PERMISSIONS } from '../../common/permissions.js';
import { GRANT_TYPES, TOKEN_ENDPOINT_AUTH_METHODS, type TokenEndpointAuthMethod } from '../client.entity.js';
import { IsRedirectUri } from '../redirect-uri.js';
import { IsGrantTypeList, IsScopeList } from './client-fields.js';

/**
 * What a registrant may say about their application. Everything a reviewer
 * decides (status, trusted, client_id, the granted lists) is absent, so the
 * global ValidationPipe refuses it as an unknown field.
 */
export class RegisterClientDto {
  @ApiProperty({ example: 'Acme Reports', minLength: 1, maxLength: 100 })
  @IsString({ message: 'name must be a string' })
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  @Matches(/\S/, { message: 'name must not be empty' })
  name!: string;

  @ApiProperty({ example: 'Reads the usage summary every night', maxLength: 2000 })
  @IsString({ message: 'description must be a string' })
  @MaxLength(2000, { message: 'description must be at most 2000 characters' })
  description!: string;

  @ApiProperty({ enum: GRANT_TYPES, isArray: true, example: ['client_credentials'] })
  @IsGrantTypeList()
  grant_types!: string[];

  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true, example: ['reports:read'] })
  @IsScopeList()
  scopes!: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['https://reports.acme.example/callback'],
    description: 'Absolute https URLs (http only on 127.0.0.1, [::1] or localhost; for public clients also com.example.app:/path), no fragment',
  })
  @IsOptional()
  @IsArray({ message: 'redirect_uris must be an array' })
  @ArrayMaxSize(10, { message: 'redirect_uris must have at most 10 entries' })
  @IsRedirectUri()
  redirect_uris?: string[];

  @ApiPropertyOptional({
    enum: TOKEN_ENDPOINT_AUTH_METHODS,
    default: 'client_secret_basic',
    description: 'none: a public client (SPA, mobile app): no secret, authorization_code and refresh_token only, PKCE always',
  })
  @IsOptional()
  @IsIn(TOKEN_ENDPOINT_AUTH_METHODS, { message: `token_endpoint_auth_method must be one of: ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}` })
  token_endpoint_auth_method?: TokenEndpointAuthMethod;

  @ApiPropertyOptional({ example: 'ops@acme.example', maxLength: 254 })
  @IsOptional()
  @IsEmail({}, { message: 'contact_email must be an email address' })
  @MaxLength(254, { message: 'contact_email must be at most 254 characters' })
  contact_email?: string;
}
