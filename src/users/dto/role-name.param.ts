import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ROLE_NAME_PATTERN } from './role-name.js';

/** The `:name` of a role route, checked before it reaches the database. */
export class RoleNameParam {
  @ApiProperty({ example: 'auditor', pattern: ROLE_NAME_PATTERN.source })
  @Matches(ROLE_NAME_PATTERN, { message: 'name must be a role name: a-z first, then a-z 0-9 _ -' })
  name!: string;
}
