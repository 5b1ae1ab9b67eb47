import { PickType } from '@nestjs/swagger';
import { CreateUserDto } from './create-user.dto.js';

/** A new password, held to exactly the rules a created user's is. */
export class ResetPasswordDto extends PickType(CreateUserDto, ['password'] as const) {}
