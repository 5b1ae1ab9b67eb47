import { ApiProperty } from '@nestjs/swagger';
import type { Role } from '../role.entity.js';

export class RoleDto {
  @ApiProperty({ example: 'editor' }) name!: string;
  @ApiProperty({ type: [String], example: ['notes:read'] }) permissions!: string[];
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;

  static from(role: Role): RoleDto {
    return {
      name: role.name,
      permissions: [...role.permissions].sort(),
      created_at: role.createdAt.toISOString(),
      updated_at: role.updatedAt.toISOString(),
    };
  }
}
