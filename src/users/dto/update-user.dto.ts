import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, Matches } from 'class-validator';
import { ROLE_NAME_PATTERN } from './role-name.js';

export class UpdateUserDto {
  @ApiPropertyOptional({ type: [String], description: "Replaces the user's roles" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(ROLE_NAME_PATTERN, { each: true, message: 'each role must be a role name' })
  roles?: string[];

  @ApiPropertyOptional({ description: "A disabled user's tokens stop working at once" })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
