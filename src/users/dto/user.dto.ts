import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.entity.js';

/** A user as the API shows it: there is no field a password hash could leak through. */
export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty() disabled!: boolean;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;

  static from(user: User): UserDto {
    return {
      id: user.id,
      username: user.username,
      roles: user.roles.map((role) => role.name).sort(),
      disabled: user.disabled,
      created_at: user.createdAt.toISOString(),
      updated_at: user.updatedAt.toISOString(),
    };
  }
}
