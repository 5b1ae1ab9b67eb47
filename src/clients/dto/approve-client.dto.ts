import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { ALL_PERMISSIONS } from '../../common/permissions.js';
import { GRANT_TYPES } from '../client.entity.js';
import { IsGrantTypeList, IsScopeList } from './client-fields.js';

export const NOTE_MAX_LENGTH = 2000;

export class ApproveClientDto {
  @ApiPropertyOptional({ enum: GRANT_TYPES, isArray: true, description: 'A subset of the requested grant types; omitted = as requested' })
  @IsOptional()
  @IsGrantTypeList()
  grant_types?: string[];

  @ApiPropertyOptional({ enum: ALL_PERMISSIONS, isArray: true, description: 'A subset of the requested scopes; omitted = as requested' })
  @IsOptional()
  @IsScopeList()
  scopes?: string[];

  @ApiPropertyOptional({ default: false, description: 'Only a trusted client may use the password grant' })
  @IsOptional()
  @IsBoolean({ message: 'trusted must be a boolean' })
  trusted?: boolean;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, description: 'Shown to the registrant' })
  @IsOptional()
  @IsString({ message: 'note must be a string' })
  @MaxLength(NOTE_MAX_LENGTH, { message: `note must be at most ${NOTE_MAX_LENGTH} characters` })
  note?: string;
}
