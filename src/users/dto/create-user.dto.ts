import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches } from 'class-validator';
import { IsAcceptablePassword, USERNAME_PATTERN } from '../credentials.policy.js';
import { ROLE_NAME_PATTERN } from './role-name.js';

export class CreateUserDto {
  @ApiProperty({ example: 'alice', pattern: USERNAME_PATTERN.source })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 3-64 characters of A-Z a-z 0-9 . _ @ -' })
  username!: string;

  @ApiProperty({ minLength: 8, description: 'At least 8 characters and at most 72 bytes in UTF-8' })
  @IsAcceptablePassword()
  password!: string;

  @ApiProperty({ type: [String], example: ['user'] })
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(ROLE_NAME_PATTERN, { each: true, message: 'each role must be a role name' })
  roles!: string[];
}
