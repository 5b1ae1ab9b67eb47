import { ApiProperty } from '@nestjs/swagger';
import type { Role } from '../role.entity.js';

export class RoleDto {
  @ApiProperty({ example: 'editor' }) name!: string;
  @ApiProperty({ type: [String], example: ['notes:read'] }) permissions!: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;

  static from(role: Role): RoleDto {
    return {
      name: role.name,
      permissions: [...role.permissions].sort(),
      createdAt: role.createdAt.toISOString(),
      updatedAt: role.updatedAt.toISOString(),
    };
  }
}
