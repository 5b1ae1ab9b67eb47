import { ApiProperty } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsString, Matches } from 'class-validator';
import { ALL_PERMISSIONS } from '../../common/permissions.js';
import { ROLE_NAME_PATTERN } from './role-name.js';

export class CreateRoleDto {
  @ApiProperty({ example: 'auditor', pattern: ROLE_NAME_PATTERN.source })
  @IsString()
  @Matches(ROLE_NAME_PATTERN, { message: 'name must be 2-64 characters: a-z first, then a-z 0-9 _ -' })
  name!: string;

  @ApiProperty({ type: [String], enum: ALL_PERMISSIONS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(ALL_PERMISSIONS, { each: true, message: `each permission must be one of: ${ALL_PERMISSIONS.join(', ')}` })
  permissions!: string[];
}
